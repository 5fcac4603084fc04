"""Reads of reports, scoped to the user (who may do what to one is in ``rules.py``).

The inbox reads are here too: the reports waiting for the signed-in user, to
write or to review. Writing is the unit's own business (a reporter or approver
membership on the unit itself); reviewing belongs to coordinators of a unit
strictly above. Only reports of published plans are waiting for anyone: a
closed plan no longer changes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from campaigns.models import PlanStatus
from campaigns.selectors import OutlineRow, cached_outline_rows, outline_rows
from orgunits.access import User, require, scope_paths, within_q
from orgunits.models import Membership, Role

from .models import Report, ReportStatus

TO_WRITE_STATUSES = [ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED]
DUE_SOON_DAYS = 3


def reports_visible_to(user: User):
    """Reports of units in the user's subtrees (of published or closed plans):
    ``reports.view_report`` as a queryset."""
    reports = Report.objects.filter(plan__status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED])
    # A merged unit's reports are seen from the unit it was merged into too.
    return reports.filter(within_q(user, "unit") | within_q(user, "unit__successor"))


# What the report's pages and most steps read of a report, with it.
REPORT_RELATED = (
    "unit__level",
    "plan__issuing_unit",
    "plan__issuing_body",
    "plan__lead_body",
    "issuing_body__unit",
    "campaign",
    "term",
)
# What a submission reads (``services.submit``, its rules, the coordinators
# above): the deadline-day burst. Every join costs PostgreSQL planning time
# (about 5 ms for the thirteen relations of REPORT_RELATED with the scope's),
# paid by each of thousands of submissions.
SUBMIT_RELATED = ("unit", "plan__issuing_unit", "issuing_body")


def get_report_for_user(
    user: User,
    pk: int,
    *,
    action: str | None = None,
    hide: bool = False,
    lock: bool = False,
    related: tuple[str, ...] = REPORT_RELATED,
) -> Report:
    """The report if ``user`` sees it (else a 404) and, given an ``action``,
    may do it (else a 403, or a 404 when ``hide``). ``lock``: its row (its
    row only, not its plan's or its unit's) is locked until the transaction
    ends, for a step that depends on its status (an autosave, a submission).
    ``related``: the relations read with it (what the caller uses)."""
    reports = reports_visible_to(user)
    if lock:
        reports = reports.select_for_update(of=("self",))
    report = reports.select_related(*related).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    if action:
        require(user, action, report, hide=hide)
    return report


# --- The outline of one unit's report --------------------------------------


def _for_level(row: OutlineRow, level_id: int) -> bool:
    return not row.level_ids or level_id in row.level_ids


def items_for_unit(report: Report, *, cached: bool = False) -> list[OutlineRow]:
    """The outline rows of the unit's report, in document order: the items its
    level answers, and the headings above at least one of them.

    An item restricted to other levels takes the items under it along, whatever
    their own levels: so every row that is not a heading is one to answer.
    ``cached``: the plan was read with the report, in this request; its
    outline is then that kept per plan (``cached_outline_rows``, no query).
    """
    rows = cached_outline_rows(report.plan) if cached else outline_rows(report.plan)
    level_id = report.unit.level_id
    kept = [False] * len(rows)
    ancestors: list[int] = []  # indexes of the rows above the current one
    hidden_depth: int | None = None  # depth of an item restricted to other levels
    for index, row in enumerate(rows):
        if hidden_depth is not None and row.depth > hidden_depth:
            continue
        hidden_depth = None
        while ancestors and rows[ancestors[-1]].depth >= row.depth:
            ancestors.pop()
        if not _for_level(row, level_id):
            hidden_depth = row.depth
            continue
        if row.item.is_answerable:
            kept[index] = True
            for ancestor in ancestors:
                kept[ancestor] = True
        ancestors.append(index)
    return [row for row, keep in zip(rows, kept, strict=True) if keep]


# --- The inbox -------------------------------------------------------------


def _of_published_plans() -> QuerySet[Report]:
    return Report.objects.filter(plan__status=PlanStatus.PUBLISHED).select_related(
        "unit__level", "plan"
    )


def _to_write(user: User) -> Q | None:
    if not user.is_authenticated:
        return None
    own_units = Membership.objects.filter(
        user=user, role__in=[Role.REPORTER, Role.APPROVER]
    ).values("unit")
    # A merged unit's reports still to write are the resulting unit's to finish.
    units = Q(unit__in=own_units) | Q(unit__successor__in=own_units)
    return units & Q(status__in=TO_WRITE_STATUSES)


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
    return _of_published_plans().filter(condition).order_by("due_on", "unit__path")


def returned_reports(user: User) -> QuerySet[Report]:
    return reports_to_write(user).filter(status=ReportStatus.RETURNED)


def reports_to_review(user: User) -> QuerySet[Report]:
    """Submitted reports of units below those the user coordinates, oldest first."""
    condition = _to_review(user)
    if condition is None:
        return Report.objects.none()
    return _of_published_plans().filter(condition).order_by("submitted_at", "unit__path")


def next_to_review(user: User, *, after: int) -> Report | None:
    """The report waiting longest for ``user``'s review, other than ``after``."""
    return reports_to_review(user).exclude(pk=after).first()


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
    # The campaign was recorded after the fact: its days are not counted.
    recorded: bool = False

    @classmethod
    def of(cls, report: Report, today: datetime.date) -> DueRow:
        return cls(
            report=report,
            days_left=report.days_left(today),
            recorded=report.plan.recorded_after_the_fact,
        )

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0 and not self.recorded

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_due_soon(self) -> bool:
        return 0 <= self.days_left <= DUE_SOON_DAYS
