"""Which reminder step is due for a unit, as a pure function of dates.

Dates are local (Asia/Ho_Chi_Minh). A step falls due at ``send_hour`` on its
day, so nobody is reminded at midnight. When sweeps were missed, only the
latest step due is sent, never a backlog of stale ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import ReminderKind


@dataclass(frozen=True)
class Schedule:
    days_before: tuple[int, ...] = (7, 3, 1)
    on_due_day: bool = True
    overdue_every: int = 2
    escalate_after: int = 3
    send_hour: int = 7

    @property
    def horizon(self) -> int:
        """How many days before a deadline the first reminder may fall."""
        return max(self.days_before, default=0)


@dataclass(frozen=True)
class Step:
    kind: ReminderKind  # a reminder or an escalation
    key: str  # unique per unit and plan: "before-3@2026-03-12"
    days_left: int  # negative when overdue


def effective_day(now: datetime.datetime, send_hour: int) -> datetime.date:
    """The last day whose steps may go out at ``now`` (local time)."""
    day = now.date()
    return day if now.hour >= send_hour else day - datetime.timedelta(days=1)


def due_steps(schedule: Schedule, due_on: datetime.date, now: datetime.datetime) -> list[Step]:
    """The reminder step (at most one) and the escalation due at ``now``."""
    today = effective_day(now, schedule.send_hour)
    days_left = (due_on - today).days
    stamp = due_on.isoformat()
    steps: list[Step] = []

    latest: str | None = None
    if days_left > 0:
        passed = [d for d in schedule.days_before if d >= days_left]
        if passed:
            latest = f"before-{min(passed)}"
    elif days_left == 0:
        latest = "due" if schedule.on_due_day else _latest_before(schedule)
    else:
        overdue = -days_left
        if schedule.overdue_every and overdue >= schedule.overdue_every:
            latest = f"overdue-{overdue - overdue % schedule.overdue_every}"
        elif schedule.on_due_day:
            latest = "due"
        else:
            latest = _latest_before(schedule)
    if latest:
        steps.append(Step(ReminderKind.REMINDER, f"{latest}@{stamp}", days_left))
    if schedule.escalate_after and -days_left >= schedule.escalate_after:
        steps.append(Step(ReminderKind.ESCALATION, f"escalate@{stamp}", days_left))
    return steps


def _latest_before(schedule: Schedule) -> str | None:
    return f"before-{min(schedule.days_before)}" if schedule.days_before else None
