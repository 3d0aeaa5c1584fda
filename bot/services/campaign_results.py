"""/campaign: recent campaigns, one campaign's engagement per variant and whether the
difference is likely real (scoring.abtest), and cancelling one that is still going out."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlmodel import Session

from bot.services.campaigns import SHOW, STOP, Button, Reply, Screen, segment_name
from bot.services.customer_report import number
from bot.texts import t
from scoring import abtest
from storage import campaign_results, outreach_admin
from storage.campaign_results import VariantCounts
from storage.models import Campaign

RECENT = 10


def _status(lang: str, campaign: Campaign) -> str:
    return t(lang, f"campaign_status_{campaign.status}")


def listing(session: Session, *, lang: str, tz: tzinfo) -> Screen:
    """The newest campaigns, one line and one button each."""
    found = campaign_results.recent(session=session, limit=RECENT)
    if not found:
        return Screen(t(lang, "campaign_none"))
    lines = [t(lang, "campaign_list_title")]
    buttons = []
    for campaign in found:
        assert campaign.id is not None
        assert campaign.started_at is not None
        campaign_results.finish_if_sent(session=session, campaign_id=campaign.id)
        lines.append(
            t(
                lang,
                "campaign_list_line",
                id=campaign.id,
                date=f"{campaign.started_at.astimezone(tz):%d-%m-%Y}",
                segment=segment_name(lang, campaign.segment),
                recipients=campaign.recipients,
                variants="A/B" if campaign.text_b else "A",
                status=_status(lang, campaign),
            )
        )
        buttons.append(Button(f"#{campaign.id}", SHOW, str(campaign.id)))
    rows = tuple(tuple(buttons[i : i + 5]) for i in range(0, len(buttons), 5))
    return Screen("\n".join(lines), rows)


def newest(
    session: Session, *, lang: str, tz: tzinfo, now: datetime, window: timedelta
) -> tuple[Screen, ...]:
    """/campaign alone: the newest campaign's results, then the list when there are more."""
    found = campaign_results.recent(session=session, limit=2)
    if not found or found[0].id is None:
        return (Screen(t(lang, "campaign_none")),)
    latest = details(session, campaign_id=found[0].id, lang=lang, now=now, window=window)
    if len(found) == 1:
        return (latest,)
    return latest, listing(session, lang=lang, tz=tz)


def rate_text(lang: str, counts: VariantCounts) -> str:
    rate = abtest.rate(counts.responded, counts.sent)
    return t(lang, "campaign_rate_none") if rate is None else f"{number(lang, rate)}%"


def p_text(lang: str, p_value: float) -> str:
    """A p-value as the owner reads it: three decimals, "< 0,001" below that."""
    text = "< 0.001" if p_value < 0.001 else f"{p_value:.3f}"
    return text.replace(".", ",") if lang == "id" else text


def verdict(lang: str, variants: list[VariantCounts]) -> str:
    """In plain words: is the difference between A and B likely real?"""
    by_name = {v.variant: v for v in variants}
    if "A" not in by_name or "B" not in by_name:
        return t(lang, "campaign_verdict_single")
    a, b = by_name["A"], by_name["B"]
    result = abtest.compare(a.responded, a.sent, b.responded, b.sent)
    if result.verdict == "too_little_data":
        return t(lang, "campaign_verdict_too_little_data", min=abtest.MIN_SENT)
    assert result.p_value is not None
    p = p_text(lang, result.p_value)
    if result.verdict == "likely_real":
        return t(lang, "campaign_verdict_likely_real", better=result.better, p=p)
    return t(lang, "campaign_verdict_maybe_chance", p=p)


def details(
    session: Session,
    *,
    campaign_id: int,
    lang: str,
    now: datetime | None = None,
    window: timedelta | None = None,
) -> Screen:
    """One campaign: status, each variant's sent, responded and engagement rate, the verdict
    (with `now` and `window`: responses brought up to date first, as `akrab outreach stats`)."""
    if now is not None and window is not None:
        outreach_admin.track_responses(session=session, now=now, window=window)
    campaign_results.finish_if_sent(session=session, campaign_id=campaign_id)
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.started_at is None:
        return Screen(t(lang, "campaign_not_found", id=campaign_id))
    variants = campaign_results.variant_counts(session=session, campaign_id=campaign_id)
    header = t(
        lang,
        "campaign_header",
        id=campaign_id,
        segment=segment_name(lang, campaign.segment),
        recipients=campaign.recipients,
        status=_status(lang, campaign),
    )
    lines = [header]
    waiting = sum(v.planned for v in variants)
    if campaign.status == "sending" and waiting:
        lines.append(t(lang, "campaign_waiting", count=waiting))
    for v in variants:
        lines.append(
            t(
                lang,
                "campaign_variant_line",
                variant=v.variant,
                sent=v.sent,
                responded=v.responded,
                rate=rate_text(lang, v),
            )
        )
    lines.append(verdict(lang, variants))
    row = [Button(t(lang, "campaign_refresh_button"), SHOW, str(campaign_id))]
    if campaign.status == "sending":
        row.append(Button(t(lang, "campaign_stop_button"), STOP, str(campaign_id)))
    return Screen("\n".join(lines), (tuple(row),))


def stop(session: Session, *, campaign_id: int, lang: str, now: datetime) -> Reply:
    """The "Batalkan" button: what is still planned is cancelled; what is being sent finishes."""
    cancelled = campaign_results.cancel(session=session, campaign_id=campaign_id, now=now)
    if cancelled is None:
        return Reply(answer=t(lang, "campaign_not_sending"), alert=True)
    screen = details(session, campaign_id=campaign_id, lang=lang)
    notice = t(lang, "campaign_stopped", id=campaign_id, count=cancelled)
    return Reply(edit=screen, answer=notice)
