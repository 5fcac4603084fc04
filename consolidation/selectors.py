"""Reads of consolidation: the workspace (a unit's own report beside the
roll-up of its subtree), what the units below answered for the report page,
and the leaders' overview. The roll-up itself is ``rollup`` (its rule:
``tree``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext as _

from campaigns.models import (
    FIGURE_TYPES,
    AnswerType,
    OutlineItem,
    Plan,
    PlanStatus,
    SubjectDocument,
)
from campaigns.selectors import OutlineRow
from orgunits import access
from orgunits.access import User, can
from orgunits.models import OrgUnit
from reports.models import Answer, Report, WorkflowError
from reports.selectors import items_for_unit

from . import commendations, rollup
from .documents import fingerprint  # the builds' fingerprint of the subtree's data
from .models import BuildFormat, BuildStatus, DocumentBuild
from .rollup import DIRECT, LEAVES, ItemRollup, Rollup

NARRATIVE_TYPES = (AnswerType.TEXT, AnswerType.POINTS)
DRAFT_EXCERPT = 300  # characters of each unit's narrative in a drafted item

FigureValue = Decimal | dict[str, int] | None


@dataclass
class FigureRow:
    """One line of a figure item's table on the page."""

    kind: str  # "rollup", "pending" or "leaves"
    label: str
    figure: rollup.Figure | None
    years: list[int | None]  # the figure of each year of the plan's period
    unit: str = ""  # the subordinate a pending line waits for
    answered: int = 0


@dataclass
class WorkspaceItem:
    """One row of the unit's outline: the roll-up beside the report's own answer."""

    row: OutlineRow
    rollup: ItemRollup
    answer: Answer | None
    rolled: FigureValue = None  # the roll-up's figure (the default rule), for figure items
    current: FigureValue = None  # the report's own figure
    years: list[str] = field(default_factory=list)  # the plan's period
    table: object = None  # a table item: commendations.ItemProposals of the units below

    @property
    def item(self) -> OutlineItem:
        return self.row.item

    @property
    def own_rows(self) -> int:
        return len(self.answer.rows) if self.answer is not None else 0

    @property
    def is_figure(self) -> bool:
        return self.item.answer_type in FIGURE_TYPES

    @property
    def changed(self) -> bool:
        """The roll-up has a figure that the report does not show (yet)."""
        return self.is_figure and self.rolled is not None and self.rolled != self.current

    @property
    def per_year_table(self) -> list[tuple[str, int | None, int | None]]:
        """(year, roll-up, report) for each year of the plan's period."""
        rolled = self.rolled if isinstance(self.rolled, dict) else {}
        current = self.current if isinstance(self.current, dict) else {}
        return [(year, rolled.get(year), current.get(year)) for year in self.years]

    def _row(self, kind: str, label: str, figure: rollup.Figure | None, **extra) -> FigureRow:
        per_year = figure.per_year if figure is not None else {}
        answered = figure.answered if figure is not None else 0
        return FigureRow(
            kind,
            label,
            figure,
            [per_year.get(year) for year in self.years],
            answered=answered,
            **extra,
        )

    @property
    def figure_rows(self) -> list[FigureRow]:
        """The roll-up, the parts of it not yet consolidated by a subordinate,
        and the count from the grassroots (in that view, or where they differ)."""
        entry = self.rollup
        rows = [self._row("rollup", _("Roll-up of the units below"), entry.direct)]
        for part in entry.pending:
            label = _("of which not yet consolidated by %(unit)s (included)") % {"unit": part.unit}
            row = self._row("pending", label, part.figure, unit=part.unit)
            row.answered = part.reports
            rows.append(row)
        if entry.basis == LEAVES or entry.differences:
            rows.append(self._row("leaves", _("Counted from the grassroots"), entry.leaves))
        return rows

    @property
    def current_total(self) -> Decimal | None:
        """The report's own figure, or the sum of its figures per year."""
        if isinstance(self.current, dict):
            return Decimal(sum(self.current.values()))
        return self.current

    @property
    def answer_is_empty(self) -> bool:
        return self.answer is None or self.answer.is_empty

    @property
    def can_draft(self) -> bool:
        """A narrative item that is still empty and has something to draft from."""
        return (
            self.item.answer_type in NARRATIVE_TYPES
            and self.answer_is_empty
            and bool(self.rollup.text_units or self.rollup.groups or self.rollup.narratives)
        )


@dataclass
class Workspace:
    report: Report
    rollup: Rollup
    items: list[WorkspaceItem] = field(default_factory=list)

    @property
    def basis(self) -> str:
        return self.rollup.basis

    @property
    def differences(self) -> list[WorkspaceItem]:
        """Items where a unit's own figure is not the sum of its grassroots units."""
        return [entry for entry in self.items if entry.rollup.differences]

    @property
    def changed(self) -> list[WorkspaceItem]:
        return [entry for entry in self.items if entry.changed]

    @property
    def draftable(self) -> list[WorkspaceItem]:
        return [entry for entry in self.items if entry.can_draft]


@dataclass
class FigureChange:
    item: OutlineItem
    old: FigureValue
    new: FigureValue
    conflict: bool = False  # someone saved the item meanwhile: left as it was
    too_large: str = ""  # the roll-up is out of a figure's range: left as it was, and why


@dataclass
class Draft:
    item: OutlineItem
    lines: int  # paragraphs or points written
    conflict: bool = False


# --- Reads ------------------------------------------------------------------


def refusal(user: User, report: Report) -> str | None:
    """Why ``user`` cannot change the report now; None when they can."""
    if not can(user, "reports.edit_report", report):
        return _("Only the unit's reporters, approvers and coordinators can change its report.")
    if not report.is_editable_status:
        return _("This report is %(status)s and cannot be changed.") % {
            "status": report.get_status_display().lower()
        }
    try:
        report.require_open_plan()
    except WorkflowError as error:
        return str(error)
    return None


def rolled_figure(item: OutlineItem, figure: rollup.Figure | None) -> FigureValue:
    if figure is None:
        return None
    if item.answer_type == AnswerType.INTEGER_PER_YEAR:
        return _per_year(figure.per_year)
    return figure.total


def current_figure(item: OutlineItem, answer: Answer | None) -> FigureValue:
    if answer is None:
        return None
    if item.answer_type == AnswerType.INTEGER_PER_YEAR:
        return _per_year(answer.per_year)
    return answer.number


def _per_year(values: dict) -> dict[str, int] | None:
    """Figures per year in year order, blanks left out; None when there is none."""
    figures = {str(year): int(value) for year, value in values.items() if value not in (None, "")}
    return dict(sorted(figures.items())) or None


def build_workspace(
    *, report: Report, include_submitted: bool, basis: str = DIRECT, texts: bool = False
) -> Workspace:
    """The roll-up of the report's subtree, item by item beside the report's answers.

    ``basis`` chooses the view shown (counts, points, narratives); the figure
    to fill in is always the default rule's. A fixed number of queries
    whatever the number of units (see ``rollup.build``). Without ``texts``
    (the page) only the number of units that wrote on each item is read; what
    they wrote comes per item (``item_texts``); drafting reads it all.
    """
    result = rollup.build(
        plan=report.plan,
        unit=report.unit,
        include_submitted=include_submitted,
        basis=basis,
        texts=texts,
        text_counts=not texts,
        cached=not texts,
    )
    by_item = {entry.item.pk: entry for entry in result.items}
    answers = {answer.item_id: answer for answer in report.answers.all()}
    workspace = Workspace(report=report, rollup=result)
    tables = [row.item for row in result.items if row.item.answer_type == AnswerType.TABLE]
    proposed = (
        commendations.proposals(plan=report.plan, unit=report.unit, tree=result.tree, items=tables)
        if tables
        else {}
    )
    years = [str(year) for year in range(report.plan.period_start, report.plan.period_end + 1)]
    for row in items_for_unit(report):
        item = row.item
        entry = by_item.get(item.pk) or ItemRollup(row=row)
        answer = answers.get(item.pk)
        workspace.items.append(
            WorkspaceItem(
                row=row,
                rollup=entry,
                answer=answer,
                rolled=rolled_figure(item, entry.direct)
                if item.answer_type in FIGURE_TYPES
                else None,
                current=current_figure(item, answer),
                years=years,
                table=proposed.get(item.pk),
            )
        )
    return workspace


TEXTS_PER_PAGE = 25  # units (or grouped points) on a page of an item's texts
GROUPS_CACHED_FOR = 24 * 3600  # seconds; a new fingerprint replaces them anyway


def item_texts(
    *, report: Report, item: OutlineItem, include_submitted: bool, basis: str, page: str | None
) -> tuple[rollup.ItemTexts, Page]:
    """What the units below ``report``'s unit wrote on ``item``, one page of
    ``TEXTS_PER_PAGE``: narratives (a page read from the database) or grouped
    points (grouped once per fingerprint of the data, then cached)."""

    def cached_groups(compute):
        key = ":".join(
            ["consolidation-groups", fingerprint(report, include_submitted), basis, str(item.pk)]
        )
        groups = cache.get(key)
        if groups is None:
            groups = compute()
            cache.set(key, groups, GROUPS_CACHED_FOR)
        return groups

    texts = rollup.item_texts(
        plan=report.plan,
        unit=report.unit,
        item=item,
        include_submitted=include_submitted,
        basis=basis,
        groups=cached_groups,
    )
    if texts.groups is not None:
        shown = Paginator(texts.groups, TEXTS_PER_PAGE).get_page(page)
    else:
        shown = Paginator(texts.rows, TEXTS_PER_PAGE).get_page(page)
        shown.object_list = texts.narratives(shown.object_list)
    return texts, shown


# --- The report page: what the units below answered --------------------


@dataclass
class BelowItem:
    """What the direct subordinates answered to one item, and the roll-up's total.

    ``answers`` holds (report, answer or None, node) for each direct
    subordinate, its own report whatever its status; ``node``
    (``consolidation.tree.Node``) says whether the roll-up counts that report
    (accepted) and whether the unit has participating units of its own. The
    totals follow the roll-up's rule (``consolidation.tree``): each unit once,
    through the report the level uses, so a district's communes are never
    added to the district's own figure; ``pending`` holds what is counted in
    place of a subordinate whose own report is not accepted yet."""

    answers: list = field(default_factory=list)  # (report, answer or None, node)
    total: Decimal | None = None
    totals_per_year: dict[str, int] = field(default_factory=dict)
    answered: int = 0  # reports counted that gave the figure
    pending: list = field(default_factory=list)  # consolidation.rollup.PendingFigure
    # A table item: the rows the reports counted propose (by the same rule),
    # each with the unit that proposed it (consolidation.commendations).
    table: object = None  # commendations.ItemProposals

    @property
    def rows(self) -> list:
        return self.table.rows if self.table is not None else []


def answers_below(
    report: Report, items: list[OutlineItem]
) -> tuple[list[Report], dict[int, BelowItem]]:
    """The reports of the direct subordinates of ``report``'s unit in the same
    campaign (the nearest units below that take part), their answers to
    ``items`` (or to the copies of these items in an implementing plan), and
    the roll-up's totals of the figure items. A fixed number of queries
    whatever the number of units."""
    if not report.unit.numchild:  # nobody below: no query
        return [], {}
    result = rollup.build(plan=report.plan, unit=report.unit, texts=False)
    direct = {node.report_id: node for node in result.tree.direct}
    if not direct:
        return [], {}
    below = list(
        Report.objects.filter(pk__in=list(direct)).select_related("unit").order_by("unit__path")
    )
    item_ids = {item.pk for item in items}
    answers = (
        Answer.objects.filter(report__in=below)
        .filter(Q(item_id__in=item_ids) | Q(item__inherited_from_id__in=item_ids))
        .select_related("item")
    )
    by_item: dict[int, dict[int, Answer]] = {}
    for answer in answers:
        key = answer.item_id if answer.item_id in item_ids else answer.item.inherited_from_id
        by_item.setdefault(key, {})[answer.report_id] = answer
    rolled = {entry.item.pk: entry for entry in result.items}
    proposed = commendations.proposals(
        plan=report.plan, unit=report.unit, tree=result.tree, items=items
    )
    entries = {}
    for item in items:
        found = by_item.get(item.pk, {})
        entry = BelowItem(answers=[(r, found.get(r.pk), direct[r.pk]) for r in below])
        figure = rolled[item.pk].direct if item.pk in rolled else None
        if figure is not None:
            entry.answered = figure.answered
            if item.answer_type == AnswerType.INTEGER_PER_YEAR:
                entry.totals_per_year = dict(sorted(figure.per_year.items()))
            else:
                entry.total = figure.total
            entry.pending = rolled[item.pk].pending
        entry.table = proposed.get(item.pk)
        entries[item.pk] = entry
    return below, entries


# --- The leaders' overview ------------------------------------------------

KEY_FIGURES = 6  # figures shown on the overview


@dataclass
class KeyFigure:
    item: OutlineItem
    figure: rollup.Figure  # by the roll-up's rule: each unit once
    previous: rollup.Figure | None = None
    leaves: rollup.Figure | None = None  # counted from the grassroots, to compare

    @property
    def leaves_differ(self) -> bool:
        return self.leaves is not None and self.leaves.total != self.figure.total

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.previous.total is None or self.figure.total is None:
            return None
        return self.figure.total - self.previous.total

    @property
    def change_percent(self) -> int | None:
        if self.change is None or not self.previous.total:
            return None
        return round(100 * self.change / self.previous.total)


def previous_review(plan: Plan) -> Plan | None:
    """The latest earlier plan of the same issuer on one of the same documents."""
    symbols = [
        s.strip() for s in plan.subjects.values_list("number_symbol", flat=True) if s.strip()
    ]
    if not symbols:
        return None
    earlier = SubjectDocument.objects.filter(
        number_symbol__in=symbols,
        plan__issuing_unit=plan.issuing_unit_id,
        plan__issued_on__lt=plan.issued_on,
        plan__status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED],
    ).exclude(plan=plan)
    return (
        Plan.objects.filter(pk__in=earlier.values("plan"))
        .select_related("issuing_unit")
        .order_by("-issued_on", "-pk")
        .first()
    )


def _key(item: OutlineItem) -> str:
    return rollup.normalise(item.title)


def overview_unit(user: access.User, plan: Plan) -> OrgUnit | None:
    """The unit whose subtree ``user`` reads on the plan's overview: the issuer
    for those who reach it, else the highest of their own units under it."""
    issuer = plan.issuing_unit
    if access.reaches(user, issuer):
        return issuer
    paths = [path for path in access.scope_paths(user) or [] if path.startswith(issuer.path)]
    if not paths:
        return None
    return OrgUnit.objects.get(path=min(paths, key=lambda path: (len(path), path)))


def key_figures(plan: Plan, previous: Plan | None, unit: OrgUnit) -> list[KeyFigure]:
    """The first figures of the outline over ``unit``'s subtree, each with the
    previous review's figure for the item of the same title (or else the same
    numbering and type)."""
    current = rollup.figures(plan=plan, unit=unit, include_submitted=True, leaves=True)[
        :KEY_FIGURES
    ]
    result = [
        KeyFigure(item=entry.item, figure=entry.figure, leaves=entry.leaves) for entry in current
    ]
    if previous is None or not result:
        return result
    earlier = rollup.figures(plan=previous, unit=unit, include_submitted=False)
    by_title = {_key(entry.item): entry.figure for entry in earlier}
    by_number = {  # "2.1.", not the "-" and "+" of bullets, which repeat
        (entry.item.numbering, entry.item.answer_type): entry.figure
        for entry in earlier
        if any(c.isdigit() for c in entry.item.numbering)
    }
    for key_figure in result:
        item = key_figure.item
        key_figure.previous = by_title.get(_key(item)) or by_number.get(
            (item.numbering, item.answer_type)
        )
    return result


def latest_pdf(plan: Plan, unit: OrgUnit) -> DocumentBuild | None:
    """The newest consolidated PDF of ``unit``'s report in this campaign."""
    return (
        DocumentBuild.objects.filter(
            report__campaign=plan.root,
            report__unit=unit,
            fmt=BuildFormat.PDF,
            status=BuildStatus.DONE,
        )
        .select_related("report__unit", "report__plan")  # for the rule the link asks
        .order_by("-finished_at")
        .first()
    )
