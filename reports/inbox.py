"""The inbox: the reports waiting for the signed-in user, to write or to review.

Writing is the unit's own business (a reporter or approver membership on the
unit itself); reviewing belongs to coordinators of a unit strictly above, as
in ``selectors.can_write`` and ``selectors.can_review``. Only reports of
published plans are waiting for anyone: a closed plan no longer changes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from campaigns.models import PlanStatus
from orgunits.access import User, scope_paths, within_q
from orgunits.models import Membership, Role

from .models import Report, ReportStatus

TO_WRITE_STATUSES = [ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED]
DUE_SOON_DAYS = 3


def _open_reports() -> QuerySet[Report]:
    return Report.objects.filter(plan__status=PlanStatus.PUBLISHED).select_related(
        "unit__level", "plan"
    )


def _to_write(user: User) -> Q | None:
    if not user.is_authenticated:
        return None
    own_units = Membership.objects.filter(
        user=user, role__in=[Role.REPORTER, Role.APPROVER]
    ).values("unit")
    return Q(unit__in=own_units, status__in=TO_WRITE_STATUSES)


def _to_review(user: User) -> Q | None:
    if scope_paths(user, roles=[Role.COORDINATOR]) == []:
        return None
    below = within_q(user, "unit", roles=[Role.COORDINATOR], below=True)
    return Q(status=ReportStatus.SUBMITTED) & below


def reports_to_write(user: User) -> QuerySet[Report]:
    """Reports of the user's own units still to be written or revised, soonest due first."""
    condition = _to_write(user)
    if condition is None:
        return Report.objects.none()
    return _open_reports().filter(condition).order_by("due_on", "unit__path")


def returned_reports(user: User) -> QuerySet[Report]:
    return reports_to_write(user).filter(status=ReportStatus.RETURNED)


def reports_to_review(user: User) -> QuerySet[Report]:
    """Submitted reports of units below those the user coordinates, oldest first."""
    condition = _to_review(user)
    if condition is None:
        return Report.objects.none()
    return _open_reports().filter(condition).order_by("submitted_at", "unit__path")


def inbox_counts(user: User) -> dict[str, int]:
    """The inbox's three numbers in one aggregate (plus the cached scope lookup)."""
    counts = {"to_write": 0, "to_review": 0, "returned": 0}
    write, review = _to_write(user), _to_review(user)
    aggregates = {}
    if write is not None:
        aggregates["to_write"] = Count("pk", filter=write)
        aggregates["returned"] = Count("pk", filter=write & Q(status=ReportStatus.RETURNED))
    if review is not None:
        aggregates["to_review"] = Count("pk", filter=review)
    if aggregates:
        either = Q()
        for condition in (write, review):
            if condition is not None:
                either |= condition
        reports = Report.objects.filter(either, plan__status=PlanStatus.PUBLISHED)
        counts.update(reports.aggregate(**aggregates))
    return counts


@dataclass(frozen=True)
class DueRow:
    """A report to write with its days left, for a template that cannot do arithmetic."""

    report: Report
    days_left: int

    @classmethod
    def of(cls, report: Report, today: datetime.date) -> DueRow:
        return cls(report=report, days_left=report.days_left(today))

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_due_soon(self) -> bool:
        return 0 <= self.days_left <= DUE_SOON_DAYS
