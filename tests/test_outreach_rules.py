"""Table tests of the send-time rules (scoring/outreach_rules.py), shop time Asia/Jakarta
(UTC+7): 2026-11-02 03:00 UTC is 10:00 WIB."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scoring.outreach_rules import (
    PRIORITY,
    Candidate,
    CustomerState,
    Decision,
    Rules,
    decide,
    earliest_allowed,
    in_quiet_hours,
    quiet_end,
)

WIB = ZoneInfo("Asia/Jakarta")
RULES = Rules(tz=WIB, quiet_hours=(time(21), time(8)), daily_cap=1, weekly_cap=3)
NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment given in WIB (November 2026), as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB).astimezone(UTC)


@pytest.mark.parametrize(
    ("quiet", "local", "inside", "end"),
    [
        ((time(21), time(8)), utc(2, 20, 59), False, utc(2, 20, 59)),
        ((time(21), time(8)), utc(2, 21, 0), True, utc(3, 8)),
        ((time(21), time(8)), utc(2, 23, 59), True, utc(3, 8)),
        ((time(21), time(8)), utc(3, 0, 0), True, utc(3, 8)),  # after local midnight
        ((time(21), time(8)), utc(3, 7, 59), True, utc(3, 8)),
        ((time(21), time(8)), utc(3, 8, 0), False, utc(3, 8)),
        ((time(13), time(14)), utc(2, 13, 30), True, utc(2, 14)),  # not across midnight
        ((time(13), time(14)), utc(2, 14, 0), False, utc(2, 14)),
        (None, utc(2, 23), False, utc(2, 23)),
    ],
)
def test_quiet_hours(
    quiet: tuple[time, time] | None, local: datetime, inside: bool, end: datetime
) -> None:
    rules = Rules(tz=WIB, quiet_hours=quiet)
    assert in_quiet_hours(local, rules) is inside
    assert quiet_end(local, rules) == end


def test_quiet_hours_use_the_shop_timezone_not_utc() -> None:
    # 22:00 UTC is 05:00 the next morning in Jayapura (UTC+9): quiet until 08:00 there
    jayapura = Rules(tz=ZoneInfo("Asia/Jayapura"))
    moment = datetime(2026, 11, 2, 22, 0, tzinfo=UTC)
    assert in_quiet_hours(moment, jayapura)
    assert quiet_end(moment, jayapura) == datetime(2026, 11, 2, 23, 0, tzinfo=UTC)


OCT28, OCT30 = datetime(2026, 10, 28, 12, tzinfo=WIB), datetime(2026, 10, 30, 12, tzinfo=WIB)


@pytest.mark.parametrize(
    ("now", "sent", "at", "reason"),
    [
        (NOW, (), NOW, None),
        # one today (local day) -> tomorrow 00:00 WIB, quiet until 08:00 WIB
        (NOW, (utc(2, 9),), utc(3, 8), "daily_cap"),
        # one yesterday 23:30 WIB (16:30 UTC, the same UTC day as now): another local day
        (NOW, (utc(1, 23, 30),), NOW, None),
        # three in the rolling week: when the oldest has left the window
        (NOW, (OCT28, OCT30, utc(1, 12)), OCT28 + timedelta(days=7, microseconds=1), "weekly_cap"),
        # the same three, a day later: the oldest is out of the window
        (NOW + timedelta(days=3), (OCT28, OCT30, utc(1, 12)), NOW + timedelta(days=3), None),
        # quiet hours only
        (utc(2, 22), (), utc(3, 8), "quiet_hours"),
    ],
)
def test_earliest_allowed(
    now: datetime, sent: tuple[datetime, ...], at: datetime, reason: str | None
) -> None:
    assert earliest_allowed(now, sent, RULES) == (at, reason)


def test_a_cap_of_zero_never_allows() -> None:
    assert earliest_allowed(NOW, (), Rules(tz=WIB, daily_cap=0)) == (None, "daily_cap")


def cand(row_id: int, kind: str, due: datetime = NOW, expires: datetime | None = None) -> Candidate:
    return Candidate(row_id, 1, kind, PRIORITY[kind], due, expires)


@pytest.mark.parametrize(
    ("rows", "state", "now", "expected"),
    [
        # priority: complaint > rating > birthday > holiday > anniversary > at-risk
        (
            [cand(1, "at_risk"), cand(2, "rating"), cand(3, "complaint_followup")],
            CustomerState(),
            NOW,
            {3: "send", 2: "defer", 1: "defer"},
        ),
        (
            [cand(1, "anniversary"), cand(2, "holiday"), cand(3, "birthday")],
            CustomerState(),
            NOW,
            {3: "send", 2: "defer", 1: "defer"},
        ),
        # the loser that would pass its lateness limit is skipped with the reason
        (
            [cand(1, "rating"), cand(2, "birthday", expires=utc(2, 23, 59))],
            CustomerState(),
            NOW,
            {1: "send", 2: "skip"},
        ),
        # campaigns are exempt from the caps
        ([cand(1, "rating"), cand(2, "campaign")], CustomerState(), NOW, {1: "send", 2: "send"}),
        # opt-out, blocked, erased: skipped, campaigns too
        ([cand(1, "campaign")], CustomerState(opted_out=True), NOW, {1: "skip"}),
        ([cand(1, "rating")], CustomerState(blocked=True), NOW, {1: "skip"}),
        ([cand(1, "rating")], CustomerState(erased=True), NOW, {1: "skip"}),
        # late: expired
        (
            [cand(1, "birthday", expires=NOW - timedelta(seconds=1))],
            CustomerState(),
            NOW,
            {1: "expire"},
        ),
        # quiet hours: deferred, or expired when they end after the limit
        ([cand(1, "rating")], CustomerState(), utc(2, 22), {1: "defer"}),
        ([cand(1, "birthday", expires=utc(2, 23))], CustomerState(), utc(2, 22), {1: "expire"}),
        # already one today
        ([cand(1, "complaint_followup")], CustomerState(sent=(utc(2, 9),)), NOW, {1: "defer"}),
    ],
)
def test_decide(
    rows: list[Candidate], state: CustomerState, now: datetime, expected: dict[int, str]
) -> None:
    decisions = {d.id: d for d in decide(rows, {1: state}, RULES, now)}
    assert {i: d.action for i, d in decisions.items()} == expected
    for decision in decisions.values():
        if decision.action == "defer":
            assert decision.due_at is not None
            assert decision.due_at > now
        else:
            assert decision.due_at is None


def test_decide_gives_reasons() -> None:
    rows = [cand(1, "rating"), cand(2, "birthday", expires=utc(2, 23, 59)), cand(3, "at_risk")]
    decisions = decide(rows, {1: CustomerState()}, RULES, NOW)
    assert sorted(decisions, key=lambda d: d.id) == [
        Decision(1, "send"),
        Decision(2, "skip", reason="daily_cap"),
        Decision(3, "defer", due_at=utc(3, 8), reason="daily_cap"),
    ]
    assert decide([cand(1, "rating")], {}, RULES, NOW) == [Decision(1, "skip", reason="erased")]
    quiet = decide([cand(1, "rating")], {1: CustomerState()}, RULES, utc(2, 22))
    assert quiet == [Decision(1, "defer", due_at=utc(3, 8), reason="quiet_hours")]
    late = decide(
        [cand(1, "birthday", expires=utc(2, 23))], {1: CustomerState()}, RULES, utc(2, 22)
    )
    assert late == [Decision(1, "expire", reason="quiet_hours")]


def test_priorities_are_the_shared_numbers() -> None:
    assert PRIORITY == {
        "complaint_followup": 60,
        "rating": 50,
        "birthday": 40,
        "holiday": 30,
        "anniversary": 20,
        "at_risk": 10,
        "advocate": 10,
        "campaign": 0,
    }
