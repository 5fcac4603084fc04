import datetime
import zoneinfo

import pytest

from chasing.models import ReminderKind
from chasing.policy import Schedule, due_steps

REMINDER, ESCALATION = ReminderKind.REMINDER, ReminderKind.ESCALATION

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime.date(2026, 3, 12)


def at(day: int, hour: int = 9, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=HCM)


DEFAULT = Schedule()


def keys(now, schedule=DEFAULT):
    return [(step.kind, step.key.split("@")[0]) for step in due_steps(schedule, DUE, now)]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(1), []),
        (at(5), [(REMINDER, "before-7")]),
        (at(8), [(REMINDER, "before-7")]),
        (at(9), [(REMINDER, "before-3")]),
        (at(10), [(REMINDER, "before-3")]),
        (at(11), [(REMINDER, "before-1")]),
        (at(12), [(REMINDER, "due")]),
        (at(13), [(REMINDER, "due")]),
        (at(14), [(REMINDER, "overdue-2")]),
        (at(15), [(REMINDER, "overdue-2"), (ESCALATION, "escalate")]),
        (at(16), [(REMINDER, "overdue-4"), (ESCALATION, "escalate")]),
        (at(20), [(REMINDER, "overdue-8"), (ESCALATION, "escalate")]),
    ],
)
def test_it_picks_the_latest_step_due(now, expected):
    assert keys(now) == expected


def test_nothing_goes_out_before_the_send_hour():
    # 06:59 on the day of the 7-day reminder: still the day before.
    assert keys(at(5, hour=6)) == []
    assert keys(at(5, hour=7)) == [(REMINDER, "before-7")]


def test_the_local_day_decides_not_the_utc_day():
    # 08:00 in Hà Nội on 5 March is 01:00 UTC on 5 March; 23:30 UTC on 4 March
    # is already 06:30 on 5 March locally (before the send hour).
    utc = datetime.UTC
    assert keys(datetime.datetime(2026, 3, 5, 1, 0, tzinfo=utc).astimezone(HCM)) == [
        (REMINDER, "before-7")
    ]
    assert keys(datetime.datetime(2026, 3, 4, 23, 30, tzinfo=utc).astimezone(HCM)) == []


def test_a_moved_deadline_starts_a_fresh_schedule():
    first = due_steps(Schedule(), DUE, at(9))
    later = due_steps(Schedule(), DUE + datetime.timedelta(days=4), at(13))
    assert first[0].key == "before-3@2026-03-12"
    assert later[0].key == "before-3@2026-03-16"


def test_a_custom_policy_is_followed():
    schedule = Schedule(days_before=(10,), on_due_day=False, overdue_every=0, escalate_after=0)
    assert keys(at(2), schedule) == [(REMINDER, "before-10")]
    assert keys(at(12), schedule) == [(REMINDER, "before-10")]
    assert keys(at(20), schedule) == [(REMINDER, "before-10")]


def test_days_left_are_counted_from_the_local_day():
    step = due_steps(Schedule(), DUE, at(9))[0]
    assert step.days_left == 3
    overdue = due_steps(Schedule(), DUE, at(16))[0]
    assert overdue.days_left == -4
