"""Table answers over the tree: the rows the units below propose (e.g. for
commendation), read by the roll-up's rule, and their counts per form and level.

Each unit counts once (``consolidation.tree``): a district whose report is
counted brings its own list — the rows it took from its communes, each
keeping the commune that proposed it, cut or changed as the district
decided — and its communes' own lists are not read again; while the
district's report does not count, its communes' rows are read in its place,
marked "chưa được … tổng hợp". A row is counted at the level of the unit that
proposed it. Two queries (the answers, the levels) whatever the tree's size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F
from django.db.models.functions import Coalesce

from campaigns.models import AnswerType, OutlineItem, Plan
from campaigns.tables import TableSpec, table_spec
from orgunits.models import Level, OrgUnit
from reports import tables
from reports.models import Answer

from .rollup import _basis_condition, _pending_by, counted_answers
from .tree import DIRECT, ReportingTree, report_unit_name, reporting_tree

ROOT_OF_ITEM = Coalesce("inherited_from__inherited_from_id", "inherited_from_id", "id")


@dataclass
class Proposal:
    """A row some unit below proposes, with the unit that proposed it."""

    report_id: int  # the report the row is read from
    row: dict
    unit: str  # the unit that proposed it (may be below the report's unit)
    unit_id: int
    level_id: int
    level: str
    pending_by: str = ""  # "chưa được <pending_by> tổng hợp"
    level_rank_key: int = 99  # the level's rank: lists and counts go from the top

    @property
    def key(self) -> str:
        """What a list that takes the row remembers (``origin``): taken once."""
        return f"{self.report_id}:{self.row.get('uid', '')}"

    @property
    def cells(self) -> list[str]:
        return self.row.get("cells", [])

    @property
    def form(self) -> str:
        return self.row.get("form", "")

    def taken(self) -> dict:
        return tables.taken_row(
            self.row,
            report_id=self.report_id,
            unit=self.unit,
            unit_id=self.unit_id,
            level_id=self.level_id,
        )


@dataclass
class ItemProposals:
    item: OutlineItem
    spec: TableSpec
    rows: list[Proposal] = field(default_factory=list)

    @property
    def forms(self) -> list[str]:
        """The forms in the plan's order, then any other a row gives."""
        given = dict.fromkeys(p.form for p in self.rows if p.form)
        return [
            *[f for f in self.spec.forms if f in given],
            *[f for f in given if f not in self.spec.forms],
        ]

    @property
    def counts(self) -> dict[tuple[str, str], int]:
        """(level name, form) → rows."""
        return dict(Counter((p.level, p.form) for p in self.rows))

    @property
    def by_level(self) -> list[tuple[str, list[tuple[str, int]], int]]:
        """(level, [(form, rows)] in ``forms`` order, total), levels from the top."""
        counts, forms = self.counts, self.forms
        ordered = sorted(self.rows, key=lambda p: p.level_rank_key)
        levels = list(dict.fromkeys(p.level for p in ordered))
        return [
            (
                level,
                [(f, counts.get((level, f), 0)) for f in forms],
                sum(counts.get((level, f), 0) for f in forms),
            )
            for level in levels
        ]

    @property
    def per_form(self) -> dict[str, int]:
        return dict(Counter(p.form for p in self.rows if p.form))


def _levels() -> dict[int, Level]:
    return {level.pk: level for level in Level.objects.all()}


def proposals(
    *,
    plan: Plan,
    unit: OrgUnit,
    include_submitted: bool = False,
    tree: ReportingTree | None = None,
    items: list[OutlineItem] | None = None,
) -> dict[int, ItemProposals]:
    """Per table item of ``plan`` (by pk; its copy in an implementing plan
    counts for it), the rows the reports counted below ``unit`` propose, in
    tree order, each with its unit and level."""
    campaign = plan.root
    if items is None:
        items = list(plan.outline_items.filter(answer_type=AnswerType.TABLE))
    items = [item for item in items if item.answer_type == AnswerType.TABLE]
    if not items:
        return {}
    result = {item.pk: ItemProposals(item=item, spec=table_spec(item.choices)) for item in items}
    roots = dict(
        OutlineItem.objects.filter(pk__in=[item.pk for item in items])
        .annotate(root=ROOT_OF_ITEM)
        .values_list("root", "pk")
    )
    tree = tree or reporting_tree(campaign, unit, include_submitted)
    if not tree.nodes:
        return result
    classifier = tree.classifier(campaign)
    answers = (
        counted_answers(classifier)
        .filter(item__answer_type=AnswerType.TABLE)
        .filter(_basis_condition(classifier, DIRECT))
        .exclude(rows=[])
        .annotate(
            unit_label=report_unit_name("report__"),
            unit_path=F("report__unit__path"),
            unit_level=F("report__unit__level_id"),
        )
        .order_by("report__unit__path", "pk")
        .values_list(
            "root", "report_id", "report__unit_id", "unit_label", "unit_path", "unit_level", "rows"
        )
    )
    levels = _levels()
    for root, report_id, unit_id, unit_name, path, level_id, rows in answers:
        item_pk = roots.get(root)
        if item_pk is None:
            continue
        pending = _pending_by(tree, path, DIRECT)
        for row in tables.clean_stored(rows):
            row_level = row.get("level_id") or level_id
            level = levels.get(row_level)
            result[item_pk].rows.append(
                Proposal(
                    report_id=report_id,
                    row=row,
                    unit=row.get("unit") or unit_name,
                    unit_id=row.get("unit_id") or unit_id,
                    level_id=row_level,
                    level=level.name if level else "",
                    pending_by=pending,
                )
            )
    ranks = {level.name: level.rank for level in levels.values()}
    for entry in result.values():
        for proposal in entry.rows:
            proposal.level_rank_key = ranks.get(proposal.level, 99)
    return result


def own_rows(answer: Answer | None, *, unit: str, unit_id: int, level: Level) -> list[Proposal]:
    """A unit's own list as proposals: a row it took keeps its unit."""
    if answer is None:
        return []
    levels = None
    result = []
    for row in tables.clean_stored(answer.rows):
        level_id = row.get("level_id") or level.pk
        if level_id != level.pk and levels is None:
            levels = _levels()
        row_level = level if level_id == level.pk else levels.get(level_id)
        proposal = Proposal(
            report_id=answer.report_id,
            row=row,
            unit=row.get("unit") or unit,
            unit_id=row.get("unit_id") or unit_id,
            level_id=level_id,
            level=row_level.name if row_level else "",
        )
        proposal.level_rank_key = row_level.rank if row_level else 99
        result.append(proposal)
    return result
