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

from django.db.models import Count, DateField, F, Max, Min, Q, QuerySet
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from campaigns.models import Plan
from orgunits.access import User, scope_paths
from orgunits.models import Level, OrgUnit
from reports.models import Report, ReportStatus

from . import board
from .board import DONE_STATUSES, BoardRow, LevelSummary, Timeliness
from .models import Reminder

FULL_TREE_MAX = 150  # reports on a board shown whole; above, the board opens on demand
PAGE_SIZE = 50  # rows of a filtered page

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
    user: User, plan: Plan, parents: list[str], today: datetime.date
) -> dict[str, SubtreeCounts]:
    """Counts of each direct subordinate's subtree under ``parents`` (the
    subordinate's own report included), keyed by its path: one query per
    depth of ``parents`` (one in practice), grouped on the path prefix."""
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
    rows: list[BoardRow], counts: dict[str, SubtreeCounts], base: int
) -> list[BoardRow]:
    for row in rows:
        row.indent = max(row.unit.depth - base, 0)
        row.subtree = counts.get(row.unit.path)
        row.has_children = row.subtree is not None and row.subtree.total > 1
    return rows


def first_rows(user: User, plan: Plan, today: datetime.date) -> list[BoardRow]:
    """The board's unit(s) and their direct subordinates with their subtrees' counts."""
    roots = board_roots(user, plan)
    where = Q(unit__path__in=roots)
    for r in roots:
        where |= Q(unit__path__startswith=r, unit__depth=len(r) // STEP + 1)
    rows = board.board_rows(user, plan, today=today, where=where)
    counts = subtree_counts(user, plan, roots, today)
    children = {p for p in counts}
    for r in roots:
        below = [c for p, c in counts.items() if p.startswith(r)]
        counts[r] = SubtreeCounts(
            total=1 + sum(c.total for c in below),
            done=sum(c.done for c in below),
            pending=sum(c.pending for c in below),
            overdue=sum(c.overdue for c in below),
            late=sum(c.late for c in below),
        )
    base = min(len(r) for r in roots) // STEP
    rows = _with_counts(rows, counts, base)
    for row in rows:
        if row.unit.path in roots:
            row.subtree = None  # the summary above counts the whole board
            row.has_children = bool(children)
    return rows


def children_rows(user: User, plan: Plan, unit: OrgUnit, today: datetime.date) -> list[BoardRow]:
    """``unit``'s direct subordinates on the board, each with its subtree's
    counts: one query for the rows (and their reminders), one for the counts."""
    where = Q(unit__path__startswith=unit.path, unit__depth=unit.depth + 1)
    rows = board.board_rows(user, plan, today=today, where=where)
    counts = subtree_counts(user, plan, [unit.path], today)
    base = min(len(r) for r in board_roots(user, plan)) // STEP
    return _with_counts(rows, counts, base)


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
    total = reports.count()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    ids = list(
        reports.order_by("unit__path").values_list("pk", flat=True)[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    rows = board.board_rows(user, plan, today=today, where=Q(pk__in=ids))
    parents = {row.unit.path[:-STEP] for row in rows if len(row.unit.path) > STEP}
    names = dict(OrgUnit.objects.filter(path__in=parents).values_list("path", "name"))
    for row in rows:
        row.indent = 0
        row.has_children = False
        row.parent_name = names.get(row.unit.path[:-STEP], "")
    return rows, total, page


def changed_rows(
    user: User, plan: Plan, since: datetime.datetime, today: datetime.date
) -> list[BoardRow]:
    """The rows whose report changed after ``since`` (at most a page of them),
    with their ancestors on the board, each with its subtree's counts."""
    changed = list(
        board.board_reports(user, plan)
        .filter(modified__gt=since)
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
    return _with_counts(rows, counts, base)


def fingerprint(user: User, plan: Plan) -> str:
    """What the board shows changes only if this does: two aggregate queries."""
    reports = board.board_reports(user, plan).aggregate(n=Count("id"), last=Max("modified"))
    reminders = Reminder.objects.filter(
        report__in=board.board_reports(user, plan).values("pk")
    ).aggregate(
        n=Count("id"),
        last=Max("id"),
        claimed=Max("claimed_at"),
        sent=Max("sent_at"),
        statuses=Count("status", distinct=True),
        first=Min("status"),
        final=Max("status"),
    )
    text = repr((sorted(reports.items()), sorted(reminders.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
