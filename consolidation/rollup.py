"""Roll-up of a campaign's reports over a unit's subtree.

A fixed number of queries per call, whatever the number of units: figures
are summed in the database (per year through JSON keys), choices and yes/no
are counted there too, and narrative answers and points come back in one
query each. Answers to an implementing plan's copy of an item count for the
original item (``inherited_from``, up to three plans deep).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from campaigns.models import FIGURE_TYPES, AnswerType, OutlineItem, Plan
from campaigns.selectors import OutlineRow, outline_rows
from documents.richtext import to_plain_text
from orgunits.models import Level, OrgUnit
from reports.models import Answer, Report, ReportStatus

ROOT_ITEM = Coalesce(
    "item__inherited_from__inherited_from_id", "item__inherited_from_id", "item_id"
)


@dataclass
class Figure:
    total: Decimal | None = None
    answered: int = 0  # units that gave the figure
    per_year: dict[str, int] = field(default_factory=dict)


@dataclass
class PointGroup:
    """Identical or near-identical points from several units, shown once."""

    text: str
    units: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.units)


@dataclass
class Narrative:
    unit: str
    text: str


@dataclass
class ItemRollup:
    row: OutlineRow
    figure: Figure | None = None
    counts: dict[str, int] = field(default_factory=dict)  # choice or "yes"/"no" → units
    groups: list[PointGroup] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)

    @property
    def item(self) -> OutlineItem:
        return self.row.item


@dataclass
class LevelCompleteness:
    level: Level
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


@dataclass
class Rollup:
    plan: Plan
    unit: OrgUnit
    include_submitted: bool
    items: list[ItemRollup]
    levels: list[LevelCompleteness]
    counted_reports: int

    def item(self, item_id: int) -> ItemRollup | None:
        return next((i for i in self.items if i.item.pk == item_id), None)


def counted_statuses(include_submitted: bool) -> list[str]:
    if include_submitted:
        return [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
    return [ReportStatus.ACCEPTED]


def subtree_reports(campaign: Plan, unit: OrgUnit):
    """Reports of the units below ``unit`` in the campaign (not its own)."""
    return Report.objects.filter(
        campaign=campaign, unit__path__startswith=unit.path, unit__depth__gt=unit.depth
    )


def counted_answers(campaign: Plan, unit: OrgUnit, include_submitted: bool):
    """Answers of the counted reports below ``unit``, with their root item.

    Joins rather than an IN (subquery), so the database can aggregate straight
    from the answers it joins to the subtree's reports.
    """
    return Answer.objects.filter(
        report__campaign=campaign,
        report__unit__path__startswith=unit.path,
        report__unit__depth__gt=unit.depth,
        report__status__in=counted_statuses(include_submitted),
    ).annotate(root=ROOT_ITEM)


def build(*, plan: Plan, unit: OrgUnit, include_submitted: bool = False) -> Rollup:
    """Roll up the campaign of ``plan`` over ``unit``'s subtree for ``plan``'s outline."""
    campaign = plan.root
    rows = outline_rows(plan)
    items = {row.item.pk: ItemRollup(row=row) for row in rows if not row.item.is_heading}
    reports = subtree_reports(campaign, unit)
    counted = reports.filter(status__in=counted_statuses(include_submitted))
    answers = counted_answers(campaign, unit, include_submitted)

    _figures(plan, items, answers)
    _counts(items, answers)
    _texts(items, answers)
    return Rollup(
        plan=plan,
        unit=unit,
        include_submitted=include_submitted,
        items=[items[row.item.pk] if row.item.pk in items else ItemRollup(row=row) for row in rows],
        levels=completeness(campaign, unit, include_submitted),
        counted_reports=counted.count(),
    )


def figures(*, plan: Plan, unit: OrgUnit, include_submitted: bool = False) -> list[ItemRollup]:
    """Only the figure items that have data, in outline order: the part that must
    scale to a country (narratives are not read at all)."""
    items = {
        row.item.pk: ItemRollup(row=row)
        for row in outline_rows(plan)
        if not row.item.is_heading and row.item.answer_type in FIGURE_TYPES
    }
    _figures(plan, items, counted_answers(plan.root, unit, include_submitted))
    return [entry for entry in items.values() if entry.figure is not None]


def _years(plan: Plan) -> list[str]:
    return [str(year) for year in range(plan.period_start, plan.period_end + 1)]


def _figures(plan: Plan, items: dict[int, ItemRollup], answers) -> None:
    ids = [pk for pk, i in items.items() if i.item.answer_type in FIGURE_TYPES]
    if not ids:
        return
    years = _years(plan)
    per_year = {f"y{year}": Sum(_year_value(year)) for year in years}
    # Filter on the answer's own item type (a copy keeps its original's type):
    # a condition on the COALESCE would have to be computed for every row.
    rows = (
        answers.filter(item__answer_type__in=FIGURE_TYPES)
        .values("root")
        .annotate(
            total=Sum("number"),
            answered=Count("id", filter=Q(number__isnull=False) | ~Q(per_year={})),
            **per_year,
        )
    )
    for row in rows:
        if row["root"] not in items:
            continue
        figure = Figure(total=row["total"], answered=row["answered"])
        figure.per_year = {y: row[f"y{y}"] for y in years if row[f"y{y}"] is not None}
        if figure.per_year and figure.total is None:
            figure.total = Decimal(sum(figure.per_year.values()))
        items[row["root"]].figure = figure


def _year_value(year: str) -> RawSQL:
    """The figure of one year in ``per_year``. Django's key lookups read a
    numeric key ("2017") as an array index, so the JSON path is written here."""
    table = Answer._meta.db_table
    if connection.vendor == "postgresql":
        return RawSQL(f'("{table}"."per_year" ->> %s)::integer', [year])
    return RawSQL(f'CAST(json_extract("{table}"."per_year", %s) AS INTEGER)', [f'$."{year}"'])


def _counts(items: dict[int, ItemRollup], answers) -> None:
    ids = [
        pk
        for pk, i in items.items()
        if i.item.answer_type in (AnswerType.BOOLEAN, AnswerType.CHOICE)
    ]
    if not ids:
        return
    rows = answers.filter(root__in=ids).values("root", "boolean", "choice").annotate(n=Count("id"))
    for row in rows:
        item = items[row["root"]]
        if item.item.answer_type == AnswerType.BOOLEAN and row["boolean"] is not None:
            key = "yes" if row["boolean"] else "no"
        elif item.item.answer_type == AnswerType.CHOICE and row["choice"]:
            key = row["choice"]
        else:
            continue
        item.counts[key] = item.counts.get(key, 0) + row["n"]


def _texts(items: dict[int, ItemRollup], answers) -> None:
    ids = [
        pk for pk, i in items.items() if i.item.answer_type in (AnswerType.TEXT, AnswerType.POINTS)
    ]
    if not ids:
        return
    rows = (
        answers.filter(root__in=ids)
        .annotate(unit_name=F("report__unit__name"))
        .order_by("report__unit__path")
        .values_list("root", "unit_name", "text", "points")
    )
    points: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for root, unit_name, text, answer_points in rows:
        if items[root].item.answer_type == AnswerType.POINTS:
            points[root] += [(p, unit_name) for p in answer_points if str(p).strip()]
        else:
            plain = to_plain_text(text)
            if plain:
                items[root].narratives.append(Narrative(unit=unit_name, text=plain))
    for root, entries in points.items():
        items[root].groups = group_points(entries)


def completeness(campaign: Plan, unit: OrgUnit, include_submitted: bool) -> list[LevelCompleteness]:
    """Expected, on time, late and missing reports per level, with unit names."""
    counted = set(counted_statuses(include_submitted))
    rows = (
        subtree_reports(campaign, unit)
        .select_related("unit__level")
        .order_by("unit__level__rank", "unit__path")
        .values_list("unit__level_id", "unit__name", "status", "is_late")
    )
    levels = {level.pk: level for level in Level.objects.all()}
    result: dict[int, LevelCompleteness] = {}
    for level_id, unit_name, status, is_late in rows:
        entry = result.setdefault(level_id, LevelCompleteness(level=levels[level_id]))
        entry.expected += 1
        if status in counted:
            if is_late:
                entry.late += 1
                entry.late_units.append(unit_name)
            else:
                entry.on_time += 1
        else:
            entry.missing += 1
            entry.missing_units.append(unit_name)
    return sorted(result.values(), key=lambda e: e.level.rank)


# --- Grouping points --------------------------------------------------------

SIMILAR = 0.88


def normalise(text: str) -> str:
    """Case, punctuation and spacing folded, to compare points and titles."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def group_points(entries: list[tuple[str, str]]) -> list[PointGroup]:
    """Group (point, unit) pairs: identical after normalising, or near-identical
    (difflib ratio ≥ 0.88 among points sharing their first word). Largest first."""
    groups: list[PointGroup] = []
    exact: dict[str, PointGroup] = {}
    buckets: dict[str, list[tuple[str, PointGroup]]] = defaultdict(list)
    for text, unit in entries:
        key = normalise(str(text))
        if not key:
            continue
        group = exact.get(key)
        if group is None:
            first = key.split(" ", 1)[0]
            for other_key, candidate in buckets[first]:
                if difflib.SequenceMatcher(None, key, other_key).ratio() >= SIMILAR:
                    group = candidate
                    break
        if group is None:
            group = PointGroup(text=str(text).strip())
            groups.append(group)
            buckets[key.split(" ", 1)[0]].append((key, group))
        exact[key] = group
        if unit not in group.units:
            group.units.append(unit)
    return sorted(groups, key=lambda g: -g.count)
