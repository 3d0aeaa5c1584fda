"""The planners against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from bot.config import Settings
from bot.services.planning import plan
from storage.db import session_scope
from storage.models import Customer, Feedback, Message, Outreach, Purchase

IDS = count(1)
# 2027-03-10 (Idul Fitri) at 07:00 in Jakarta.
NOW = datetime(2027, 3, 10, 0, 0, tzinfo=UTC)


def settings_for(**values: Any) -> Settings:
    return Settings(_env_file=None, shop_name="Toko Ani", **values)  # type: ignore[call-arg]


def add_customer(session: Session, **fields: Any) -> Customer:
    n = next(IDS)
    values: dict[str, Any] = {
        "telegram_id": 10_000 + n,
        "chat_id": 10_000 + n,
        "first_name": f"Budi{n}",
        "language": "id",
        "first_seen": NOW - timedelta(days=100),
        "last_seen": NOW - timedelta(days=50),
        "referral_code": f"R{n}",
    }
    values.update(fields)
    customer = Customer(**values)
    session.add(customer)
    session.flush()
    return customer


def add_message(session: Session, customer: Customer, at: datetime, **fields: Any) -> Message:
    values: dict[str, Any] = {
        "customer_id": customer.id,
        "direction": "in",
        "kind": "text",
        "text": "halo",
        "chat_id": customer.chat_id,
        "telegram_message_id": next(IDS),
        "sent_at": at,
    }
    values.update(fields)
    message = Message(**values)
    session.add(message)
    customer.last_seen = max(customer.last_seen, at)
    session.add(customer)
    session.flush()
    return message


def outreach(engine: Engine, kind: str | None = None) -> list[Outreach]:
    with Session(engine) as session:
        query = select(Outreach).order_by(Outreach.customer_id, Outreach.dedupe_key)
        if kind:
            query = query.where(Outreach.kind == kind)
        return list(session.execute(query).scalars())


def run(engine: Engine, settings: Settings, now: datetime, **kw: Any) -> dict[str, int]:
    with session_scope(engine) as session:
        return {kind: s.planned for kind, s in plan(session, settings, now, **kw).items()}


def test_birthday_on_the_local_day_once_in_the_customers_language(engine: Engine) -> None:
    settings = settings_for(timezone="Asia/Jayapura")
    with session_scope(engine) as session:
        ani = add_customer(session, birthday_day=10, birthday_month=3, first_name="Ani")
        add_customer(session, birthday_day=10, birthday_month=3, language="en", first_name="Jo")
        add_customer(session, birthday_day=10, birthday_month=3, opted_out=True)
        add_customer(session, birthday_day=10, birthday_month=3, blocked=True)
        add_customer(session, birthday_day=10, birthday_month=3, erased_at=NOW)
        add_customer(session, birthday_day=11, birthday_month=3)
        ani_id = ani.id
    # 00:30 on 10-03 in Jayapura is still 09-03 in UTC: the local date decides.
    at = datetime(2027, 3, 9, 15, 30, tzinfo=UTC)
    assert run(engine, settings, at)["birthday"] == 2
    rows = outreach(engine, "birthday")
    assert [r.customer_id for r in rows][0] == ani_id
    assert rows[0].dedupe_key == f"birthday:{ani_id}:2027"
    assert rows[0].due_at == datetime(2027, 3, 10, 0, 0, tzinfo=UTC)  # 09:00 local
    assert rows[0].expires_at == datetime(2027, 3, 10, 15, 0, tzinfo=UTC)  # local midnight
    assert rows[0].priority == 40
    assert rows[0].status == "planned"
    assert "Selamat ulang tahun, kak Ani!" in rows[0].text
    assert "Toko Ani" in rows[0].text
    assert rows[1].language == "en"
    assert rows[1].text.startswith("Happy birthday, Jo!")
    assert run(engine, settings, at + timedelta(hours=5))["birthday"] == 0  # twice: nothing new
    assert len(outreach(engine, "birthday")) == 2


def test_birthday_29_02_on_28_02_in_2027(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_customer(session, birthday_day=29, birthday_month=2)
    assert run(engine, settings_for(), datetime(2027, 2, 27, 20, 0, tzinfo=UTC))["birthday"] == 1
    assert run(engine, settings_for(), datetime(2027, 3, 1, 3, 0, tzinfo=UTC))["birthday"] == 0


def test_holidays_default_and_chosen(engine: Engine) -> None:
    with session_scope(engine) as session:
        for _ in range(3):
            add_customer(session)
        add_customer(session, language="en")
    assert run(engine, settings_for(), NOW)["holiday"] == 0  # Idul Fitri is not a default
    chosen = settings_for(greeting_holidays="idul_fitri,christmas")
    assert run(engine, chosen, NOW)["holiday"] == 4
    assert run(engine, chosen, NOW + timedelta(hours=1))["holiday"] == 0
    rows = outreach(engine, "holiday")
    assert rows[0].due_at == datetime(2027, 3, 10, 1, 0, tzinfo=UTC)  # 08:00 in Jakarta
    assert rows[0].dedupe_key.startswith("holiday:idul_fitri:")
    assert "Selamat Idul Fitri, kak" in rows[0].text
    assert "Happy Eid al-Fitr" in rows[-1].text
    new_year = datetime(2027, 1, 1, 5, 0, tzinfo=UTC)
    assert run(engine, settings_for(), new_year)["holiday"] == 4


def test_anniversary_after_one_year_then_every_year(engine: Engine) -> None:
    with session_scope(engine) as session:
        one = add_customer(session, first_seen=datetime(2026, 3, 9, 18, 0, tzinfo=UTC))  # 10-03
        add_customer(session, first_seen=datetime(2024, 3, 10, 5, 0, tzinfo=UTC))
        add_customer(session, first_seen=datetime(2026, 3, 10, 18, 0, tzinfo=UTC))  # 11-03
        add_customer(session, first_seen=datetime(2027, 3, 9, 18, 0, tzinfo=UTC))  # today
        one_id = one.id
    assert run(engine, settings_for(), NOW)["anniversary"] == 2
    rows = outreach(engine, "anniversary")
    assert rows[0].customer_id == one_id
    assert "1 tahun" in rows[0].text
    assert "3 tahun" in rows[1].text
    assert rows[0].due_at == datetime(2027, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 local


def test_rating_once_per_idle_conversation(engine: Engine) -> None:
    start = NOW - timedelta(hours=3)
    with session_scope(engine) as session:
        chatty = add_customer(session)
        first = add_message(session, chatty, start)
        add_message(session, chatty, start + timedelta(minutes=40), kind="command", text="/rate")
        only_commands = add_customer(session)
        add_message(session, only_commands, start, kind="command", text="/start")
        rated = add_customer(session)
        add_message(session, rated, start)
        session.add(
            Feedback(
                customer_id=rated.id,
                kind="csat",
                score=5,
                created_at=NOW - timedelta(days=2),
                updated_at=NOW - timedelta(days=2),
            )
        )
        recent = add_customer(session)
        add_message(session, recent, NOW - timedelta(minutes=30))
        keys = (chatty.id, first.id)
    settings = settings_for()
    assert run(engine, settings, NOW)["rating"] == 1
    assert run(engine, settings, NOW + timedelta(minutes=5))["rating"] == 0
    (row,) = outreach(engine, "rating")
    assert row.dedupe_key == f"rating:{keys[0]}:{keys[1]}"
    assert row.due_at == start + timedelta(minutes=40, hours=2)


def test_complaint_followup_once_per_conversation(engine: Engine) -> None:
    at = NOW - timedelta(hours=1)
    with session_scope(engine) as session:
        angry = add_customer(session)
        first = add_message(session, angry, at - timedelta(minutes=5), sentiment_polarity=0.0)
        add_message(session, angry, at, sentiment_polarity=-0.9)
        add_message(session, angry, at + timedelta(minutes=5), sentiment_polarity=-0.8)
        asking = add_customer(session)
        add_message(session, asking, at, text="kak, ukuran L masih ada?", sentiment_polarity=0.0)
        low = add_customer(session)
        press = add_message(session, low, at, kind="callback", text="v1:csat:2")
        session.add(
            Feedback(customer_id=low.id, kind="csat", score=2, created_at=at, updated_at=at)
        )
        wrote = add_customer(session)
        words = add_message(
            session, wrote, at, kind="command", text="/feedback jelek", sentiment_polarity=-0.9
        )
        expected = {
            f"complaint_followup:{angry.id}:{first.id}",
            f"complaint_followup:{low.id}:{press.id}",
            f"complaint_followup:{wrote.id}:{words.id}",
        }
    settings = settings_for()
    assert run(engine, settings, NOW)["complaint_followup"] == 3
    assert run(engine, settings, NOW)["complaint_followup"] == 0
    rows = outreach(engine, "complaint_followup")
    assert {r.dedupe_key for r in rows} == expected
    assert {r.due_at for r in rows} == {at + timedelta(days=1)}


def test_at_risk_cap_cooldown_and_value_order(engine: Engine) -> None:
    with session_scope(engine) as session:
        rich = add_customer(session, segment="at_risk")
        session.add(
            Purchase(
                customer_id=rich.id,
                amount_cents=900_000,
                purchased_at=NOW,
                dedupe_key="p1",
                created_at=NOW,
            )
        )
        declining = add_customer(session, segment="potential", declining=True)
        session.add(
            Purchase(
                customer_id=declining.id,
                amount_cents=100_000,
                purchased_at=NOW,
                dedupe_key="p2",
                created_at=NOW,
            )
        )
        poor = add_customer(session, segment="at_risk")
        add_customer(session, segment="new", declining=True)
        add_customer(session, segment="advocate")
        order = [rich.id, declining.id, poor.id]
    capped = settings_for(at_risk_daily_cap=2, at_risk_incentive="Kode DISKON10 ya kak")
    assert run(engine, capped, NOW)["at_risk"] == 2
    assert run(engine, capped, NOW + timedelta(hours=1))["at_risk"] == 0  # today's cap is used
    assert [r.customer_id for r in outreach(engine, "at_risk")] == order[:2]
    assert outreach(engine, "at_risk")[0].text.endswith("Spesial buat kakak: Kode DISKON10 ya kak")
    # The next day: the third; the first two are cooling down (AT_RISK_COOLDOWN 30 d).
    assert run(engine, capped, NOW + timedelta(days=1))["at_risk"] == 1
    assert run(engine, capped, NOW + timedelta(days=2))["at_risk"] == 0
    assert run(engine, capped, NOW + timedelta(days=31))["at_risk"] == 2


def test_dry_run_writes_nothing(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_customer(session, birthday_day=10, birthday_month=3)
    with session_scope(engine) as session:
        summary = plan(session, settings_for(), NOW, dry_run=True)
    assert summary["birthday"].planned == 1
    assert summary["birthday"].examples[0]["text"].startswith("Selamat ulang tahun")
    assert outreach(engine) == []


def test_two_planners_racing_plan_each_row_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        for _ in range(300):
            add_customer(session)
    settings = settings_for(greeting_holidays="idul_fitri")
    results: list[int] = []
    barrier = threading.Barrier(2)

    def planner() -> None:
        barrier.wait()
        results.append(run(engine, settings, NOW)["holiday"])

    threads = [threading.Thread(target=planner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 300
    with Session(engine) as session:
        assert session.execute(select(func.count(Outreach.id))).scalar_one() == 300


def test_forget_empties_outreach_texts_and_cancels_what_is_planned(engine: Engine) -> None:
    from storage.customers import erase_customer

    with session_scope(engine) as session:
        ani = add_customer(session, birthday_day=10, birthday_month=3, first_name="Zubaidah")
        ani_id = ani.id
    run(engine, settings_for(), NOW)
    with session_scope(engine) as session:
        customer = session.get(Customer, ani_id)
        assert customer is not None
        erase_customer(session=session, customer=customer, now=NOW)
    [row] = outreach(engine, "birthday")
    assert (row.text, row.status, row.reason) == ("", "cancelled", "erased")
