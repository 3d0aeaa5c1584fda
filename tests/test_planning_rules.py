"""The planners' pure rules: local dates, 29-02, holidays, ratings, complaints, at-risk."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scoring import holiday_keys
from scoring import planning as rules
from scoring import planning_days as yearly
from scoring.planning import AtRiskCandidate, Inbound, RatingFacts

JAKARTA = ZoneInfo("Asia/Jakarta")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2027, 2, 29, date(2027, 2, 28)),  # no 29-02 in 2027: greeted on 28-02
        (2028, 2, 29, date(2028, 2, 29)),
        (2100, 2, 29, date(2100, 2, 28)),  # not a leap year either
        (2027, 2, 28, date(2027, 2, 28)),
        (2027, 12, 31, date(2027, 12, 31)),
    ],
)
def test_observed(year: int, month: int, day: int, expected: date) -> None:
    assert yearly.observed(year, month, day) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 2, 28), [(2, 28), (2, 29)]),
        (date(2028, 2, 28), [(2, 28)]),
        (date(2028, 2, 29), [(2, 29)]),
        (date(2027, 3, 1), [(3, 1)]),
    ],
)
def test_days_observed_on(today: date, expected: list[tuple[int, int]]) -> None:
    assert yearly.days_observed_on(today) == expected


@pytest.mark.parametrize(
    ("tz", "now", "month", "day", "due"),
    [
        # 00:30 local on 17-08 is still 16-08 in UTC: the local date decides.
        ("Asia/Jakarta", utc(2026, 8, 16, 17, 30), 8, 17, utc(2026, 8, 17, 2, 0)),
        ("Asia/Makassar", utc(2026, 8, 16, 16, 30), 8, 17, utc(2026, 8, 17, 1, 0)),
        ("Asia/Jayapura", utc(2026, 8, 16, 15, 30), 8, 17, utc(2026, 8, 17, 0, 0)),
        ("Asia/Jakarta", utc(2027, 2, 28, 1, 0), 2, 29, utc(2027, 2, 28, 2, 0)),
        ("Asia/Jakarta", utc(2028, 2, 29, 1, 0), 2, 29, utc(2028, 2, 29, 2, 0)),
    ],
)
def test_birthday_slot_on_the_local_day(
    tz: str, now: datetime, month: int, day: int, due: datetime
) -> None:
    zone = ZoneInfo(tz)
    slot = yearly.birthday_slot(month, day, now, zone)
    assert slot is not None
    assert slot.due_at == due
    assert slot.due_at.astimezone(zone).hour == 9
    assert slot.expires_at == due + timedelta(hours=15)  # the end of the local birthday


@pytest.mark.parametrize(
    ("tz", "now", "month", "day"),
    [
        ("Asia/Jayapura", utc(2026, 8, 16, 14, 59), 8, 17),  # 23:59 on the 16th locally
        ("Asia/Jakarta", utc(2026, 8, 17, 17, 0), 8, 17),  # 00:00 on the 18th locally
        ("Asia/Jakarta", utc(2028, 2, 28, 5, 0), 2, 29),  # leap year: wait for the 29th
        ("Asia/Jakarta", utc(2027, 3, 1, 5, 0), 2, 29),
        ("Asia/Jakarta", utc(2027, 4, 30, 5, 0), 4, 31),  # no such day
    ],
)
def test_birthday_slot_not_today(tz: str, now: datetime, month: int, day: int) -> None:
    assert yearly.birthday_slot(month, day, now, ZoneInfo(tz)) is None


@pytest.mark.parametrize(
    ("first_seen", "now", "years"),
    [
        (utc(2025, 3, 4, 20, 0), utc(2026, 3, 4, 20, 0), 1),  # 05-03 locally, both times
        (utc(2025, 3, 4, 20, 0), utc(2026, 3, 4, 10, 0), None),  # 04-03 locally
        (utc(2023, 3, 5, 3, 0), utc(2026, 3, 5, 3, 0), 3),
        (utc(2026, 3, 5, 3, 0), utc(2026, 3, 5, 9, 0), None),  # the first day itself
        (utc(2024, 2, 29, 3, 0), utc(2027, 2, 28, 3, 0), 3),
        (utc(2024, 2, 29, 3, 0), utc(2028, 2, 28, 3, 0), None),
        (utc(2024, 2, 29, 3, 0), utc(2028, 2, 29, 3, 0), 4),
    ],
)
def test_anniversary_years(first_seen: datetime, now: datetime, years: int | None) -> None:
    assert yearly.anniversary_years(first_seen, now, JAKARTA) == years


def test_anniversary_sources_take_29_02_in_years_without_it() -> None:
    sources = yearly.anniversary_sources(date(2027, 2, 28), 4)
    assert sources == [
        date(2026, 2, 28),
        date(2025, 2, 28),
        date(2024, 2, 28),
        date(2024, 2, 29),
        date(2023, 2, 28),
    ]


@pytest.mark.parametrize(
    ("day", "keys"),
    [
        (date(2026, 1, 1), ["new_year"]),
        (date(2026, 3, 21), ["idul_fitri"]),
        (date(2026, 3, 22), ["idul_fitri_2"]),
        (date(2026, 2, 17), ["imlek"]),
        (date(2026, 3, 19), ["nyepi"]),
        (date(2026, 5, 27), ["idul_adha"]),
        (date(2026, 5, 31), ["waisak"]),
        (date(2026, 8, 17), ["independence_day"]),
        (date(2026, 12, 25), ["christmas"]),
        (date(2027, 3, 10), ["idul_fitri"]),  # "Eid al-Fitr (estimated)" in the package
        (date(2027, 5, 17), ["idul_adha"]),
        (date(2027, 2, 6), ["imlek"]),
        (date(2027, 3, 8), ["nyepi"]),
        (date(2027, 5, 20), ["waisak"]),
        (date(2027, 12, 26), ["isra_miraj"]),  # twice in 2027 (lunar calendar)
        (date(2026, 3, 23), []),
    ],
)
def test_holidays_2026_2027(day: date, keys: list[str]) -> None:
    assert holiday_keys.holidays_on(day, frozenset(holiday_keys.KEYS)) == keys


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Eid al-Fitr (estimated)", "idul_fitri"),
        ("Eid al-Fitr* (*estimated)", "idul_fitri"),
        ("Eid al-Fitr Second Day (estimated)", "idul_fitri_2"),
        ("Lunar New Year", "imlek"),
        ("Chinese New Year", "imlek"),
        ("Isra' and Mi'raj", "isra_miraj"),
        ("Vesak Day (estimated)", "waisak"),
        ("New Year's Day", "new_year"),
        ("General Election Day", None),
    ],
)
def test_holiday_key_of_package_names(name: str, key: str | None) -> None:
    assert holiday_keys.key_of(name) == key


def test_every_year_has_the_moving_holidays() -> None:
    for year in range(2026, 2036):
        keys = {k for ks in holiday_keys.holidays_in(year).values() for k in ks}
        assert {"idul_fitri", "idul_adha", "imlek", "nyepi", "waisak", "new_year"} <= keys


def test_greetings_default_assumes_no_religion() -> None:
    assert holiday_keys.parse_greetings(None) == {"new_year", "independence_day"}
    assert holiday_keys.parse_greetings(" Idul_Fitri, natal ".replace("natal", "christmas")) == {
        "idul_fitri",
        "christmas",
    }
    assert holiday_keys.parse_greetings("none") == frozenset()
    with pytest.raises(holiday_keys.UnknownHoliday, match="'lebaran'.*valid: none, new_year"):
        holiday_keys.parse_greetings("new_year,lebaran")


def msgs(*items: tuple[int, datetime, str]) -> list[Inbound]:
    return [Inbound(i, at, kind) for i, at, kind in items]


T0 = utc(2026, 5, 4, 3, 0)
IDLE = timedelta(hours=2)


@pytest.mark.parametrize(
    ("messages", "last_csat", "last_asked", "now", "expected"),
    [
        # idle 2 h after the last message: ask, keyed by the conversation's first message
        (
            msgs((1, T0, "text"), (2, T0 + timedelta(minutes=20), "text")),
            None,
            None,
            T0 + timedelta(hours=2, minutes=20),
            1,
        ),
        # not idle long enough yet
        (msgs((1, T0, "text")), None, None, T0 + timedelta(hours=1, minutes=59), None),
        # only commands and button presses: nothing to rate
        (msgs((1, T0, "command"), (2, T0, "callback")), None, None, T0 + IDLE, None),
        # rated 3 days ago / asked 6 days ago: not again
        (msgs((1, T0, "text")), T0 - timedelta(days=3), None, T0 + IDLE, None),
        (msgs((1, T0, "text")), None, T0 - timedelta(days=6), T0 + IDLE, None),
        # rated 8 days ago: ask
        (msgs((1, T0, "text")), T0 - timedelta(days=8), None, T0 + IDLE, 1),
        # an earlier conversation (3 h before) is its own: the last one is keyed 5
        (msgs((1, T0 - timedelta(hours=3), "text"), (5, T0, "photo")), None, None, T0 + IDLE, 5),
        # a complaint in the conversation: its follow-up asks, not a rating request
        (
            [Inbound(1, T0, "text"), Inbound(2, T0, "text", complaint=True)],
            None,
            None,
            T0 + IDLE,
            None,
        ),
        # too late (more than RATING_LATENESS after due): not planned
        (msgs((1, T0, "text")), None, None, T0 + IDLE + timedelta(hours=13), None),
    ],
)
def test_rating_intent(
    messages: list[Inbound],
    last_csat: datetime | None,
    last_asked: datetime | None,
    now: datetime,
    expected: int | None,
) -> None:
    intent = rules.rating_intent(RatingFacts(messages, last_csat, last_asked), now, IDLE)
    assert (intent[0] if intent else None) == expected
    if intent:
        assert intent[1].due_at == max(m.sent_at for m in messages) + IDLE
        assert intent[1].expires_at == intent[1].due_at + rules.RATING_LATENESS


@pytest.mark.parametrize(
    ("kind", "score", "expected"),
    [
        ("csat", 1, True),
        ("csat", 2, True),
        ("csat", 3, False),
        ("nps", 6, True),
        ("nps", 7, False),
        ("nps", 0, True),
        ("text", 1, False),
        ("csat", None, False),
    ],
)
def test_is_complaint_rating(kind: str, score: int | None, expected: bool) -> None:
    assert rules.is_complaint_rating(kind, score) is expected


@pytest.mark.parametrize(
    ("kind", "polarity", "expected"),
    [
        ("text", -0.5, True),
        ("text", -0.49, False),
        ("text", None, False),
        ("command", -0.9, True),  # /feedback <text>
        ("callback", -0.9, False),
        ("photo", -0.9, True),
    ],
)
def test_is_complaint_text(kind: str, polarity: float | None, expected: bool) -> None:
    assert rules.is_complaint_text(kind, polarity, -0.5) is expected


def test_complaint_intents_once_per_conversation() -> None:
    messages = msgs(
        (1, T0, "text"),
        (2, T0 + timedelta(minutes=10), "text"),  # complaint
        (3, T0 + timedelta(minutes=25), "text"),  # complaint again, same conversation
        (4, T0 + timedelta(hours=3), "text"),  # a new conversation, complaint
    )
    complaints = [m.sent_at for m in messages[1:]]
    planned = rules.complaint_intents(messages, complaints, timedelta(days=1))
    assert sorted(planned) == [1, 4]
    assert planned[1].due_at == T0 + timedelta(days=1, minutes=10)
    assert planned[1].expires_at == planned[1].due_at + rules.COMPLAINT_LATENESS
    assert planned[4].due_at == T0 + timedelta(days=1, hours=3)


def test_at_risk_pick_most_valuable_first_never_new() -> None:
    candidates = [
        AtRiskCandidate(1, "at_risk", False, 5_000, 80.0),
        AtRiskCandidate(2, "potential", True, 5_000, 90.0),  # declining counts as at risk
        AtRiskCandidate(3, "new", True, 1_000_000, 99.0),  # never new
        AtRiskCandidate(4, "advocate", False, 9_000_000, 99.0),  # neither
        AtRiskCandidate(5, "at_risk", False, 20_000, None),
        AtRiskCandidate(6, "at_risk", False, 0, 10.0),
    ]
    assert [c.customer_id for c in rules.at_risk_pick(candidates, 3)] == [5, 2, 1]
    assert rules.at_risk_pick(candidates, 0) == []
    assert [c.customer_id for c in rules.at_risk_pick(candidates, 9)] == [5, 2, 1, 6]


def test_dedupe_keys() -> None:
    assert rules.dedupe_key("birthday", 7, 2027) == "birthday:7:2027"
    assert rules.dedupe_key("holiday", 7, "nyepi", "2027-03-08") == "holiday:nyepi:7:2027-03-08"
    assert rules.dedupe_key("rating", 7, 41) == "rating:7:41"


def test_conversation_start_is_the_first_message_of_the_last_conversation_so_far() -> None:
    """The walk back from the newest message agrees with splitting into conversations, on
    random histories with gaps around CONVERSATION_GAP, ties and messages after `at`."""
    import random

    gap = rules.CONVERSATION_GAP
    rng = random.Random(11)
    for _ in range(300):
        at, ids, messages = T0, iter(rng.sample(range(1000), 30)), []
        for _ in range(rng.randint(0, 12)):
            step = rng.choice([0, 1, 60, 29 * 60, 30 * 60, 30 * 60 + 1, 3 * 3600])
            at += timedelta(seconds=step)
            messages.append(Inbound(next(ids), at, "text"))
        rng.shuffle(messages)
        when = T0 + timedelta(seconds=rng.randint(-60, 6 * 3600))
        earlier = [m for m in messages if m.sent_at <= when]
        expected = rules.conversations(earlier, gap)[-1][0].id if earlier else None
        assert rules.conversation_start(messages, when, gap) == expected
