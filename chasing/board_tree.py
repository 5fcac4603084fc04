"""The progress board of a large tree: only what is on screen.

A board of more than ``FULL_TREE_MAX`` reports no longer lists the whole tree.
Its first page shows the board's unit(s) and their direct subordinates, each
with its subtree's counts grouped by the database on the path prefix
(treebeard's materialised path); a row opens its own subordinates on demand;
filters are answered by the database a page at a time; the poll returns the
rows whose report changed since the last one. Every piece costs the same
number of queries for 200 units or 10,000.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count, DateField, F, Max, Q, QuerySet, Window
from django.db.models.functions import Length, RowNumber, Substr, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from campaigns.models import Plan
from orgunits.access import User, scope_paths
from orgunits.models import Level, OrgUnit
from reports.models import Report, ReportStatus

from . import board
from .board import DONE_STATUSES, BoardRow, LevelSummary, MoreRow, Timeliness
from .models import Reminder

FULL_TREE_MAX = 150  # reports on a board shown whole; above, the board opens on demand
PAGE_SIZE = 50  # rows of a filtered page, and a unit's subordinates shown at once

STEP = OrgUnit.steplen
DONE = list(DONE_STATUSES)


def _submitted_day():
    tz = timezone.get_current_timezone()
    return TruncDate("submitted_at", tzinfo=tz, output_field=DateField())


def timeliness_q(value: str, today: datetime.date) -> Q:
    """Reports of one timeliness, as ``board.timeliness_of`` judges it, in SQL
    (on a queryset annotated with ``submitted_day``)."""
    done = Q(status__in=DONE)
    late = done & (
        Q(submitted_at__isnull=True, is_late=True)
        | Q(submitted_at__isnull=False, submitted_day__gt=F("due_on"))
    )
    if value == Timeliness.LATE:
        return late
    if value == Timeliness.ON_TIME:
        return done & ~late
    if value == Timeliness.OVERDUE:
        return ~done & Q(due_on__lt=today)
    return ~done & Q(due_on__gte=today)


def annotated(queryset: QuerySet[Report]) -> QuerySet[Report]:
    return queryset.annotate(submitted_day=_submitted_day())


def _counts(today: datetime.date) -> dict:
    """Aggregates of a group of reports: total, done, and each timeliness."""
    return {
        "total": Count("id"),
        "done": Count("id", filter=Q(status__in=DONE)),
        "pending": Count("id", filter=Q(status=ReportStatus.PENDING)),
        **{t.value: Count("id", filter=timeliness_q(t.value, today)) for t in Timeliness},
    }


@dataclass
class SubtreeCounts:
    total: int = 0
    done: int = 0
    pending: int = 0
    overdue: int = 0
    late: int = 0

    @classmethod
    def of(cls, values: dict) -> SubtreeCounts:
        return cls(
            total=values["total"],
            done=values["done"],
            pending=values["pending"],
            overdue=values[Timeliness.OVERDUE],
            late=values[Timeliness.LATE],
        )


def is_large(user: User, plan: Plan) -> bool:
    """Whether the board is too large to be shown whole: one query."""
    return board.board_reports(user, plan)[: FULL_TREE_MAX + 1].count() > FULL_TREE_MAX


def board_roots(user: User, plan: Plan) -> list[str]:
    """Paths of the board's units: the plan's issuing unit, or the user's
    highest units under it for a user below it. No query."""
    issuer = plan.issuing_unit.path
    paths = scope_paths(user)
    if paths is None or any(issuer.startswith(p) for p in paths):
        return [issuer]
    under = sorted(p for p in paths if p.startswith(issuer))
    return [p for p in under if not any(p != q and p.startswith(q) for q in under)] or [issuer]


def level_summaries(user: User, plan: Plan, today: datetime.date) -> list[LevelSummary]:
    """Counts per level, status and timeliness, grouped by the database: one query."""
    summaries: dict[str, LevelSummary] = {}
    groups = (
        annotated(board.board_reports(user, plan))
        .order_by()
        .values("unit__level__code", "unit__level__name", "unit__level__rank", "status")
        .annotate(**_counts(today))
    )
    for g in groups:
        code = g["unit__level__code"]
        summary = summaries.get(code)
        if summary is None:
            level = Level(code=code, name=g["unit__level__name"], rank=g["unit__level__rank"])
            summary = summaries[code] = LevelSummary(level)
        summary.total += g["total"]
        summary.statuses[g["status"]] += g["total"]
        for t in Timeliness:
            summary.timeliness[t.value] += g[t.value]
    return sorted(summaries.values(), key=lambda s: s.level.rank)


def submissions_per_day(user: User, plan: Plan, today: datetime.date) -> dict:
    """On time / late submissions per local day, for the chart: one query."""
    per_day: dict[datetime.date, Counter] = {}
    groups = (
        annotated(board.board_reports(user, plan))
        .filter(status__in=DONE, submitted_at__isnull=False)
        .order_by()
        .values("submitted_day")
        .annotate(
            on_time=Count("id", filter=timeliness_q(Timeliness.ON_TIME, today)),
            late=Count("id", filter=timeliness_q(Timeliness.LATE, today)),
        )
    )
    for g in groups:
        counter = per_day.setdefault(g["submitted_day"], Counter())
        counter[Timeliness.ON_TIME] += g["on_time"]
        counter[Timeliness.LATE] += g["late"]
    return per_day


def subtree_counts(
    user: User,
    plan: Plan,
    parents: list[str],
    today: datetime.date,
    only: list[str] | None = None,
) -> dict[str, SubtreeCounts]:
    """Counts of each direct subordinate's subtree under ``parents`` (the
    subordinate's own report included), keyed by its path (only those of
    ``only``, when given: the page shown): one query per depth of
    ``parents`` (one in practice), grouped on the path prefix."""
    result: dict[str, SubtreeCounts] = {}
    for length in sorted({len(p) for p in parents}):
        under = Q(pk__in=[])
        for p in parents:
            if len(p) == length:
                under |= Q(unit__path__startswith=p, unit__depth__gt=length // STEP)
        groups = (
            annotated(board.board_reports(user, plan).filter(under))
            .order_by()
            .annotate(prefix=Substr("unit__path", 1, length + STEP))
            .filter(**({} if only is None else {"prefix__in": only}))
            .values("prefix")
            .annotate(**_counts(today))
        )
        result.update({g["prefix"]: SubtreeCounts.of(g) for g in groups})
    return result


def counts_of(
    user: User, plan: Plan, paths: list[str], today: datetime.date
) -> dict[str, SubtreeCounts]:
    """Counts of the subtrees rooted at ``paths`` (any depths): one query of
    conditional aggregates, for the few rows a poll sends again."""
    if not paths:
        return {}
    aggregates = {}
    for n, p in enumerate(paths):
        within = Q(unit__path__startswith=p)
        aggregates[f"t{n}"] = Count("id", filter=within)
        aggregates[f"d{n}"] = Count("id", filter=within & Q(status__in=DONE))
        aggregates[f"p{n}"] = Count("id", filter=within & Q(status=ReportStatus.PENDING))
        aggregates[f"o{n}"] = Count("id", filter=within & timeliness_q(Timeliness.OVERDUE, today))
        aggregates[f"l{n}"] = Count("id", filter=within & timeliness_q(Timeliness.LATE, today))
    subtree = Q(pk__in=[])
    for p in paths:
        subtree |= Q(unit__path__startswith=p)
    values = annotated(board.board_reports(user, plan).filter(subtree)).aggregate(**aggregates)
    return {
        p: SubtreeCounts(
            total=values[f"t{n}"],
            done=values[f"d{n}"],
            pending=values[f"p{n}"],
            overdue=values[f"o{n}"],
            late=values[f"l{n}"],
        )
        for n, p in enumerate(paths)
    }


def _with_counts(
    rows: list[BoardRow],
    counts: dict[str, SubtreeCounts],
    base: int,
    children_url: str,
    *,
    live: bool,
) -> list[BoardRow]:
    for row in rows:
        unit = row.report.unit
        row.indent = max(unit.depth - base, 0)
        row.subtree = c = counts.get(unit.path)
        row.has_children = c is not None and c.total > 1
        if row.has_children:
            row.children_url = f"{children_url}{quote(unit.code)}/"
            row.subtree_text, row.subtree_overdue, row.subtree_rest = _subtree_texts(
                c, plan_live=live
            )
    return rows


def _subtree_texts(c: SubtreeCounts, *, plan_live: bool) -> tuple[str, str, str]:
    """ "3 of 40 submitted", "12 overdue", " · 2 late · 5 not started"."""
    done = gettext("%(done)s of %(total)s submitted") % {"done": c.done, "total": c.total}
    overdue = ""
    if c.overdue and plan_live:
        overdue = ngettext("%(n)s overdue", "%(n)s overdue", c.overdue) % {"n": c.overdue}
    elif c.overdue:
        overdue = ngettext(
            "%(n)s not submitted by the deadline",
            "%(n)s not submitted by the deadline",
            c.overdue,
        ) % {"n": c.overdue}
    rest = ""
    if c.late:
        rest += " · " + ngettext("%(n)s late", "%(n)s late", c.late) % {"n": c.late}
    if c.pending:
        rest += " · " + ngettext("%(n)s not started", "%(n)s not started", c.pending) % {
            "n": c.pending
        }
    return done, overdue, rest


def children_prefix(plan: Plan) -> str:
    """The subtree fragments' URL without the unit's code, reversed once a page."""
    return reverse("chasing:board_children", args=[plan.pk, "-"])[:-2]


def _paged(queryset: QuerySet[Report], page: int) -> QuerySet[Report]:
    """Page ``page`` of each unit's subordinates in ``queryset`` (in path
    order, PAGE_SIZE a page), each annotated with how many siblings it has."""
    parent = Substr("unit__path", 1, Length("unit__path") - STEP)
    offset = (page - 1) * PAGE_SIZE
    return queryset.annotate(
        place=Window(RowNumber(), partition_by=[parent], order_by=F("unit__path").asc()),
        siblings=Window(Count("id"), partition_by=[parent]),
    ).filter(place__gt=offset, place__lte=offset + PAGE_SIZE)


def _more(
    values: list[dict], parents: dict[str, str], page: int, children_url: str, base: int
) -> dict[str, MoreRow]:
    """The "Xem thêm" row after the last subordinate shown of each unit of
    ``parents`` (path -> code) whose subordinates go on, keyed by that
    subordinate's path."""
    last: dict[str, dict] = {}
    for v in values:
        parent = v["unit__path"][:-STEP]
        if parent in parents:
            last[parent] = v
    more = {}
    for parent, v in last.items():
        remaining = v["siblings"] - v["place"]
        if remaining > 0:
            more[v["unit__path"]] = MoreRow(
                path=f"{parent}+",
                remaining=remaining,
                url=f"{children_url}{quote(parents[parent])}/?page={page + 1}",
                indent=max(len(parent) // STEP + 1 - base, 0),
                label=ngettext(
                    "Show more (%(n)s unit left)", "Show more (%(n)s units left)", remaining
                )
                % {"n": remaining},
            )
    return more


def _with_more(rows: list[BoardRow], more: dict[str, MoreRow]) -> list:
    if not more:
        return rows
    shown: list = []
    for row in rows:
        shown.append(row)
        if row.report.unit.path in more:
            shown.append(more[row.report.unit.path])
    return shown


def first_rows(user: User, plan: Plan, today: datetime.date) -> list:
    """The board's unit(s) and (a page of) their direct subordinates, with
    their subtrees' counts, and a "Xem thêm" row where more follow."""
    roots = board_roots(user, plan)
    where = Q(unit__path__in=roots)
    for r in roots:
        where |= Q(unit__path__startswith=r, unit__depth=len(r) // STEP + 1)
    reports = _paged(board.board_reports(user, plan).filter(where), 1).order_by("unit__path")
    values = list(board.with_values(reports))
    rows = board.rows_of(user, plan, values, today=today)
    shown = [v["unit__path"] for v in values if v["unit__path"] not in roots]
    counts = subtree_counts(user, plan, roots, today, only=shown)
    base = min(len(r) for r in roots) // STEP
    prefix = children_prefix(plan)
    rows = _with_counts(rows, counts, base, prefix, live=plan.is_live)
    codes = {}
    for row in rows:
        unit = row.report.unit
        if unit.path in roots:
            codes[unit.path] = unit.code
            row.subtree = None  # the summary above counts the whole board
            row.has_children = len(values) > len(roots)
    return _with_more(rows, _more(values, codes, 1, prefix, base))


def children_rows(
    user: User, plan: Plan, unit: OrgUnit, today: datetime.date, page: int = 1
) -> list:
    """Page ``page`` of ``unit``'s direct subordinates on the board, each with
    its subtree's counts, and a "Xem thêm" row if more follow: one query for
    the rows, one for their reminders, one for their counts."""
    where = Q(unit__path__startswith=unit.path, unit__depth=unit.depth + 1)
    reports = _paged(board.board_reports(user, plan).filter(where), page).order_by("unit__path")
    values = list(board.with_values(reports))
    rows = board.rows_of(user, plan, values, today=today)
    shown = [v["unit__path"] for v in values]
    counts = subtree_counts(user, plan, [unit.path], today, only=shown)
    base = min(len(r) for r in board_roots(user, plan)) // STEP
    prefix = children_prefix(plan)
    rows = _with_counts(rows, counts, base, prefix, live=plan.is_live)
    return _with_more(rows, _more(values, {unit.path: unit.code}, page, prefix, base))


def filtered_page(
    user: User,
    plan: Plan,
    today: datetime.date,
    *,
    status: str = "",
    level: str = "",
    timeliness: str = "",
    q: str = "",
    page: int = 1,
) -> tuple[list[BoardRow], int, int]:
    """One page of the reports matching the filters, flat, each naming its
    parent unit; with the number of matches and the page shown."""
    reports = annotated(board.board_reports(user, plan))
    if status:
        reports = reports.filter(status=status)
    if level:
        reports = reports.filter(unit__level__code=level)
    if timeliness:
        reports = reports.filter(timeliness_q(timeliness, today))
    if q:
        units = OrgUnit.objects.search(q).values("pk")
        reports = reports.filter(unit__in=units)
    page = max(page, 1)
    values = _page_of(reports, page)
    if values:
        total = values[0]["matches"]
    else:
        total = reports.count()  # past the last page: the last one
        page = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        values = _page_of(reports, page) if total else []
    rows = board.rows_of(user, plan, values, today=today)
    parents = {row.unit.path[:-STEP] for row in rows if len(row.unit.path) > STEP}
    names = dict(OrgUnit.objects.filter(path__in=parents).values_list("path", "name"))
    for row in rows:
        row.indent = 0
        row.has_children = False
        row.parent_name = names.get(row.unit.path[:-STEP], "")
    return rows, total, page


def _page_of(reports: QuerySet[Report], page: int) -> list[dict]:
    """The rows' values of page ``page``, each with the number of ``matches``."""
    counted = reports.annotate(matches=Window(Count("id"))).order_by("unit__path")
    return list(board.with_values(counted)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])


def changed_rows(
    user: User, plan: Plan, since: datetime.datetime, today: datetime.date
) -> list[BoardRow]:
    """The rows whose report changed after ``since``, or one of whose
    reminders did (sent, failed, to check: its badges), at most a page of
    them, with their ancestors on the board, each with its subtree's counts."""
    reminded = Reminder.objects.filter(changed_at__gt=since).values("report_id")
    changed = list(
        board.board_reports(user, plan)
        .filter(Q(modified__gt=since) | Q(pk__in=reminded))
        .order_by("-modified")
        .values_list("unit__path", flat=True)[:PAGE_SIZE]
    )
    if not changed:
        return []
    roots = board_roots(user, plan)
    paths = set(changed)
    for path in changed:
        for r in roots:
            if path.startswith(r):
                paths.update(path[:end] for end in range(len(r) + STEP, len(path), STEP))
    rows = board.board_rows(user, plan, today=today, where=Q(unit__path__in=sorted(paths)))
    counts = counts_of(user, plan, sorted(paths | set(changed) - set(roots)), today)
    base = min(len(r) for r in roots) // STEP
    return _with_counts(rows, counts, base, children_prefix(plan), live=plan.is_live)


def fingerprint(user: User, plan: Plan) -> str:
    """What the board shows changes only if this does: two aggregate queries."""
    reports = board.board_reports(user, plan).aggregate(n=Count("id"), last=Max("modified"))
    # Every change of a reminder's status sets its changed_at (notifications.delivery).
    reminders = Reminder.objects.filter(
        report__in=board.board_reports(user, plan).values("pk")
    ).aggregate(n=Count("id"), last=Max("id"), changed=Max("changed_at"))
    text = repr((sorted(reports.items()), sorted(reminders.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
