"""Campaigns with A/B: the test's p-value, the split, the launch into the outbox, the results.

Storage tests run on SQLite and PostgreSQL; the /broadcast and /campaign flows run through the
real Application with the offline request layer (tests/auxil/harness.py), as an owner would.
"""

from __future__ import annotations

import math
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from bot.adapter.offline import buttons
from bot.config import Settings
from bot.services import campaign_results, campaigns
from bot.texts import t
from scoring import abtest, campaign_text
from scoring.campaign_text import BadText
from storage import campaign_results as results_sql
from storage import campaigns as campaigns_sql
from storage.db import make_engine, migrate
from storage.models import Campaign, Customer, Outreach, OwnerRelay
from tests.auxil.harness import STICKER, BotHarness

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
OWNER = 99
SHOP = "Toko Sari"


# -- scoring.abtest --------------------------------------------------------------------------
# By hand: 45/100 vs 30/100: pooled p = 75/200 = 0.375, SE = √(0.375 · 0.625 · (1/100 + 1/100))
# = √0.0046875 = 0.068465, z = 0.15 / 0.068465 = 2.1909, p = 2 · (1 − Φ(2.19)) = 2 · 0.01426
# = 0.0285 (Φ(2.19) = 0.98574 in the normal table). 60/200 vs 40/200: pooled 0.25, SE =
# √(0.25 · 0.75 · 0.01) = 0.043301, z = 0.1 / 0.043301 = 2.3094, p = 2 · (1 − 0.98954) = 0.0209.
@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "z", "p"),
    [
        (45, 100, 30, 100, 2.1909, 0.0285),
        (30, 100, 45, 100, -2.1909, 0.0285),
        (60, 200, 40, 200, 2.3094, 0.0209),
        (20, 50, 20, 50, 0.0, 1.0),
        (0, 40, 0, 40, 0.0, 1.0),
    ],
)
def test_z_test_matches_hand_computed_cases(
    x1: int, n1: int, x2: int, n2: int, z: float, p: float
) -> None:
    got_z, got_p = abtest.z_test(x1, n1, x2, n2)
    assert got_z == pytest.approx(z, abs=1e-4)
    assert got_p == pytest.approx(p, abs=1e-4)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "verdict", "better"),
    [
        (45, 100, 30, 100, "likely_real", "A"),
        (30, 100, 45, 100, "likely_real", "B"),
        (33, 100, 30, 100, "maybe_chance", None),
        (14, 29, 5, 29, "too_little_data", None),  # fewer than 30 sent per variant
        (2, 100, 1, 100, "too_little_data", None),  # expected responses 1.5 < 5
        (99, 100, 100, 100, "too_little_data", None),  # expected non-responses 0.5 < 5
    ],
)
def test_compare_says_whether_the_difference_is_likely_real(
    x1: int, n1: int, x2: int, n2: int, verdict: str, better: str | None
) -> None:
    result = abtest.compare(x1, n1, x2, n2)
    assert (result.verdict, result.better) == (verdict, better)


@pytest.mark.parametrize(
    ("responded", "sent", "expected"), [(9, 20, 45.0), (0, 7, 0.0), (3, 3, 100.0), (0, 0, None)]
)
def test_engagement_rate_is_responded_over_sent(
    responded: int, sent: int, expected: float | None
) -> None:
    assert abtest.rate(responded, sent) == expected


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="impossible"):
        abtest.rate(5, 4)
    with pytest.raises(ValueError, match="nothing sent"):
        abtest.z_test(0, 0, 1, 10)


# -- texts of a variant ----------------------------------------------------------------------
def test_one_text_goes_to_everyone_and_a_dash_line_splits_languages() -> None:
    assert campaign_text.versions("Halo {name}") == {"id": "Halo {name}", "en": "Halo {name}"}
    assert campaign_text.versions("Halo kak\n---\nHi there\n") == {
        "id": "Halo kak",
        "en": "Hi there",
    }
    with pytest.raises(BadText) as problem:
        campaign_text.versions("Halo kak\n---\n")
    assert problem.value.problem == "bad_split"


def test_variant_text_checks() -> None:
    assert campaign_text.check_text("  Promo {name}!  ") == "Promo {name}!"
    for text, key in [(None, "empty"), ("  ", "empty")]:
        with pytest.raises(BadText) as problem:
            campaign_text.check_text(text)
        assert problem.value.problem == key
    with pytest.raises(BadText) as problem:
        campaign_text.check_text("x" * (campaign_text.MAX_TEXT + 1))
    assert problem.value.values == {
        "length": campaign_text.MAX_TEXT + 1,
        "max": campaign_text.MAX_TEXT,
    }


def test_render_fills_name_and_shop_and_leaves_other_braces() -> None:
    text = campaign_text.render("Halo {name}, diskon {10%} di {shop}", name="Sari", shop=SHOP)
    assert text == "Halo Sari, diskon {10%} di Toko Sari"


@pytest.mark.parametrize(("n", "a", "b"), [(0, 0, 0), (1, 1, 0), (2, 1, 1), (7, 4, 3)])
def test_split_sizes(n: int, a: int, b: int) -> None:
    assert campaign_text.split(n, 2) == (a, b)
    assert campaign_text.split(n, 1) == (n, 0)


# -- storage: recipients, launch, split ------------------------------------------------------
def add_customers(engine: Engine, count: int, **fields: object) -> None:
    """`count` reachable customers with ids 1.. (Indonesian, except every third in English)."""
    with Session(engine) as session:
        start = len(session.exec(select(Customer)).all())
        for i in range(start + 1, start + count + 1):
            values = {
                "telegram_id": 1000 + i,
                "chat_id": 1000 + i,
                "first_name": f"Nama{i}",
                "language": "en" if i % 3 == 0 else "id",
                "segment": "advocate",
            } | fields
            session.add(
                Customer(
                    id=i,
                    first_seen=NOW,
                    last_seen=NOW,
                    referral_code=f"code{i}",
                    **values,
                )
            )
        session.commit()


def draft(
    session: Session, segment: str = "all", text_a: str = "A {name}", text_b: str | None = None
) -> int:
    campaign_id = campaigns_sql.create_draft(session=session, owner_id=OWNER, now=NOW)
    assert campaigns_sql.advance(
        session=session,
        campaign_id=campaign_id,
        step="segment",
        to="confirm",
        segment=segment,
        text_a=text_a,
        text_b=text_b,
    )
    return campaign_id


def confirm(engine: Engine, campaign_id: int) -> campaigns.Reply:
    with Session(engine) as session:
        reply = campaigns.confirm(
            session, owner_id=OWNER, campaign_id=campaign_id, lang="id", shop=SHOP, now=NOW
        )
        session.commit()
    return reply


def outreach(engine: Engine, campaign_id: int) -> list[Outreach]:
    with Session(engine) as session:
        found = session.exec(select(Outreach).where(Outreach.campaign_id == campaign_id))
        return sorted(found, key=lambda o: o.customer_id)


@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_split_is_exactly_even(engine: Engine, n: int) -> None:
    add_customers(engine, n)
    with Session(engine) as session:
        campaign_id = draft(session, text_b="B {name}")
        session.commit()
    confirm(engine, campaign_id)
    variants = [o.variant for o in outreach(engine, campaign_id)]
    assert (variants.count("A"), variants.count("B")) == (math.ceil(n / 2), n // 2)


def assignment(engine: Engine) -> dict[int, str | None]:
    with Session(engine) as session:
        campaign_id = draft(session, text_b="B")
        session.commit()
    confirm(engine, campaign_id)
    return {o.customer_id: o.variant for o in outreach(engine, campaign_id)}


def test_split_is_deterministic_and_the_same_on_every_backend(
    engine: Engine, tmp_path: Path
) -> None:
    reference = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    migrate(reference)
    for database in (engine, reference):
        add_customers(database, 60)
    first = assignment(engine)
    assert first == assignment(reference)  # campaign 1 on a fresh SQLite database
    reference.dispose()
    second = assignment(engine)  # campaign 2: another order, not the same halves again
    assert first != second
    a_ids = {c for c, v in first.items() if v == "A"}
    assert a_ids != {c for c in first if c % 2 == 1}  # not simply odd and even ids
    assert a_ids != {c for c in first if c % 2 == 0}


def test_unreachable_customers_are_not_recipients(engine: Engine) -> None:
    add_customers(engine, 4)
    add_customers(engine, 1, opted_out=True)
    add_customers(engine, 1, blocked=True)
    add_customers(engine, 1, erased_at=NOW, chat_id=None, telegram_id=None)
    add_customers(engine, 2, segment="at_risk", declining=True)
    with Session(engine) as session:
        counts = campaigns_sql.segment_counts(session=session, segments=campaigns.SEGMENTS)
        campaign_id = draft(session)
        session.commit()
    assert counts == {
        "all": 6,
        "advocate": 4,
        "potential": 0,
        "at_risk": 2,
        "new": 0,
        "declining": 2,
    }
    confirm(engine, campaign_id)
    assert [o.customer_id for o in outreach(engine, campaign_id)] == [1, 2, 3, 4, 8, 9]


def test_confirm_twice_plans_one_set_of_rows(engine: Engine) -> None:
    add_customers(engine, 5)
    with Session(engine) as session:
        campaign_id = draft(session, text_b="B")
        session.commit()
    first = confirm(engine, campaign_id)
    second = confirm(engine, campaign_id)
    assert first.edit is not None
    assert second.edit is None  # nothing new: the press is only answered
    assert second.answer == t("id", "broadcast_launched", id=campaign_id, count=5)
    rows = outreach(engine, campaign_id)
    assert len(rows) == 5
    assert {o.dedupe_key for o in rows} == {f"campaign:{campaign_id}:{i}" for i in range(1, 6)}
    with Session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        assert (campaign.status, campaign.recipients, campaign.step) == ("sending", 5, None)
        assert (
            campaigns_sql.launch(
                session=session,
                campaign=campaign,
                texts={"A": {"id": "x", "en": "x"}},
                name_fallback={"id": "kak", "en": "there"},
                now=NOW,
                expires_at=None,
            )
            is None
        )


def test_two_confirms_racing_plan_one_set_of_rows(engine: Engine) -> None:
    """Two replicas pressing "Kirim" at once: each in its own transaction and thread."""
    add_customers(engine, 30)
    with Session(engine) as session:
        campaign_id = draft(session, text_b="B")
        session.commit()
    barrier = threading.Barrier(2)

    def press() -> bool:
        with Session(engine) as session:
            session.connection()  # each has its connection before either starts
            barrier.wait()
            reply = campaigns.confirm(
                session, owner_id=OWNER, campaign_id=campaign_id, lang="id", shop=SHOP, now=NOW
            )
            session.commit()
            return reply.edit is not None

    with ThreadPoolExecutor(2) as pool:
        launched = sorted(pool.map(lambda _: press(), range(2)))
    assert launched == [False, True]
    assert len(outreach(engine, campaign_id)) == 30


def test_rows_are_rendered_per_customer_in_their_language(engine: Engine) -> None:
    add_customers(engine, 3)
    add_customers(engine, 1, first_name=None, language="en")
    with Session(engine) as session:
        campaign_id = draft(session, text_a="Halo {name} dari {shop}\n---\nHi {name} from {shop}")
        session.commit()
    confirm(engine, campaign_id)
    rows = outreach(engine, campaign_id)
    assert [(o.language, o.text, o.variant) for o in rows] == [
        ("id", "Halo Nama1 dari Toko Sari", "A"),
        ("id", "Halo Nama2 dari Toko Sari", "A"),
        ("en", "Hi Nama3 from Toko Sari", "A"),
        ("en", "Hi there from Toko Sari", "A"),
    ]
    first = rows[0]
    assert (first.kind, first.status, first.priority, first.due_at) == (
        "campaign",
        "planned",
        0,
        NOW,
    )
    assert first.expires_at == NOW + campaigns.EXPIRY


def sent(engine: Engine, campaign_id: int, variant: str, count: int, responded: int) -> None:
    """What the dispatcher does: mark `count` rows of `variant` sent, `responded` of them
    responded."""
    rows = [o for o in outreach(engine, campaign_id) if o.variant == variant]
    with Session(engine) as session:
        for i, row in enumerate(rows[:count]):
            values = {"status": "sent", "sent_at": NOW + timedelta(hours=1)}
            if i < responded:
                values["responded_at"] = NOW + timedelta(hours=2)
            session.execute(update(Outreach).where(Outreach.id == row.id).values(**values))
        session.commit()


def details(engine: Engine, campaign_id: int, lang: str = "id") -> str:
    with Session(engine) as session:
        screen = campaign_results.details(session, campaign_id=campaign_id, lang=lang)
        session.commit()
    return screen.text


def test_results_show_rates_and_the_p_value_of_the_known_case(engine: Engine) -> None:
    add_customers(engine, 200)
    with Session(engine) as session:
        campaign_id = draft(session, text_b="B")
        session.commit()
    confirm(engine, campaign_id)
    sent(engine, campaign_id, "A", 100, 45)
    sent(engine, campaign_id, "B", 100, 30)
    text = details(engine, campaign_id)
    assert "Varian A: terkirim 100, dibalas 45, engagement 45%" in text
    assert "Varian B: terkirim 100, dibalas 30, engagement 30%" in text
    assert "Varian A kemungkinan besar memang lebih bagus" in text
    assert "p = 0,028" in text
    english = details(engine, campaign_id, "en")
    assert "Variant A is likely really better" in english
    assert "p = 0.028" in english


def test_results_say_belum_cukup_data_when_too_few(engine: Engine) -> None:
    add_customers(engine, 100)
    with Session(engine) as session:
        campaign_id = draft(session, text_b="B")
        session.commit()
    confirm(engine, campaign_id)
    sent(engine, campaign_id, "A", 20, 9)
    sent(engine, campaign_id, "B", 20, 2)
    text = details(engine, campaign_id)
    assert "engagement 45%" in text
    assert "engagement 10%" in text
    assert "Belum cukup data" in text
    assert "60 pesan masih di antrean." in text
    assert "sedang dikirim" in text


def test_cancel_stops_planned_rows_and_a_finished_campaign_is_done(engine: Engine) -> None:
    add_customers(engine, 6)
    with Session(engine) as session:
        other = draft(session)
        session.commit()
    confirm(engine, other)
    sent(engine, other, "A", 2, 1)
    with Session(engine) as session:
        row = outreach(engine, other)[2]
        session.execute(update(Outreach).where(Outreach.id == row.id).values(status="sending"))
        reply = campaign_results.stop(session, campaign_id=other, lang="id", now=NOW)
        session.commit()
    assert reply.answer == t("id", "campaign_stopped", id=other, count=3)
    statuses = [o.status for o in outreach(engine, other)]
    assert statuses == ["sent", "sent", "sending", "cancelled", "cancelled", "cancelled"]
    with Session(engine) as session:
        again = campaign_results.stop(session, campaign_id=other, lang="id", now=NOW)
        campaign = session.get(Campaign, other)
        assert campaign is not None
        assert (campaign.status, campaign.cancelled_at) == ("cancelled", NOW)
    assert again.answer == t("id", "campaign_not_sending")


def test_campaign_with_nothing_left_is_done(engine: Engine) -> None:
    add_customers(engine, 2)
    with Session(engine) as session:
        campaign_id = draft(session)
        session.commit()
    confirm(engine, campaign_id)
    with Session(engine) as session:
        assert not results_sql.finish_if_sent(session=session, campaign_id=campaign_id)
    sent(engine, campaign_id, "A", 2, 0)
    assert "selesai" in details(engine, campaign_id)
    assert "Cuma satu varian" in details(engine, campaign_id)


def test_a_new_broadcast_drops_the_owners_older_draft(engine: Engine) -> None:
    add_customers(engine, 2)
    with Session(engine) as session:
        older = draft(session)
        newer = draft(session)
        session.commit()
    assert confirm(engine, older).answer == t("id", "broadcast_stale")
    assert confirm(engine, newer).edit is not None
    assert outreach(engine, older) == []
    assert len(outreach(engine, newer)) == 2


# -- the owner's flow through the real Application -------------------------------------------
@pytest.fixture
async def bot(settings: Settings, sqlite_engine: Engine) -> AsyncIterator[BotHarness]:
    async with BotHarness(settings, sqlite_engine) as harness:
        yield harness


def data_of(bot: BotHarness, chat_id: int, label: str) -> str:
    """The callback data of the newest button labelled `label` in the chat."""
    for message in reversed(bot.telegram.bot_messages(chat_id)):
        for text, data in buttons(message):
            if text == label:
                return data
    raise AssertionError(f"no button {label!r} in chat {chat_id}")


def answers(bot: BotHarness) -> list[str | None]:
    return [c.get("text") for c in bot.calls("answerCallbackQuery")]


async def customers_in_chat(bot: BotHarness) -> None:
    """Six customers who wrote /start (501-505 Indonesian, 506 English), 505 then /stop;
    501-503 and 506 are advocates, 504-505 potential."""
    for user_id in range(501, 507):
        bot.user(user_id, language_code="en" if user_id == 506 else "id")
        await bot.send(user_id, "/start")
    await bot.send(505, "/stop")
    with Session(bot.engine) as session:
        for found in session.exec(select(Customer)):
            advocate = found.telegram_id in (501, 502, 503, 506)
            found.segment = "advocate" if advocate else "potential"
            session.add(found)
        session.commit()


async def test_broadcast_flow_with_two_variants(bot: BotHarness) -> None:
    await customers_in_chat(bot)
    await bot.send(OWNER, "/broadcast")
    assert bot.last_text(OWNER) == t("id", "broadcast_pick_segment")
    labels = [label for label, _ in buttons(bot.telegram.bot_messages(OWNER)[-1])]
    assert labels == [
        "Semua (5)",
        "Pendukung setia (4)",
        "Potensial (1)",
        "Berisiko pergi (0)",
        "Pelanggan baru (0)",
        "Menurun (0)",
        "Batal",
    ]
    await bot.press(OWNER, data_of(bot, OWNER, "Pendukung setia (4)"))
    assert bot.last_text(OWNER).startswith("Segmen: Pendukung setia · 4 penerima.")
    await bot.send(
        OWNER, "Halo kak {name}, ada promo di {shop}!\n---\nHi {name}, a deal at {shop}!"
    )
    assert bot.last_text(OWNER) == t("id", "broadcast_ask_b")
    await bot.press(OWNER, data_of(bot, OWNER, "Tambah varian B"))
    assert bot.last_text(OWNER) == t("id", "broadcast_write_b")
    before = len(bot.texts(OWNER))
    await bot.send(OWNER, "Kak {name}, cek koleksi baru yuk")
    shown = bot.texts(OWNER)[before:]
    assert shown[:3] == [
        "👁 Pratinjau varian A · Bahasa Indonesia:\n\nHalo kak User501, ada promo di Toko Kami!",
        "👁 Pratinjau varian A · Bahasa Inggris:\n\nHi User506, a deal at Toko Kami!",
        "👁 Pratinjau varian B · semua pelanggan:\n\nKak User501, cek koleksi baru yuk",
    ]
    assert shown[3].startswith("📣 Siap kirim ke segmen Pendukung setia: 4 penerima.")
    assert "Varian A ke 2 orang, varian B ke 2 orang" in shown[3]

    summary = bot.telegram.bot_messages(OWNER)[-1]
    send = data_of(bot, OWNER, "✅ Kirim")
    for _ in range(2):  # a double tap: both presses carry the summary as it was
        await bot.feed(bot.telegram.callback_update(bot.user(OWNER), summary, send))
    [campaign] = rows_of(bot.engine, Campaign)
    assert (campaign.status, campaign.recipients, campaign.segment) == ("sending", 4, "advocate")
    launched = t("id", "broadcast_launched", id=campaign.id, count=4)
    assert bot.last_text(OWNER) == launched
    assert answers(bot)[-1] == launched  # the second press only says it went already
    planned = sorted(rows_of(bot.engine, Outreach), key=lambda o: o.customer_id)
    by_customer = {o.customer_id: (o.variant, o.text) for o in planned}
    assert len(planned) == 4
    assert sorted(v for v, _ in by_customer.values()) == ["A", "A", "B", "B"]
    ids = {customer_id(bot, n): n for n in (501, 502, 503, 506)}
    for cid, (variant, text) in by_customer.items():
        name = f"User{ids[cid]}"
        if variant == "B":
            assert text == f"Kak {name}, cek koleksi baru yuk"
        elif ids[cid] == 506:
            assert text == f"Hi {name}, a deal at Toko Kami!"
        else:
            assert text == f"Halo kak {name}, ada promo di Toko Kami!"


async def test_variant_b_can_be_written_straight_after_the_question(bot: BotHarness) -> None:
    await customers_in_chat(bot)
    await bot.send(OWNER, "/broadcast")
    await bot.press(OWNER, data_of(bot, OWNER, "Semua (5)"))
    await bot.send(OWNER, "Halo kak {name}, ada promo!")
    assert bot.last_text(OWNER) == t("id", "broadcast_ask_b")
    ask = bot.telegram.bot_messages(OWNER)[-1]
    before = len(bot.texts(OWNER))
    await bot.send(OWNER, "Kak {name}, cek koleksi baru yuk")  # no button pressed
    shown = bot.texts(OWNER)[before:]
    assert (
        shown[1] == "👁 Pratinjau varian B · semua pelanggan:\n\nKak User501, cek koleksi baru yuk"
    )
    assert "Varian A ke 3 orang, varian B ke 2 orang" in shown[-1]
    [campaign] = rows_of(bot.engine, Campaign)
    assert (campaign.step, campaign.text_b) == ("confirm", "Kak {name}, cek koleksi baru yuk")
    no_b = next(d for label, d in buttons(ask) if label == t("id", "broadcast_no_b_button"))
    await bot.feed(bot.telegram.callback_update(bot.user(OWNER), ask, no_b))  # the old question
    [campaign] = rows_of(bot.engine, Campaign)
    assert (campaign.step, campaign.text_b) == ("confirm", "Kak {name}, cek koleksi baru yuk")


def rows_of(engine: Engine, model: type) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model)))


def customer_id(bot: BotHarness, telegram_id: int) -> int:
    with Session(bot.engine) as session:
        found = session.exec(select(Customer).where(Customer.telegram_id == telegram_id)).one()
        assert found.id is not None
        return found.id


async def launch_through_bot(bot: BotHarness, lang: str = "id") -> int:
    """/broadcast to everyone with one variant, through the buttons; the campaign's id."""
    bot.user(OWNER, language_code=lang)
    await bot.send(OWNER, "/broadcast")
    await bot.press(
        OWNER,
        data_of(
            bot,
            OWNER,
            t(lang, "campaign_segment_button", segment=t(lang, "campaign_segment_all"), count=5),
        ),
    )
    await bot.send(OWNER, "Halo {name}")
    await bot.press(OWNER, data_of(bot, OWNER, t(lang, "broadcast_no_b_button")))
    await bot.press(OWNER, data_of(bot, OWNER, t(lang, "broadcast_send_button")))
    campaign = max(
        (c for c in rows_of(bot.engine, Campaign) if c.status == "sending"), key=lambda c: c.id
    )
    assert campaign.id is not None
    return campaign.id


async def test_campaign_command_lists_shows_and_cancels(bot: BotHarness) -> None:
    await customers_in_chat(bot)
    campaign_id = await launch_through_bot(bot)
    assert len(rows_of(bot.engine, Outreach)) == 5  # one variant: everyone reachable gets A
    await bot.send(OWNER, "/campaign")  # the newest campaign's results at once
    assert bot.last_text(OWNER).splitlines() == [
        "📣 Kampanye #1 · segmen Semua · 5 penerima · sedang dikirim",
        "5 pesan masih di antrean.",
        "Varian A: terkirim 0, dibalas 0, engagement belum ada",
        t("id", "campaign_verdict_single"),
    ]
    await bot.press(OWNER, data_of(bot, OWNER, "Batalkan"))
    assert answers(bot)[-1] == t("id", "campaign_stopped", id=campaign_id, count=5)
    assert bot.last_text(OWNER).startswith(
        "📣 Kampanye #1 · segmen Semua · 5 penerima · dibatalkan"
    )
    assert {o.status for o in rows_of(bot.engine, Outreach)} == {"cancelled"}
    await bot.send(OWNER, f"/campaign {campaign_id + 1}")
    assert bot.last_text(OWNER) == t("id", "campaign_not_found", id=campaign_id + 1)
    await bot.send(OWNER, "/campaign satu")
    assert bot.last_text(OWNER) == t("id", "campaign_usage")


async def test_campaign_alone_shows_the_newest_then_lists_the_others(bot: BotHarness) -> None:
    await customers_in_chat(bot)
    first = await launch_through_bot(bot)
    second = await launch_through_bot(bot)
    await bot.send(OWNER, "/campaign")
    newest, listing = bot.texts(OWNER)[-2:]
    assert newest.startswith(f"📣 Kampanye #{second} · segmen Semua")
    assert listing.startswith("📣 Kampanye terakhir:\n")
    assert f"#{first} · " in listing
    await bot.press(OWNER, data_of(bot, OWNER, f"#{first}"))
    assert bot.last_text(OWNER).startswith(f"📣 Kampanye #{first} · segmen Semua")


async def test_owner_console_speaks_the_owners_language(bot: BotHarness) -> None:
    await customers_in_chat(bot)
    campaign_id = await launch_through_bot(bot, "en")
    assert bot.last_text(OWNER) == t("en", "broadcast_launched", id=campaign_id, count=5)
    await bot.send(OWNER, f"/campaign {campaign_id}")
    assert bot.last_text(OWNER).startswith("📣 Campaign #1 · Everyone · 5 recipients · sending")


async def test_variant_text_problems_are_asked_again(bot: BotHarness) -> None:
    await customers_in_chat(bot)
    await bot.send(OWNER, "/broadcast")
    await bot.press(OWNER, data_of(bot, OWNER, "Semua (5)"))
    await bot.send_kind(OWNER, sticker=STICKER)
    assert bot.last_text(OWNER) == t("id", "broadcast_text_only")
    await bot.send(OWNER, "Halo\n---\n")
    assert bot.last_text(OWNER) == t("id", "broadcast_bad_split")
    [campaign] = rows_of(bot.engine, Campaign)
    assert (campaign.step, campaign.text_a) == ("text_a", "")
    await bot.send(OWNER, "Halo {name}")
    [campaign] = rows_of(bot.engine, Campaign)
    assert (campaign.step, campaign.text_a) == ("ask_b", "Halo {name}")


async def test_owner_messages_without_a_waiting_draft_are_not_taken(bot: BotHarness) -> None:
    # What the rest of the console answers them is not this module's business; here: the
    # message is not taken as a variant, and the draft stays where it was.
    def draft_state() -> tuple[str | None, str]:
        [campaign] = rows_of(bot.engine, Campaign)
        return campaign.step, campaign.text_a

    await customers_in_chat(bot)
    await bot.send(OWNER, "/broadcast")
    await bot.send(OWNER, "promo")  # the draft waits for a segment, not a text
    assert draft_state() == ("segment", "")
    await bot.press(OWNER, data_of(bot, OWNER, "Semua (5)"))
    bot.clock.advance(hours=2)  # a draft left for longer than DRAFT_TTL takes no messages
    await bot.send(OWNER, "promo")
    assert draft_state() == ("text_a", "")
    assert t("id", "broadcast_ask_b") not in bot.texts(OWNER)


async def test_a_reply_to_a_relayed_customer_message_is_not_a_variant(bot: BotHarness) -> None:
    await customers_in_chat(bot)
    await bot.send(OWNER, "/broadcast")
    await bot.press(OWNER, data_of(bot, OWNER, "Semua (5)"))
    relayed = bot.telegram.bot_messages(OWNER)[0]
    with Session(bot.engine) as session:
        session.add(
            OwnerRelay(
                customer_id=customer_id(bot, 501),
                owner_chat_id=OWNER,
                owner_message_id=relayed["message_id"],
                created_at=NOW,
            )
        )
        session.commit()
    await bot.send(OWNER, "siap kak, dikirim besok", reply_to_message=relayed)
    [campaign] = rows_of(bot.engine, Campaign)
    assert (campaign.step, campaign.text_a) == ("text_a", "")


async def test_non_owners_get_the_unknown_command_answer(bot: BotHarness) -> None:
    for command in ("/broadcast", "/campaign", "/campaign 1"):
        await bot.send(501, command)
        word = command.split()[0]
        assert bot.last_text(501) == t("id", "unknown_command", command=word)
    assert rows_of(bot.engine, Campaign) == []


async def test_non_owner_pressing_a_campaign_button_is_refused(bot: BotHarness) -> None:
    await customers_in_chat(bot)
    await bot.send(OWNER, "/broadcast")
    message = bot.telegram.bot_messages(OWNER)[-1]
    for label in ("Semua (5)", "Batal"):
        data = data_of(bot, OWNER, label)
        await bot.feed(bot.telegram.callback_update(bot.user(501), message, data))
        [answer] = bot.calls("answerCallbackQuery")[-1:]
        assert (answer["text"], answer["show_alert"]) == (t("id", "button_invalid"), True)
    [campaign] = rows_of(bot.engine, Campaign)
    assert (campaign.status, campaign.step) == ("draft", "segment")
    campaign_id = await launch_through_bot(bot)
    await bot.send(OWNER, f"/campaign {campaign_id}")
    details_message = bot.telegram.bot_messages(OWNER)[-1]
    stop = data_of(bot, OWNER, "Batalkan")
    await bot.feed(bot.telegram.callback_update(bot.user(502), details_message, stop))
    assert answers(bot)[-1] == t("id", "button_invalid")
    assert {o.status for o in rows_of(bot.engine, Outreach)} == {"planned"}


async def test_broadcast_is_written_in_the_private_chat_only(bot: BotHarness) -> None:
    group = -100200300
    await bot.send(OWNER, "/broadcast", chat_id=group)
    assert bot.last_text(group) == t("id", "broadcast_private_only")
    assert rows_of(bot.engine, Campaign) == []
