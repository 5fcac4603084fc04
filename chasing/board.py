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

from campaigns.models import Deadline, Plan
from documents.formatting import short_date, short_datetime
from orgunits.access import User, can, within_q
from orgunits.mergers import merged_text
from orgunits.models import Level
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


@dataclass(slots=True)
class UnitFacts:
    """What a row shows of its unit, read as values (no model instance)."""

    pk: int
    code: str
    name: str
    path: str
    depth: int
    level: Level  # one per level, shared by the rows


@dataclass(slots=True)
class ReportFacts:
    """What a row shows of its report, and what the rules ``chasing.chase``
    and ``reports.record_received_report`` read of it (its unit's path, its
    plan): read as values, the plan one instance per plan."""

    pk: int
    plan_id: int
    unit_id: int
    status: str
    due_on: datetime.date
    submitted_at: datetime.datetime | None
    is_late: bool
    received_via: str
    reopened: bool
    plan: Plan
    unit: UnitFacts


@dataclass(slots=True)
class BoardRow:
    """One row of the board, with every text and link it shows prepared once
    (the template only prints them)."""

    report: ReportFacts
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
    status_label: str = ""
    status_badge: str = ""  # the badge's classes
    timeliness_label: str = ""
    timeliness_class: str = ""
    timeliness_icon: str = ""
    timeliness_note: str = ""
    note_class: str = ""
    due_text: str = ""
    # Sent by e-mail or on paper: how ("thư điện tử"), and the day it arrived.
    received_label: str = ""
    received_outside: bool = False  # received by e-mail or on paper, recorded above
    submitted_text: str = ""  # "qua thư điện tử 05/02/2026", "05/02/2026 08:05", "—"
    reminder_text: str = ""  # the last reminder's moment, or "—"
    # Not submitted yet and the user may record it as received outside the app.
    can_record: bool = False
    # A board opened on demand (board_tree): the counts of the unit's subtree,
    # and the unit above named on a filtered page.
    subtree: object = None
    subtree_text: str = ""  # "3 of 40 submitted"
    subtree_overdue: str = ""  # "12 overdue"
    subtree_rest: str = ""  # " · 2 late · 5 not started"
    parent_name: str = ""
    # Built from one reversed URL per board (no reverse() per row).
    url: str = ""
    record_url: str = ""
    record_label: str = ""
    children_url: str = ""
    more = False  # a row of units; see MoreRow

    @property
    def unit(self) -> UnitFacts:
        return self.report.unit

    @property
    def level(self) -> Level:
        return self.report.unit.level

    # What the row template prints, without a lookup through report and unit.
    @property
    def pk(self) -> int:
        return self.report.pk

    @property
    def code(self) -> str:
        return self.report.unit.code

    @property
    def name(self) -> str:
        return self.report.unit.name

    @property
    def path(self) -> str:
        return self.report.unit.path

    @property
    def status(self) -> str:
        return self.report.status

    @property
    def level_name(self) -> str:
        return self.report.unit.level.name

    def __getitem__(self, name: str):
        """The template engine tries ``row[name]`` before ``row.name``: answering
        it spares an exception per variable (a thousand rows print 30 each)."""
        return getattr(self, name)


@dataclass(slots=True)
class MoreRow:
    """ "Xem thêm": the next page of a unit's subordinates, in place of the rest."""

    path: str  # the unit's, so that folding it hides this row too
    remaining: int
    url: str
    indent: int
    label: str = ""  # "Xem thêm (còn 250 đơn vị)"
    more = True

    __getitem__ = BoardRow.__getitem__


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


def _chaseable(user: User, report: ReportFacts) -> bool:
    return open_to_chase(report) and can(user, "chasing.chase", report)


def _recordable(user: User, report: ReportFacts) -> bool:
    """The user may record the report as received by e-mail or on paper now."""
    return open_to_chase(report) and can(user, "reports.record_received_report", report)


VALUES = [
    "id",
    "plan_id",
    "unit_id",
    "status",
    "due_on",
    "submitted_at",
    "is_late",
    "received_via",
    "reopened",
    "unit__code",
    "unit__name",
    "unit__path",
    "unit__depth",
    "unit__valid_to",
    "unit__successor__name",
    "unit__level_id",
    "unit__level__code",
    "unit__level__name",
    "unit__level__rank",
    # What Plan.is_live, open_to_chase and the rule chasing.chase read.
    "plan__status",
    "plan__locked_at",
    "plan__recorded_after_the_fact",
    "plan__parent_id",
    "plan__issuing_unit_id",
]

STATUS_BADGES = {
    ReportStatus.PENDING: "text-bg-light border",
    ReportStatus.DRAFT: "text-bg-info",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.RETURNED: "text-bg-warning",
    ReportStatus.ACCEPTED: "text-bg-success",
}
# The timeliness cell: its classes, its icon, the classes of its note.
TIMELINESS_LOOKS = {
    Timeliness.OVERDUE: ("text-danger fw-semibold", "bi-exclamation-triangle-fill", "text-danger"),
    Timeliness.LATE: ("text-warning-emphasis", "bi-clock-history", "text-warning-emphasis"),
    Timeliness.ON_TIME: ("text-success", "bi-check-circle", "text-warning-emphasis"),
    Timeliness.NOT_DUE: ("text-muted", "", "text-warning-emphasis"),
}
NONE = "—"


def board_rows(
    user: User,
    plan: Plan,
    *,
    today: datetime.date | None = None,
    where: Q | None = None,
    queryset: models.QuerySet[Report] | None = None,
) -> list[BoardRow]:
    """Every report on the board (or those ``where`` selects, or the values of
    ``queryset``, already narrowed and ordered) in tree order (unit path):
    three queries, rows built from values."""
    if queryset is None:
        queryset = board_reports(user, plan)
        if where is not None:
            queryset = queryset.filter(where)
        queryset = queryset.order_by("unit__path")
    values = list(with_values(queryset))
    # A whole tree (the export) asks for its reminders by a subquery, not by
    # thousands of ids.
    within = queryset.values("pk") if len(values) > MANY else None
    return rows_of(user, plan, values, today=today, within=within)


MANY = 500  # rows whose reminders are asked for by a subquery


def with_values(queryset: models.QuerySet[Report]) -> models.QuerySet:
    """The values a row is built from (and any annotations of ``queryset``)."""
    queryset = queryset.annotate(has_member=has_active_member("unit_id"))
    return queryset.values(*VALUES, *queryset.query.annotations)


def rows_of(
    user: User,
    plan: Plan,
    values: list[dict],
    *,
    today: datetime.date | None = None,
    within: models.QuerySet | None = None,
) -> list[BoardRow]:
    """The board's rows of reports read as ``values`` (with_values): two queries
    (their latest reminders, their plans' deadlines), and every text and link
    each row shows prepared here rather than by the template."""
    today = today or timezone.localdate()
    ids = [v["id"] for v in values]
    # Last reminder sent, sends that failed for good and the last one that
    # reached nobody (for the coordinator to see), in one aggregate.
    reminders = {
        report_id: (last, failed, unreached, unchecked)
        for report_id, last, failed, unreached, unchecked in (
            Reminder.objects.filter(report_id__in=ids)
            if within is None
            else Reminder.objects.filter(report__in=within)
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
    # A report due on the last day of its level's deadline shows the deadline
    # as the plan words it ("tháng 9/2024"), as Report.due_text does.
    cited = {
        (d.plan_id, d.level_id, d.last_day): d.cited
        for d in Deadline.objects.filter(plan_id__in={v["plan_id"] for v in values})
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
    levels: dict[int, Level] = {}
    plans: dict[int, Plan] = {}
    rows = []
    for v in values:
        level = levels.get(v["unit__level_id"])
        if level is None:
            level = levels[v["unit__level_id"]] = Level(
                pk=v["unit__level_id"],
                code=v["unit__level__code"],
                name=v["unit__level__name"],
                rank=v["unit__level__rank"],
            )
        answered = plans.get(v["plan_id"])
        if answered is None:
            answered = plans[v["plan_id"]] = Plan(
                pk=v["plan_id"],
                status=v["plan__status"],
                locked_at=v["plan__locked_at"],
                recorded_after_the_fact=v["plan__recorded_after_the_fact"],
                parent_id=v["plan__parent_id"],
                issuing_unit_id=v["plan__issuing_unit_id"],
            )
        pk = v["id"]
        report = ReportFacts(
            pk=pk,
            plan_id=v["plan_id"],
            unit_id=v["unit_id"],
            status=v["status"],
            due_on=v["due_on"],
            submitted_at=v["submitted_at"],
            is_late=v["is_late"],
            received_via=v["received_via"],
            reopened=v["reopened"],
            plan=answered,
            unit=UnitFacts(
                pk=v["unit_id"],
                code=v["unit__code"],
                name=v["unit__name"],
                path=v["unit__path"],
                depth=v["unit__depth"],
                level=level,
            ),
        )
        timeliness = timeliness_of(report, today)
        days_past_due = (today - report.due_on).days
        last, failed, unreached, unchecked = reminders.get(pk, (None, 0, None, 0))
        # A later reminder that did reach someone supersedes it.
        if unreached and last is not None and unreached <= last:
            unreached = None
        received = received_labels.get(report.received_via, "")
        submitted = report.submitted_at
        if submitted is None:
            submitted_text = NONE
        elif received:
            submitted_text = f"{received} {short_date(timezone.localdate(submitted))}"
        else:
            submitted_text = short_datetime(timezone.localtime(submitted))
        reminded = unreached or last
        t_class, t_icon, note_class = TIMELINESS_LOOKS[timeliness]
        recordable = _recordable(user, report)
        rows.append(
            BoardRow(
                report=report,
                timeliness=timeliness,
                last_reminder=last,
                failed_reminders=failed,
                unchecked_reminders=unchecked,
                unreached_at=unreached,
                has_member=v["has_member"],
                merged_note=merged_text(v["unit__successor__name"], v["unit__valid_to"]),
                can_chase=_chaseable(user, report),
                days_past_due=days_past_due,
                status_label=status_labels.get(report.status, report.status),
                status_badge=STATUS_BADGES.get(report.status, "text-bg-success"),
                timeliness_label=timeliness_labels[timeliness],
                timeliness_class=t_class,
                timeliness_icon=t_icon,
                timeliness_note=_note(timeliness, days_past_due) if live else "",
                note_class=note_class,
                due_text=cited.get((report.plan_id, level.pk, report.due_on))
                or short_date(report.due_on),
                received_label=received,
                received_outside=bool(received and submitted),
                submitted_text=submitted_text,
                reminder_text=short_datetime(timezone.localtime(reminded)) if reminded else NONE,
                can_record=recordable,
                url=url_of(pk),
                record_url=record_url_of(pk),
                record_label=gettext("Record the report of %(unit)s received outside the app")
                % {"unit": report.unit.name}
                if recordable
                else "",
            )
        )
    _shape_tree(rows)
    return rows


def row_labels() -> dict[str, str]:
    """The words every row repeats (titles, the phone's cell labels), translated
    once a page rather than once a row."""
    return {
        "level": gettext("Level"),
        "status": gettext("Status"),
        "timeliness": gettext("Timeliness"),
        "due": gettext("Due on"),
        "submitted": gettext("Submitted at"),
        "reminder": gettext("Last reminder"),
        "toggle": gettext("Show or hide the units below"),
        "no_member": gettext("no active user"),
        "no_member_title": gettext(
            "Nobody active holds a role in this unit: its reminders reach no one."
        ),
        "received_title": gettext("Received outside the app, recorded by the level above"),
        "record_title": gettext("Record a report received outside the app"),
        "no_recipient": gettext("no recipient"),
        "no_recipient_title": gettext(
            "Nobody could receive this reminder: the unit has no active user to send to."
        ),
        "failed": gettext("sending failed"),
        "failed_title": gettext("A reminder could not be sent after several tries."),
        "to_check": gettext("to check"),
        "to_check_title": gettext(
            "Sending was interrupted twice: check with the unit whether the reminder arrived."
        ),
    }


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
