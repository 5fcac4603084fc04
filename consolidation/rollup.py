"""Roll-up of a campaign's reports over a unit's subtree.

Who counts is decided once, in ``consolidation.tree`` (read its docstring):
each unit is counted once; a level consolidates its direct subordinates; a
subordinate with units of its own counts through its own consolidated
report, and while that report is not counted its units are counted in its
place, marked "not yet consolidated by" it and included. "Tính từ cơ sở"
(``LEAVES``) is the second view: the grassroots reports only.

A fixed number of queries per call, whatever the number of units: figures
are summed in the database (per year through JSON keys) for both views at
once, grouped by the report each row counts through; choices and yes/no are
counted there too; narrative answers and points come back in one query.
Answers to an implementing plan's copy of an item count for the original
item (``inherited_from``, up to three plans deep).

The API a test can lean on: ``totals(plan=, unit=, include_submitted=)``
gives, per figure item, the DIRECT and the LEAVES figure; they are equal
whenever every counted intermediate report equals the roll-up of its units.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, F, JSONField, Max, Q, Sum, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from campaigns.models import FIGURE_TYPES, AnswerType, OutlineItem, Plan
from campaigns.selectors import OutlineRow, outline_rows
from documents.content import Table
from documents.richtext import to_blocks
from orgunits.models import Level, OrgUnit
from reports.models import Answer

from .grouping import PointGroup, Source, group_points, normalise
from .tree import (
    BASES,
    DIRECT,
    LEAVES,
    LEAVES_RULE,
    RULE,
    Classifier,
    Node,
    Pending,
    ReportingTree,
    counted_statuses,
    report_unit_name,
    reporting_tree,
    subtree_reports,
)

__all__ = [
    "BASES",
    "DIRECT",
    "LEAVES",
    "LEAVES_RULE",
    "RULE",
    "FIGURE_TYPES",
    "ROOT_ITEM",
    "Difference",
    "Figure",
    "ItemRollup",
    "ItemTotals",
    "Completeness",
    "LevelCompleteness",
    "ItemTexts",
    "Narrative",
    "PointGroup",
    "Rollup",
    "build",
    "completeness",
    "counted_statuses",
    "figures",
    "group_points",
    "item_texts",
    "normalise",
    "subtree_reports",
    "totals",
]

COUNT_TYPES = (AnswerType.BOOLEAN, AnswerType.CHOICE)
TEXT_TYPES = (AnswerType.TEXT, AnswerType.POINTS)
ROOT_ITEM = Coalesce(
    "item__inherited_from__inherited_from_id", "item__inherited_from_id", "item_id"
)


@dataclass
class Figure:
    total: Decimal | None = None
    answered: int = 0  # units that gave the figure
    per_year: dict[str, int] = field(default_factory=dict)

    def add(self, other: Figure) -> None:
        if other.total is not None:
            self.total = (self.total or 0) + other.total
        self.answered += other.answered
        for year, value in other.per_year.items():
            self.per_year[year] = self.per_year.get(year, 0) + value

    @property
    def value(self) -> tuple:
        """What two figures are compared on."""
        return (self.total, tuple(sorted(self.per_year.items())))


@dataclass
class Difference:
    """A used intermediate report whose figure is not the sum of its leaves."""

    unit: str
    path: str
    own: Figure | None
    leaves: Figure | None

    @property
    def own_total(self) -> Decimal | None:
        return self.own.total if self.own is not None and self.own.answered else None

    @property
    def leaves_total(self) -> Decimal | None:
        return self.leaves.total if self.leaves is not None and self.leaves.answered else None

    @property
    def years(self) -> list[tuple[str, int | None, int | None]]:
        """(year, own, leaves) for the years that differ, when the totals agree."""
        if self.own_total != self.leaves_total:
            return []
        own = self.own.per_year if self.own is not None else {}
        leaves = self.leaves.per_year if self.leaves is not None else {}
        return [
            (year, own.get(year), leaves.get(year))
            for year in sorted(set(own) | set(leaves))
            if own.get(year) != leaves.get(year)
        ]


@dataclass
class PendingFigure:
    """What DIRECT counts below a direct subordinate that has not consolidated it."""

    unit: str
    figure: Figure = field(default_factory=Figure)
    reports: int = 0  # reports counted in its place that gave the figure


@dataclass
class Narrative:
    unit: str
    text: str  # plain text, a table's rows included ("cell | cell")
    pending_by: str = ""  # "chưa được <pending_by> tổng hợp"
    prose: str = ""  # the text outside tables, shown above them
    tables: list[Table] = field(default_factory=list)  # shown as tables


@dataclass
class ItemRollup:
    row: OutlineRow
    basis: str = DIRECT
    direct: Figure | None = None  # what "Fill in the figures" writes
    leaves: Figure | None = None  # "tính từ cơ sở"
    differences: list[Difference] = field(default_factory=list)
    pending: list[PendingFigure] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # choice or "yes"/"no" → units
    pending_counts: dict[str, int] = field(default_factory=dict)  # of which not consolidated
    groups: list[PointGroup] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    text_units: int = 0  # units that wrote or listed something (``text_counts``)

    @property
    def item(self) -> OutlineItem:
        return self.row.item

    @property
    def figure(self) -> Figure | None:
        """The figure of the view shown."""
        return self.direct if self.basis == DIRECT else self.leaves


@dataclass
class ItemTotals:
    direct: Figure | None
    leaves: Figure | None


@dataclass
class LevelCompleteness:
    level: Level | None  # None: the direct subordinates, whatever their level
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    late_units: list[str] = field(default_factory=list)
    missing_units: list[str] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0

    def count(self, node: Node) -> None:
        self.expected += 1
        if node.counted:
            if node.is_late:
                self.late += 1
                self.late_units.append(node.name)
            else:
                self.on_time += 1
        else:
            self.missing += 1
            self.missing_units.append(node.name)


@dataclass
class UnitFigure:
    own: Figure | None = None
    leaves: Figure | None = None


@dataclass
class Rollup:
    plan: Plan
    unit: OrgUnit
    include_submitted: bool
    items: list[ItemRollup]
    levels: list[LevelCompleteness]
    direct: LevelCompleteness  # completeness of the direct subordinates
    tree: ReportingTree
    basis: str = DIRECT
    # (item of the plan, path of a report DIRECT uses) → the sums of its own
    # figure and of its leaves' (``_figures_by_unit``)
    unit_sums: dict[tuple[int, str], tuple] = field(default_factory=dict, repr=False)

    @cached_property
    def unit_figures(self) -> dict[tuple[int, str], UnitFigure]:
        """(item of the plan, path of a report DIRECT uses) → its own figure and
        its leaves', made on first use (the annexes; the workspace shows none)."""
        return {
            key: UnitFigure(own=_as_figure(own), leaves=_as_figure(below))
            for key, (own, below) in self.unit_sums.items()
        }

    def item(self, item_id: int) -> ItemRollup | None:
        return next((i for i in self.items if i.item.pk == item_id), None)

    @property
    def rule(self) -> str:
        """The rule of the view, in one sentence for the page."""
        return RULE if self.basis == DIRECT else LEAVES_RULE

    @property
    def counted_reports(self) -> int:
        return len(self.tree.counted_for(self.basis))

    @property
    def pending(self) -> list[Pending]:
        return self.tree.pending

    @property
    def pending_included(self) -> list[Pending]:
        """Pending subordinates some of whose units are counted in their place."""
        return [p for p in self.tree.pending if p.used]

    @property
    def differences(self) -> list[tuple[ItemRollup, Difference]]:
        return [(entry, d) for entry in self.items for d in entry.differences]


def counted_answers(classifier: Classifier):
    """Answers of the counted reports below the unit, with their root item and
    the report they count through (``contributor``)."""
    return classifier.classify(Answer.objects.annotate(root=ROOT_ITEM))


def _by_root(rows: list[OutlineRow], basis: str) -> dict[int, ItemRollup]:
    """The answerable items of an outline keyed by the item their answers count
    for: an implementing plan's copy stands for its original."""
    items = [row for row in rows if not row.item.is_heading]
    roots = {row.item.pk: row.item.pk for row in items}
    copies = [row.item.pk for row in items if row.item.inherited_from_id]
    if copies:
        roots.update(
            OutlineItem.objects.filter(pk__in=copies)
            .annotate(root=Coalesce("inherited_from__inherited_from_id", "inherited_from_id"))
            .values_list("pk", "root")
        )
    return {roots[row.item.pk]: ItemRollup(row=row, basis=basis) for row in items}


def build(
    *,
    plan: Plan,
    unit: OrgUnit,
    include_submitted: bool = False,
    basis: str = DIRECT,
    texts: bool = True,
    text_counts: bool = False,
    cached: bool = False,
) -> Rollup:
    """Roll up the campaign of ``plan`` over ``unit``'s subtree for ``plan``'s outline.

    Figures come in both views; counts, points and narratives in ``basis``
    (points and narratives only with ``texts``, read from the stored plain
    text; with ``text_counts`` only the number of units that wrote, per item:
    one query, what the workspace's first paint shows).

    ``cached`` (without ``texts``: the workspace): the figures and counts are
    kept per signature of the reporting tree (:func:`_parts_key`) and read
    back while it holds; ``unit_sums`` stays empty (the documents, which
    print per-unit figures, always sum).
    """
    campaign = plan.root
    rows = outline_rows(plan)
    items = _by_root(rows, basis)
    by_pk = {entry.item.pk: entry for entry in items.values()}
    tree = reporting_tree(campaign, unit, include_submitted)
    result = Rollup(
        plan=plan,
        unit=unit,
        include_submitted=include_submitted,
        items=[by_pk.get(row.item.pk) or ItemRollup(row=row, basis=basis) for row in rows],
        levels=_levels(tree),
        direct=_direct_completeness(tree),
        tree=tree,
        basis=basis,
    )
    if not tree.nodes:
        return result
    key = _parts_key(plan, tree, basis, text_counts) if cached and not texts else None
    parts = cache.get(key) if key else None
    if parts is not None:
        _restore_parts(items, parts)
        return result
    classifier = tree.classifier(campaign)
    answers = counted_answers(classifier)
    unit_sums = _figures_by_unit(plan, items, answers, tree)
    _counts(items, answers, classifier, tree, basis)
    if texts:
        _texts(items, answers, classifier, tree, basis)
    elif text_counts:
        _text_counts(items, answers, classifier, basis)
    if key:
        cache.set(key, _saved_parts(items), PARTS_CACHED_FOR)
    else:
        result.unit_sums = unit_sums
    return result


# --- The workspace's parts, kept per signature of the tree --------------------

PARTS_VERSION = 2  # bump when what ``_saved_parts`` keeps changes shape
# A bound on what no signature sees: an answer of a counted report changed
# outside the application's services (those refuse to change a report that
# is submitted or accepted, and a change of status changes the signature).
PARTS_CACHED_FOR = 3600  # seconds
_PART_FIELDS = (
    "direct",
    "leaves",
    "differences",
    "pending",
    "counts",
    "pending_counts",
    "text_units",
)


def _parts_key(plan: Plan, tree: ReportingTree, basis: str, text_counts: bool) -> str:
    """What the figures, counts and numbers of writers depend on: the outline
    (the plan's last change) and the counted reports below, which the tree
    has just read for the page with their status, place, name and last
    change (``ReportingTree.signature``). A report's answers cannot change
    while it is counted (``Report.require_changeable``), and it leaves and
    comes back to the counted ones only by a change of status: the key
    costs no query."""
    state = repr((PARTS_VERSION, plan.modified, basis, text_counts, tree.include_submitted))
    digest = hashlib.sha256(f"{state}{tree.signature}".encode()).hexdigest()
    return f"rollup-parts:{plan.pk}:{tree.unit.pk}:{digest}"


def _saved_parts(items: dict[int, ItemRollup]) -> dict[int, tuple]:
    return {
        entry.item.pk: tuple(getattr(entry, name) for name in _PART_FIELDS)
        for entry in items.values()
    }


def _restore_parts(items: dict[int, ItemRollup], parts: dict[int, tuple]) -> None:
    for entry in items.values():
        for name, value in zip(_PART_FIELDS, parts.get(entry.item.pk, ()), strict=False):
            setattr(entry, name, value)


def figures(
    *,
    plan: Plan,
    unit: OrgUnit,
    include_submitted: bool = False,
    basis: str = DIRECT,
    leaves: bool = False,
) -> list[ItemRollup]:
    """Only the figure items that have data, in outline order: the part that must
    scale to a country (no tree in Python, narratives not read at all).

    The DIRECT figure always; the LEAVES one too with ``leaves`` (or when it
    is the ``basis`` shown), in a second query.
    """
    entries = _figure_entries(
        plan=plan, unit=unit, include_submitted=include_submitted, basis=basis, leaves=leaves
    )
    return [entry for entry in entries if entry.figure is not None]


def _figure_entries(
    *, plan: Plan, unit: OrgUnit, include_submitted: bool, basis: str, leaves: bool
) -> list[ItemRollup]:
    """Every figure item of the outline, in order, with its figures (None where
    nobody counted gave one)."""
    items = {
        root: entry
        for root, entry in _by_root(outline_rows(plan), basis).items()
        if entry.item.answer_type in FIGURE_TYPES
    }
    campaign = plan.root
    max_depth = subtree_reports(campaign, unit).aggregate(depth=Max("unit__depth"))["depth"]
    if max_depth is None or not items:
        return []
    classifier = Classifier(
        campaign=campaign,
        unit=unit,
        statuses=counted_statuses(include_submitted),
        max_depth=max_depth,
    )
    years = _years(plan)
    views = [("direct", classifier.own)]
    if leaves or basis == LEAVES:
        views.append(("leaves", classifier.leaf))
    for attr, condition in views:  # one query each: only the rows the view counts
        answers = counted_answers(classifier).filter(condition)
        for row in _figure_rows(plan, answers, by_unit=False, flags=False):
            entry = items.get(row["root"])
            if entry is not None:
                setattr(entry, attr, _figure(row, years))
    return list(items.values())


def totals(*, plan: Plan, unit: OrgUnit, include_submitted: bool = False) -> dict[int, ItemTotals]:
    """Per figure item of ``plan`` (by pk): the DIRECT and the LEAVES figure.

    ``direct`` counts each unit once through the report the rule uses;
    ``leaves`` sums the grassroots reports only. An item is left out only when
    both are None: a leaf may have given a figure that the report the rule
    uses in its place did not.
    """
    entries = _figure_entries(
        plan=plan, unit=unit, include_submitted=include_submitted, basis=DIRECT, leaves=True
    )
    return {
        entry.item.pk: ItemTotals(direct=entry.direct, leaves=entry.leaves)
        for entry in entries
        if entry.direct is not None or entry.leaves is not None
    }


def _years(plan: Plan) -> list[str]:
    return [str(year) for year in range(plan.period_start, plan.period_end + 1)]


def _figure_rows(plan: Plan, answers, *, by_unit: bool, flags: bool = True):
    """Sums of the figure answers per root item, with ``flags`` apart by
    whether DIRECT counts them (``is_own``) and whether LEAVES does
    (``is_leaf``); per report DIRECT uses too, with ``by_unit``."""
    given = Q(number__isnull=False) | ~Q(per_year={})
    per_year = {f"y{year}": Sum(_year_value(year)) for year in _years(plan)}
    keys = ("root", "contributor") if by_unit else ("root",)
    if flags:
        keys += ("is_own", "is_leaf")
    # Filter on the answer's own item type (a copy keeps its original's type):
    # a condition on the COALESCE would have to be computed for every row.
    return (
        answers.filter(item__answer_type__in=FIGURE_TYPES)
        .values(*keys)
        .annotate(total=Sum("number"), answered=Count("id", filter=given), **per_year)
        .order_by()
    )


def _figure(row: dict, years: list[str]) -> Figure | None:
    if not row["answered"]:
        return None
    figure = Figure(total=row["total"], answered=row["answered"])
    figure.per_year = {y: int(row[f"y{y}"]) for y in years if row[f"y{y}"] is not None}
    if figure.per_year and figure.total is None:
        figure.total = Decimal(sum(figure.per_year.values()))
    return figure


# A figure being summed, in plain values: [total, answered, {year: figure}].
# The roll-up of a province adds thousands of them; a list is several times
# cheaper than a Figure and its method calls, and the result is the same.
_Sum = list


def _sum_into(acc: _Sum | None, total, answered: int, per_year: dict[str, int]) -> _Sum:
    """``acc`` plus one figure (``Figure.add``); a new sum when ``acc`` is None."""
    if acc is None:
        return [total, answered, dict(per_year)]
    if total is not None:
        acc[0] = (acc[0] or 0) + total
    acc[1] += answered
    sums = acc[2]
    for year, value in per_year.items():
        sums[year] = sums.get(year, 0) + value
    return acc


def _as_figure(acc: _Sum | None) -> Figure | None:
    if acc is None:
        return None
    return Figure(total=acc[0], answered=acc[1], per_year=dict(sorted(acc[2].items())))


def _sum_value(acc: _Sum | None) -> tuple:
    """What ``_value`` compares, of a sum."""
    if acc is None or not acc[1]:
        return (None, ())
    return (acc[0], tuple(sorted(acc[2].items())))


def _figures_by_unit(
    plan: Plan, items: dict[int, ItemRollup], answers, tree: ReportingTree
) -> dict[tuple[int, str], tuple[_Sum | None, _Sum | None]]:
    """DIRECT and LEAVES figures of every item, the differences and the parts
    pending, from one grouped query (a row per item and report DIRECT uses),
    summed over plain values; returns the sums per (item, report DIRECT uses):
    its own figure and its leaves' (``Rollup.unit_figures`` makes them
    figures when a document asks)."""
    units: dict[tuple[int, str], tuple[_Sum | None, _Sum | None]] = {}
    if not any(entry.item.answer_type in FIGURE_TYPES for entry in items.values()):
        return units
    years = _years(plan)
    columns = ("root", "contributor", "is_own", "is_leaf", "total", "answered")
    rows = _figure_rows(plan, answers, by_unit=True).values_list(
        *columns, *(f"y{year}" for year in years)
    )
    by_path = tree.by_path
    pk_of = {root: entry.item.pk for root, entry in items.items()}
    direct: dict[int, _Sum] = {}
    leaves: dict[int, _Sum] = {}
    own_sums: dict[tuple[int, str], _Sum] = {}
    leaf_sums: dict[tuple[int, str], _Sum] = {}
    for root, contributor, is_own, is_leaf, total, answered, *per_year in rows:
        pk = pk_of.get(root)
        if pk is None or not answered or contributor not in by_path:
            continue
        given = {y: int(v) for y, v in zip(years, per_year, strict=True) if v is not None}
        if given and total is None:
            total = Decimal(sum(given.values()))
        key = (pk, contributor)
        if is_own:
            own_sums[key] = _sum_into(own_sums.get(key), total, answered, given)
            direct[pk] = _sum_into(direct.get(pk), total, answered, given)
        if is_leaf:
            leaf_sums[key] = _sum_into(leaf_sums.get(key), total, answered, given)
            leaves[pk] = _sum_into(leaves.get(pk), total, answered, given)
    entries = {entry.item.pk: entry for entry in items.values()}
    for pk, entry in entries.items():
        entry.direct = _as_figure(direct.get(pk))
        entry.leaves = _as_figure(leaves.get(pk))
    for key in own_sums.keys() | leaf_sums.keys():
        units[key] = (own_sums.get(key), leaf_sums.get(key))
    # A difference: a used report with units below whose own figure is not
    # theirs (a report without units below is its own leaf).
    for node in tree.used:  # in tree order
        if not node.has_below:
            continue
        for pk, entry in entries.items():
            own, below = units.get((pk, node.path), (None, None))
            if _sum_value(own) != _sum_value(below):
                entry.differences.append(
                    Difference(node.name, node.path, _as_figure(own), _as_figure(below))
                )
    # What is counted in place of a direct subordinate that has not
    # consolidated it yet, per item and subordinate, in tree order.
    pending: dict[tuple[int, Node], list] = {}  # → [sum, reports]
    for (pk, path), own in own_sums.items():
        by = by_path[path].waiting_for
        if by is None:
            continue
        part = pending.get((pk, by))
        if part is None:
            pending[(pk, by)] = [_sum_into(None, *own), 1]
        else:
            _sum_into(part[0], *own)
            part[1] += 1
    for (pk, by), (own, reports) in sorted(pending.items(), key=lambda kv: kv[0][1].path):
        entries[pk].pending.append(PendingFigure(by.name, _as_figure(own), reports))
    return units


def _year_value(year: str) -> RawSQL:
    """The figure of one year in ``per_year``. Django's key lookups read a
    numeric key ("2017") as an array index, so the JSON path is written here.
    Read as a type whose sums cannot overflow, whatever a row holds (a figure
    out of range saved before the range was enforced): numeric on PostgreSQL
    (exact), a double on SQLite (exact to 2^53, thousands of maximal figures),
    where an integer SUM raises "integer overflow"; ``_figure`` makes them ints."""
    table = Answer._meta.db_table
    if connection.vendor == "postgresql":
        return RawSQL(f'("{table}"."per_year" ->> %s)::numeric', [year])
    return RawSQL(f'CAST(json_extract("{table}"."per_year", %s) AS REAL)', [f'$."{year}"'])


def _basis_condition(classifier: Classifier, basis: str) -> Q:
    return classifier.own if basis == DIRECT else classifier.leaf


def _pending_by(tree: ReportingTree, path: str, basis: str) -> str:
    """The direct subordinate that has not consolidated this report yet (DIRECT)."""
    node = tree.by_path.get(path)
    if basis != DIRECT or node is None or node.waiting_for is None:
        return ""
    return node.waiting_for.name


def _counts(items: dict[int, ItemRollup], answers, classifier, tree, basis: str) -> None:
    if not any(entry.item.answer_type in COUNT_TYPES for entry in items.values()):
        return
    rows = (
        answers.filter(item__answer_type__in=COUNT_TYPES)
        .filter(_basis_condition(classifier, basis))
        .values("root", "contributor", "boolean", "choice")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        item = items.get(row["root"])
        if item is None:
            continue
        if item.item.answer_type == AnswerType.BOOLEAN and row["boolean"] is not None:
            key = "yes" if row["boolean"] else "no"
        elif item.item.answer_type == AnswerType.CHOICE and row["choice"]:
            key = row["choice"]
        else:
            continue
        item.counts[key] = item.counts.get(key, 0) + row["n"]
        if _pending_by(tree, row["contributor"], basis):
            item.pending_counts[key] = item.pending_counts.get(key, 0) + row["n"]
    for item in items.values():  # in the order of the outline's choices
        if item.item.answer_type == AnswerType.CHOICE and item.counts:
            order = {choice: i for i, choice in enumerate(item.item.choices)}
            item.counts = dict(sorted(item.counts.items(), key=lambda kv: order.get(kv[0], 99)))


_WROTE = ~Q(text_plain="") | ~Q(points=[])


def _text_rows(answers, classifier, basis: str):
    """The narrative and points answers ``basis`` counts, in tree order, with
    their unit's name and path."""
    return (
        answers.filter(item__answer_type__in=TEXT_TYPES)
        .filter(_basis_condition(classifier, basis))
        .filter(_WROTE)
        .annotate(unit_label=report_unit_name("report__"), unit_path=F("report__unit__path"))
        .order_by("report__unit__path", "pk")
    )


def _text_counts(items: dict[int, ItemRollup], answers, classifier, basis: str) -> None:
    if not any(entry.item.answer_type in TEXT_TYPES for entry in items.values()):
        return
    rows = (
        answers.filter(item__answer_type__in=TEXT_TYPES)
        .filter(_basis_condition(classifier, basis))
        .filter(_WROTE)
        .values("root")
        .annotate(n=Count("report_id", distinct=True))
        .order_by()
    )
    for row in rows:
        entry = items.get(row["root"])
        if entry is not None:
            entry.text_units = row["n"]


def _said(entry: ItemRollup, answer_type: str, plain: str, answer_points) -> list[str]:
    """What one answer said for ``entry``: its points, or the lines of its text
    when ``entry`` is a list of points (read by the answer's own item's type: a
    district may have changed the type of its copy of the item)."""
    if answer_type == AnswerType.POINTS:
        return [p.strip() for p in _point_texts(answer_points)]
    if entry.item.answer_type == AnswerType.POINTS:
        return [line for line in plain.splitlines() if line.strip()]
    return []


def _pending_names(tree: ReportingTree, basis: str) -> dict[str, str]:
    """``_pending_by`` of every report that has one (path → the subordinate's
    name): one look-up a row where thousands of rows are read."""
    if basis != DIRECT:
        return {}
    return {node.path: node.waiting_for.name for node in tree.used if node.waiting_for}


# An answer's points, only where the answer's own item asks for them: the
# other narrative answers (most of them) hold [], which would be decoded for
# nothing on every build.
_POINTS = Case(
    When(item__answer_type=AnswerType.POINTS, then=F("points")), output_field=JSONField()
)


def _texts(items: dict[int, ItemRollup], answers, classifier, tree, basis: str) -> None:
    if not any(entry.item.answer_type in TEXT_TYPES for entry in items.values()):
        return
    rows = (
        _text_rows(answers, classifier, basis)
        .annotate(points_given=_POINTS)
        .values_list(
            "root", "unit_label", "unit_path", "item__answer_type", "text_plain", "points_given"
        )
    )
    pending_names = _pending_names(tree, basis)
    points: dict[int, list[tuple[str, Source]]] = defaultdict(list)
    for root, unit_name, path, answer_type, plain, answer_points in rows:
        entry = items.get(root)
        if entry is None:
            continue
        pending_by = pending_names.get(path, "")
        said = _said(entry, answer_type, plain, answer_points)
        if said:
            source = Source(unit_name, pending_by)
            points[root] += [(line, source) for line in said]
        elif plain and answer_type != AnswerType.POINTS:
            entry.narratives.append(Narrative(unit_name, plain, pending_by, prose=plain))
    for root, entries in points.items():
        if items[root].item.answer_type == AnswerType.POINTS:
            items[root].groups = group_points(entries)
        else:  # points given to a copy that a narrative item became
            items[root].narratives += [
                Narrative(source.name, text, source.pending_by) for text, source in entries
            ]


@dataclass
class ItemTexts:
    """What the units below said on one item, in ``basis``: the points grouped
    (a list item) or the answers in tree order (a queryset of rows, for a
    paginator: ``narratives`` turns a page of them into ``Narrative``)."""

    entry: ItemRollup
    tree: ReportingTree
    basis: str
    rows: object = None  # the queryset of a narrative item's answers
    groups: list[PointGroup] | None = None

    def narratives(self, rows) -> list[Narrative]:
        """A page of rows as narratives; a table is read from the HTML of this
        page's answers only."""
        result = []
        for unit_name, path, answer_type, plain, html, answer_points in rows:
            pending = _pending_by(self.tree, path, self.basis)
            if answer_type == AnswerType.POINTS:  # a copy of the item that asked for points
                result += [
                    Narrative(unit_name, p.strip(), pending) for p in _point_texts(answer_points)
                ]
                continue
            narrative = Narrative(unit_name, plain, pending, prose=plain)
            if "<table" in html:
                blocks = to_blocks(html)
                narrative.tables = [b.table for b in blocks if b.table is not None]
                narrative.prose = "\n".join(b.text for b in blocks if b.table is None)
            result.append(narrative)
        return result


def item_texts(
    *,
    plan: Plan,
    unit: OrgUnit,
    item: OutlineItem,
    include_submitted: bool = False,
    basis: str = DIRECT,
    groups=None,
) -> ItemTexts:
    """What the units below wrote on ``item`` of ``plan``: a fixed number of
    queries. ``groups(compute)`` may give the grouped points from a cache
    (``compute()`` reads and groups them)."""
    campaign = plan.root
    root = (
        OutlineItem.objects.filter(pk=item.pk)
        .annotate(root=Coalesce("inherited_from__inherited_from_id", "inherited_from_id", "id"))
        .values_list("root", flat=True)
        .get()
    )
    entry = ItemRollup(row=OutlineRow(item=item, depth=0), basis=basis)
    tree = reporting_tree(campaign, unit, include_submitted)
    result = ItemTexts(entry=entry, tree=tree, basis=basis)
    if not tree.nodes:
        result.rows = Answer.objects.none()
        result.groups = []
        return result
    classifier = tree.classifier(campaign)
    answers = _text_rows(counted_answers(classifier), classifier, basis).filter(
        Q(item_id=root)
        | Q(item__inherited_from_id=root)
        | Q(item__inherited_from__inherited_from_id=root)
    )
    if item.answer_type != AnswerType.POINTS:
        result.rows = answers.values_list(
            "unit_label", "unit_path", "item__answer_type", "text_plain", "text", "points"
        )
        return result

    def compute() -> list[PointGroup]:
        said = []
        rows = answers.values_list(
            "unit_label", "unit_path", "item__answer_type", "text_plain", "points"
        )
        for unit_name, path, answer_type, plain, answer_points in rows:
            source = Source(unit_name, _pending_by(tree, path, basis))
            said += [(line, source) for line in _said(entry, answer_type, plain, answer_points)]
        return group_points(said)

    result.groups = groups(compute) if groups is not None else compute()
    return result


def _point_texts(points) -> list[str]:
    """The points of an answer: strings only (a malformed value is not printed)."""
    if not isinstance(points, list):
        return []
    return [p for p in points if isinstance(p, str) and p.strip()]


# --- Completeness -------------------------------------------------------------


def _levels(tree: ReportingTree) -> list[LevelCompleteness]:
    levels = {level.pk: level for level in Level.objects.all()}
    result: dict[int, LevelCompleteness] = {}
    for node in tree.nodes:
        result.setdefault(node.level_id, LevelCompleteness(level=levels[node.level_id])).count(node)
    return sorted(result.values(), key=lambda e: e.level.rank)


def _direct_completeness(tree: ReportingTree) -> LevelCompleteness:
    entry = LevelCompleteness(level=None)
    for node in tree.direct:
        entry.count(node)
    return entry


@dataclass
class Completeness:
    direct: LevelCompleteness  # the direct subordinates, shown first
    levels: list[LevelCompleteness]  # every participating unit below, by level


def completeness(campaign: Plan, unit: OrgUnit, include_submitted: bool) -> Completeness:
    """Expected, on time, late and missing reports (each unit once, with the
    names): of the direct subordinates, and of every unit below by level."""
    tree = reporting_tree(campaign, unit, include_submitted)
    return Completeness(direct=_direct_completeness(tree), levels=_levels(tree))
