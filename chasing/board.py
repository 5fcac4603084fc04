"""Reads for a plan's progress board: who reported, on time or not, who was chased.

Everything on the board comes from one list of rows built with two queries
(the reports with their units, each marked when its unit has no active
member, and the latest reminder per report);
filters, per-level counts and the chart are computed in Python over that
list, so the page costs the same number of queries for 7 units or 1,000.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import Plan
from orgunits.access import User, can, within_q
from orgunits.mergers import merged_note
from orgunits.models import Level, OrgUnit
from orgunits.selectors import has_active_member
from reports.models import EDITABLE_STATUSES, ReceivedVia, Report, ReportStatus

from .models import DeliveryStatus, Reminder

DONE_STATUSES = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    OVERDUE = "overdue", _("Overdue")
    NOT_DUE = "not_due", _("Not due yet")


def timeliness_of(report: Report, today: datetime.date) -> str:
    """On time / late for a submitted report, overdue / not due yet otherwise.

    Lateness is read from the dates rather than ``is_late`` so that a deadline
    moved after a submission is judged against the deadline the unit has now.
    """
    if report.status in DONE_STATUSES:
        if report.submitted_at is None:
            return Timeliness.LATE if report.is_late else Timeliness.ON_TIME
        submitted_on = timezone.localdate(report.submitted_at)
        return Timeliness.LATE if submitted_on > report.due_on else Timeliness.ON_TIME
    return Timeliness.OVERDUE if today > report.due_on else Timeliness.NOT_DUE


@dataclass
class BoardRow:
    report: Report
    timeliness: str
    last_reminder: datetime.datetime | None
    can_chase: bool
    failed_reminders: int = 0
    # Interrupted twice while sending: whether it arrived is for a person to check.
    unchecked_reminders: int = 0
    # The latest reminder reached nobody: when it was tried (None: it did not happen).
    unreached_at: datetime.datetime | None = None
    has_member: bool = True  # someone active holds a role in the unit
    merged_note: str = ""  # "đã hợp nhất vào …": the unit was merged (orgunits.mergers)
    days_past_due: int = 0  # negative: days left
    indent: int = 0
    has_children: bool = False
    # Labels are resolved once per board, not per row: a thousand rows each
    # looking up choices in the template cost more than the queries.
    status_label: str = ""
    timeliness_label: str = ""
    timeliness_note: str = ""
    # Sent by e-mail or on paper: how ("thư điện tử"), and the day it arrived.
    received_label: str = ""
    # Not submitted yet and the user may record it as received outside the app.
    can_record: bool = False
    # A board opened on demand (board_tree): the counts of the unit's subtree,
    # and the unit above named on a filtered page.
    subtree: object = None
    parent_name: str = ""
    # Built from one reversed URL per board (no reverse() per row).
    url: str = ""
    record_url: str = ""

    @property
    def unit(self) -> OrgUnit:
        return self.report.unit

    @property
    def level(self) -> Level:
        return self.report.unit.level


def plan_reports(plan: Plan) -> models.QuerySet[Report]:
    """A root plan follows its whole campaign; an implementing plan its own units."""
    if plan.parent_id is None:
        return Report.objects.filter(campaign=plan)
    return Report.objects.filter(plan=plan)


def board_reports(user: User, plan: Plan) -> models.QuerySet[Report]:
    """The plan's reports of units in ``user``'s scope."""
    return plan_reports(plan).filter(within_q(user, "unit"))


def open_to_chase(report: Report) -> bool:
    """Whether the report's state lets its unit be reminded: still to be
    written, under a published plan that is not locked for it."""
    if report.status not in EDITABLE_STATUSES:
        return False
    answered = report.plan
    if report.unit_id == answered.issuing_unit_id:
        return False  # the root plan's issuer: no level above it chases its own report
    return answered.is_live and not (answered.locked_at and not report.reopened)


def _chaseable(user: User, report: Report) -> bool:
    return open_to_chase(report) and can(user, "chasing.chase", report)


def _recordable(user: User, report: Report) -> bool:
    """The user may record the report as received by e-mail or on paper now."""
    return open_to_chase(report) and can(user, "reports.record_received_report", report)


REPORT_FIELDS = [
    "id",
    "plan_id",
    "unit_id",
    "status",
    "due_on",
    "submitted_at",
    "is_late",
    "received_via",
    "reopened",
    "plan__status",
    "plan__locked_at",
    "plan__recorded_after_the_fact",
    "plan__parent",  # the rule chasing.chase reads these two
    "plan__issuing_unit",
    "unit_name",
    "unit__code",
    "unit__name",
    "unit__valid_to",
    "unit__successor__name",
    "unit__short_name",
    "unit__path",
    "unit__depth",
    "unit__level__code",
    "unit__level__name",
    "unit__level__rank",
]


def board_rows(
    user: User, plan: Plan, *, today: datetime.date | None = None, where: Q | None = None
) -> list[BoardRow]:
    """Every report on the board (or those ``where`` selects) in tree order
    (unit path): three queries."""
    today = today or timezone.localdate()
    scoped = board_reports(user, plan)
    if where is not None:
        scoped = scoped.filter(where)
    reports = list(
        scoped.select_related("unit__level", "unit__successor", "plan")
        .only(*REPORT_FIELDS)
        .prefetch_related("plan__deadlines")  # for Report.due_text
        .annotate(has_member=has_active_member("unit_id"))
        .order_by("unit__path")
    )
    # Last reminder sent, sends that failed for good and the last one that
    # reached nobody (for the coordinator to see), in one aggregate.
    reminders = {
        report_id: (last, failed, unreached, unchecked)
        for report_id, last, failed, unreached, unchecked in Reminder.objects.filter(
            report__in=scoped.values("pk")
        )
        .order_by()
        .values("report_id")
        .annotate(
            last=Max("sent_at"),
            failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
            unreached=Max("claimed_at", filter=Q(status=DeliveryStatus.NO_RECIPIENT)),
            unchecked=Count("id", filter=Q(status=DeliveryStatus.TO_CHECK)),
        )
        .values_list("report_id", "last", "failed", "unreached", "unchecked")
    }
    status_labels = {s.value: str(s.label) for s in ReportStatus}
    timeliness_labels = {t.value: str(t.label) for t in Timeliness}
    received_labels = {v.value: str(v.label) for v in ReceivedVia if v != ReceivedVia.APP}
    # A closed campaign, or one recorded after the fact, shows its outcome:
    # who did not report by the deadline, not a count of days that grows.
    live = plan.is_live
    if not live:
        timeliness_labels[Timeliness.OVERDUE] = gettext("Not submitted by the deadline")
    url_of = _url_maker("reports:detail")
    record_url_of = _url_maker("reports:record_received")
    rows = []
    for report in reports:
        timeliness = timeliness_of(report, today)
        days_past_due = (today - report.due_on).days
        last, failed, unreached, unchecked = reminders.get(report.pk, (None, 0, None, 0))
        rows.append(
            BoardRow(
                report=report,
                timeliness=timeliness,
                last_reminder=last,
                failed_reminders=failed,
                unchecked_reminders=unchecked,
                # A later reminder that did reach someone supersedes it.
                unreached_at=unreached
                if unreached and (last is None or unreached > last)
                else None,
                has_member=report.has_member,
                merged_note=merged_note(report.unit),
                can_chase=_chaseable(user, report),
                days_past_due=days_past_due,
                status_label=status_labels.get(report.status, report.status),
                timeliness_label=timeliness_labels[timeliness],
                timeliness_note=_note(timeliness, days_past_due) if live else "",
                received_label=received_labels.get(report.received_via, ""),
                can_record=_recordable(user, report),
                url=url_of(report.pk),
                record_url=record_url_of(report.pk),
            )
        )
    _shape_tree(rows)
    return rows


_SENTINEL = 987654321


def _url_maker(name: str):
    """``pk -> URL`` of a view taking one report id, reversed once."""
    head, tail = reverse(name, args=[_SENTINEL]).split(str(_SENTINEL))
    return lambda pk: f"{head}{pk}{tail}"


SOON = 3  # days left under which a unit's deadline is pointed out


def _note(timeliness: str, days_past_due: int) -> str:
    if timeliness == Timeliness.OVERDUE:
        return ngettext("%(n)d day", "%(n)d days", days_past_due) % {"n": days_past_due}
    if timeliness == Timeliness.NOT_DUE and days_past_due == 0:
        return gettext("due today")
    if timeliness == Timeliness.NOT_DUE and -days_past_due <= SOON:
        return ngettext("%(n)d day left", "%(n)d days left", -days_past_due) % {"n": -days_past_due}
    return ""


def _shape_tree(rows: list[BoardRow]) -> None:
    """Indent each row under the nearest unit shown above it."""
    if not rows:
        return
    top = min(row.unit.depth for row in rows)
    for row, following in zip(rows, rows[1:] + [None], strict=True):
        row.indent = row.unit.depth - top
        row.has_children = following is not None and following.unit.path.startswith(row.unit.path)


def filter_rows(
    rows: list[BoardRow],
    *,
    status: str = "",
    level: str = "",
    timeliness: str = "",
    q: str = "",
) -> list[BoardRow]:
    """Rows matching the board's filters (empty: any), indented among themselves."""
    if not (status or level or timeliness or q):
        return rows
    q = q.casefold()
    shown = [
        row
        for row in rows
        if (not q or q in row.unit.name.casefold())
        and (not status or row.report.status == status)
        and (not level or row.level.code == level)
        and (not timeliness or row.timeliness == timeliness)
    ]
    _shape_tree(shown)
    return shown


def levels_of(rows: list[BoardRow]) -> list[Level]:
    levels = {row.level.code: row.level for row in rows}
    return sorted(levels.values(), key=lambda level: level.rank)


@dataclass
class LevelSummary:
    level: Level
    total: int = 0
    statuses: Counter = field(default_factory=Counter)
    timeliness: Counter = field(default_factory=Counter)

    @property
    def done(self) -> int:
        return sum(self.statuses[s] for s in DONE_STATUSES)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(value, label, count) of every status, in workflow order."""
        return [(s.value, s.label, self.statuses[s.value]) for s in ReportStatus]

    @property
    def overdue(self) -> int:
        return self.timeliness[Timeliness.OVERDUE]

    @property
    def late(self) -> int:
        return self.timeliness[Timeliness.LATE]


def level_summaries(rows: list[BoardRow]) -> list[LevelSummary]:
    """Counts per status and percent complete for each level present, highest first."""
    summaries: dict[str, LevelSummary] = {}
    for row in rows:
        summary = summaries.get(row.level.code)
        if summary is None:
            summary = summaries[row.level.code] = LevelSummary(row.level)
        summary.total += 1
        summary.statuses[row.report.status] += 1
        summary.timeliness[row.timeliness] += 1
    return sorted(summaries.values(), key=lambda s: s.level.rank)


def chaseable_reports(user: User, plan: Plan, ids: Iterable[int]) -> list[Report]:
    """Those of ``ids`` that ``user`` may chase now; the others are dropped."""
    reports = (
        board_reports(user, plan)
        .filter(pk__in=list(ids), status__in=EDITABLE_STATUSES)
        .select_related("unit", "plan")
        .order_by("unit__path")
    )
    return [report for report in reports if _chaseable(user, report)]
