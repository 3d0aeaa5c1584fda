"""/broadcast: an owner's campaign from draft to outbox (README: Owner console, Campaigns).

Steps, kept in the draft's `campaign.step` (never in memory: replicas, restarts): segment ->
text_a (the owner's next message) -> ask_b -> text_b (next message, optional; a message
written at ask_b is B) -> confirm.
Each use-case runs in one transaction and answers with plain `Reply` values (texts in the
owner's language, buttons as action/value pairs) that the handler shows as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.texts import t
from scoring.campaign_text import BadText, check_text, render, split, versions
from storage import campaigns
from storage.models import Campaign

SEGMENTS = ("all", "advocate", "potential", "at_risk", "new", "declining")
DRAFT_TTL = timedelta(hours=1)  # a draft older than this no longer takes the owner's messages
EXPIRY = timedelta(days=3)  # a campaign message not out by then is dropped, not sent late
# What the owner reads for each problem with a variant text.
PROBLEM_TEXTS = {
    "empty": "broadcast_text_only",
    "bad_split": "broadcast_bad_split",
    "too_long": "broadcast_too_long",
}

# Button actions (bot/adapter/callbacks.py validates their values).
SEGMENT, VARIANT_B, CONFIRM, DROP, SHOW, STOP = "bcseg", "bcb", "bcgo", "bcx", "camp", "campx"


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: str
    value: str


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    """What the owner sees next: the pressed message replaced, new messages, a press answer."""

    edit: Screen | None = None
    send: tuple[Screen, ...] = ()
    answer: str | None = None
    alert: bool = False


def segment_name(lang: str, segment: str) -> str:
    return t(lang, f"campaign_segment_{segment}")


def _cancel_row(lang: str, campaign_id: int) -> tuple[Button, ...]:
    return (Button(t(lang, "broadcast_cancel_button"), DROP, str(campaign_id)),)


def start(session: Session, *, owner_id: int, lang: str, now: datetime) -> Screen:
    """/broadcast: a fresh draft and the segment buttons with their recipient counts."""
    campaign_id = campaigns.create_draft(session=session, owner_id=owner_id, now=now)
    counts = campaigns.segment_counts(session=session, segments=SEGMENTS)
    buttons = [
        Button(
            t(lang, "campaign_segment_button", segment=segment_name(lang, s), count=counts[s]),
            SEGMENT,
            f"{campaign_id}.{s}",
        )
        for s in SEGMENTS
    ]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Screen(t(lang, "broadcast_pick_segment"), (*rows, _cancel_row(lang, campaign_id)))


def _draft(session: Session, owner_id: int, campaign_id: int) -> Campaign | None:
    draft = campaigns.get(session=session, campaign_id=campaign_id)
    if draft is None or draft.created_by != owner_id or draft.status != "draft":
        return None
    return draft


def _stale(lang: str) -> Reply:
    return Reply(answer=t(lang, "broadcast_stale"), alert=True)


def pick_segment(
    session: Session, *, owner_id: int, campaign_id: int, segment: str, lang: str
) -> Reply:
    """The segment button: remember it and ask for variant A (the next message)."""
    if _draft(session, owner_id, campaign_id) is None:
        return _stale(lang)
    count = campaigns.segment_counts(session=session, segments=(segment,))[segment]
    if count == 0:
        return Reply(answer=t(lang, "broadcast_empty_segment"), alert=True)
    if not campaigns.advance(
        session=session, campaign_id=campaign_id, step="segment", to="text_a", segment=segment
    ):
        return _stale(lang)
    text = t(lang, "broadcast_write_a", segment=segment_name(lang, segment), count=count)
    return Reply(edit=Screen(text, (_cancel_row(lang, campaign_id),)), answer="")


def take_text(
    session: Session,
    *,
    owner_id: int,
    text: str | None,
    lang: str,
    now: datetime,
    shop: str,
    reply_to: tuple[int, int] | None = None,
) -> Reply | None:
    """The owner's message, if a draft waits for a variant's text; None when none does (the
    message is not ours: `reply_to` (chat, message) names a relayed customer message)."""
    draft = campaigns.open_draft(session=session, owner_id=owner_id, since=now - DRAFT_TTL)
    if draft is None or draft.id is None or draft.step not in ("text_a", "ask_b", "text_b"):
        return None
    if reply_to is not None and campaigns.is_relayed(
        session=session, owner_chat_id=reply_to[0], message_id=reply_to[1]
    ):
        return None
    try:
        variant_text = check_text(text)
    except BadText as problem:
        text_key = PROBLEM_TEXTS[problem.problem]
        return Reply(send=(Screen(t(lang, text_key, **problem.values)),))
    if draft.step == "text_a":
        campaigns.advance(
            session=session, campaign_id=draft.id, step="text_a", to="ask_b", text_a=variant_text
        )
        buttons = (
            Button(t(lang, "broadcast_add_b_button"), VARIANT_B, f"{draft.id}.yes"),
            Button(t(lang, "broadcast_no_b_button"), VARIANT_B, f"{draft.id}.no"),
        )
        return Reply(
            send=(Screen(t(lang, "broadcast_ask_b"), (buttons, _cancel_row(lang, draft.id))),)
        )
    # B's text, asked for or written straight after "add a B?" (as good as pressing "add").
    campaigns.advance(
        session=session, campaign_id=draft.id, step=draft.step, to="confirm", text_b=variant_text
    )
    return Reply(send=summary(session, draft, lang=lang, shop=shop))


def choose_b(
    session: Session, *, owner_id: int, campaign_id: int, add: bool, lang: str, shop: str
) -> Reply:
    """The "Tambah varian B" button asks for B's text; "Tanpa B" goes to the confirmation."""
    draft = _draft(session, owner_id, campaign_id)
    if draft is None or not campaigns.advance(
        session=session, campaign_id=campaign_id, step="ask_b", to="text_b" if add else "confirm"
    ):
        return _stale(lang)
    if add:
        return Reply(edit=Screen(t(lang, "broadcast_write_b"), (_cancel_row(lang, campaign_id),)))
    return Reply(
        edit=Screen(t(lang, "broadcast_ask_b")), send=summary(session, draft, lang=lang, shop=shop)
    )


def summary(session: Session, draft: Campaign, *, lang: str, shop: str) -> tuple[Screen, ...]:
    """Previews as customers will read them, then the count, the split and the buttons."""
    assert draft.id is not None
    examples = campaigns.example_names(session=session, segment=draft.segment)
    variants = {"A": draft.text_a} | ({"B": draft.text_b} if draft.text_b else {})
    screens = []
    for variant, text in variants.items():
        per_language = versions(text)
        languages = ("id", "en") if per_language["id"] != per_language["en"] else ("any",)
        for language in languages:
            shown_in = "en" if language == "en" else "id"
            # A real recipient's name (any language's for a text everyone gets), else a sample.
            found = examples.get(shown_in) or (language == "any" and examples.get("en"))
            name = found or t(shown_in, "campaign_example_name")
            preview = render(per_language[shown_in], name=name, shop=shop)
            label = t(lang, f"campaign_lang_{language}")
            screens.append(
                Screen(t(lang, "broadcast_preview", variant=variant, language=label, text=preview))
            )
    count = campaigns.segment_counts(session=session, segments=(draft.segment,))[draft.segment]
    a, b = split(count, len(variants))
    two = len(variants) == 2
    split_text = t(lang, "broadcast_split_ab", a=a, b=b) if two else t(lang, "broadcast_split_a")
    text = t(
        lang,
        "broadcast_summary",
        segment=segment_name(lang, draft.segment),
        count=count,
        split=split_text,
    )
    buttons = (
        Button(t(lang, "broadcast_send_button"), CONFIRM, str(draft.id)),
        *_cancel_row(lang, draft.id),
    )
    return (*screens, Screen(text, (buttons,)))


def confirm(
    session: Session, *, owner_id: int, campaign_id: int, lang: str, shop: str, now: datetime
) -> Reply:
    """The "Kirim" button: the campaign and its outreach rows in this one transaction; a
    second press (or a press racing it on another replica) plans nothing more."""
    campaign = campaigns.get(session=session, campaign_id=campaign_id)
    if campaign is None or campaign.created_by != owner_id:
        return _stale(lang)
    planned = None
    if campaign.status == "draft" and campaign.step == "confirm":
        variants = {"A": campaign.text_a} | ({"B": campaign.text_b} if campaign.text_b else {})
        texts = {
            v: versions(render(text, name="{name}", shop=shop)) for v, text in variants.items()
        }
        fallback = {lang_: t(lang_, "campaign_name_fallback") for lang_ in ("id", "en")}
        planned = campaigns.launch(
            session=session,
            campaign=campaign,
            texts=texts,
            name_fallback=fallback,
            now=now,
            expires_at=now + EXPIRY,
        )
    if planned is None:
        campaign = campaigns.get(session=session, campaign_id=campaign_id)
        if campaign is None or campaign.status == "draft" or campaign.started_at is None:
            return _stale(lang)
        return Reply(
            answer=t(lang, "broadcast_launched", id=campaign_id, count=campaign.recipients)
        )
    text = t(lang, "broadcast_launched", id=campaign_id, count=planned)
    show = Button(t(lang, "campaign_open_button"), SHOW, str(campaign_id))
    return Reply(edit=Screen(text, ((show,),)), answer="")


def drop(session: Session, *, owner_id: int, campaign_id: int, lang: str, now: datetime) -> Reply:
    """The "Batal" button, on any step of a draft."""
    if _draft(session, owner_id, campaign_id) is None or not campaigns.drop_draft(
        session=session, campaign_id=campaign_id, now=now
    ):
        return _stale(lang)
    return Reply(edit=Screen(t(lang, "broadcast_cancelled")), answer="")
