"""Campaigns with A/B: the test's p-value, the split, the launch into the outbox, the results.

Storage tests run on SQLite and PostgreSQL; the /broadcast flow through the real Application
is in tests/test_campaigns_flow.py.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from bot.services import campaign_results, campaigns
from bot.services.campaigns import BadText
from bot.texts import t
from scoring import abtest
from storage import campaign_results as results_sql
from storage import campaigns as campaigns_sql
from storage.db import make_engine, migrate
from storage.models import Campaign, Customer, Outreach

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
    assert campaigns.versions("Halo {name}") == {"id": "Halo {name}", "en": "Halo {name}"}
    assert campaigns.versions("Halo kak\n---\nHi there\n") == {"id": "Halo kak", "en": "Hi there"}
    with pytest.raises(BadText) as problem:
        campaigns.versions("Halo kak\n---\n")
    assert problem.value.key == "broadcast_bad_split"


def test_variant_text_checks() -> None:
    assert campaigns.check_text("  Promo {name}!  ") == "Promo {name}!"
    for text, key in [(None, "broadcast_text_only"), ("  ", "broadcast_text_only")]:
        with pytest.raises(BadText) as problem:
            campaigns.check_text(text)
        assert problem.value.key == key
    with pytest.raises(BadText) as problem:
        campaigns.check_text("x" * (campaigns.MAX_TEXT + 1))
    assert problem.value.values == {"length": campaigns.MAX_TEXT + 1, "max": campaigns.MAX_TEXT}


def test_render_fills_name_and_shop_and_leaves_other_braces() -> None:
    text = campaigns.render("Halo {name}, diskon {10%} di {shop}", name="Sari", shop=SHOP)
    assert text == "Halo Sari, diskon {10%} di Toko Sari"


@pytest.mark.parametrize(("n", "a", "b"), [(0, 0, 0), (1, 1, 0), (2, 1, 1), (7, 4, 3)])
def test_split_sizes(n: int, a: int, b: int) -> None:
    assert campaigns.split(n, 2) == (a, b)
    assert campaigns.split(n, 1) == (n, 0)


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
