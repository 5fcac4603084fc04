"""The consolidation workspace: a unit's own report beside the roll-up of its subtree.

The consolidated report of a unit is the unit's own ``Report``. The writer
reads the roll-up here and asks for the figures to be filled in, or for the
empty narrative items to be drafted from what the units wrote. Filling and
drafting always follow the roll-up's rule (``rollup.DIRECT``: each unit once,
through the report the level uses); the "tính từ cơ sở" view is there to
compare with. Both go
through ``reports.services.save_answer``, so they are versioned, kept in the
history and refused when someone saved the same item meanwhile, exactly like
an edit in the report form.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import FIGURE_TYPES, AnswerType, OutlineItem
from campaigns.selectors import OutlineRow
from orgunits.access import User, can
from reports.models import Answer, Report, WorkflowError
from reports.selectors import items_for_unit
from reports.services import save_answer

from . import rollup
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

    @property
    def item(self) -> OutlineItem:
        return self.row.item

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
            and bool(self.rollup.groups or self.rollup.narratives)
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


def build_workspace(*, report: Report, include_submitted: bool, basis: str = DIRECT) -> Workspace:
    """The roll-up of the report's subtree, item by item beside the report's answers.

    ``basis`` chooses the view shown (counts, points, narratives); the figure
    to fill in is always the default rule's. A fixed number of queries
    whatever the number of units (see ``rollup.build``).
    """
    result = rollup.build(
        plan=report.plan, unit=report.unit, include_submitted=include_submitted, basis=basis
    )
    by_item = {entry.item.pk: entry for entry in result.items}
    answers = {answer.item_id: answer for answer in report.answers.all()}
    workspace = Workspace(report=report, rollup=result)
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
            )
        )
    return workspace


# --- Writes -----------------------------------------------------------------


def _check_can_change(report: Report, by: AbstractBaseUser) -> None:
    reason = refusal(by, report)
    if reason:
        raise WorkflowError(reason)


def _base_version(answer: Answer | None) -> int:
    return answer.version if answer is not None else 0


def fill_figures(
    *, report: Report, by: AbstractBaseUser, include_submitted: bool
) -> list[FigureChange]:
    """Write the roll-up's figures into the report where they differ; what changed.

    A figure the roll-up does not have (no unit gave it) is left alone, so a
    figure the writer typed is never wiped out.
    """
    _check_can_change(report, by)
    workspace = build_workspace(report=report, include_submitted=include_submitted)
    changes = []
    with transaction.atomic():
        for entry in workspace.changed:
            key = "per_year" if entry.item.answer_type == AnswerType.INTEGER_PER_YEAR else "number"
            saved = save_answer(
                report=report,
                item=entry.item,
                values={key: entry.rolled},
                base_version=_base_version(entry.answer),
                by=by,
            )
            changes.append(
                FigureChange(
                    item=entry.item, old=entry.current, new=entry.rolled, conflict=saved.conflict
                )
            )
    return changes


DRAFT_LINES = 15


def draft_text(entry: WorkspaceItem) -> dict:
    """The answer values that pre-fill an empty narrative item from the roll-up.

    The text is Vietnamese whatever the interface language, like the report it goes into.
    """
    groups, narratives = entry.rollup.groups, entry.rollup.narratives
    if entry.item.answer_type == AnswerType.POINTS:
        return {"points": [group.text for group in groups]}
    if not groups:
        # Narratives repeat each other sentence by sentence across units:
        # group the sentences, most said first, rather than pasting every unit.
        sentences = [(sentence, n.unit) for n in narratives for sentence in _sentences(n.text)]
        groups = rollup.group_points(sentences)
    lines = [
        f"- {group.text} ({group.count} đơn vị)" if group.count > 1 else f"- {group.text}"
        for group in groups[:DRAFT_LINES]
    ]
    return {"text": "".join(f"<div>{html.escape(line)}</div>" for line in lines)}


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.;!?])\s+", " ".join(text.split()))
    return [_excerpt(part) for part in parts if len(part) > 3]


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DRAFT_EXCERPT else text[:DRAFT_EXCERPT].rstrip() + "…"


def draft_texts(*, report: Report, by: AbstractBaseUser, include_submitted: bool) -> list[Draft]:
    """Pre-fill the empty narrative and list items from what the units wrote.

    An item with anything in it is never touched: the writer's words win.
    """
    _check_can_change(report, by)
    workspace = build_workspace(report=report, include_submitted=include_submitted)
    drafts = []
    with transaction.atomic():
        for entry in workspace.draftable:
            values = draft_text(entry)
            saved = save_answer(
                report=report,
                item=entry.item,
                values=values,
                base_version=_base_version(entry.answer),
                by=by,
            )
            lines = len(values.get("points") or []) or values["text"].count("<div>")
            drafts.append(Draft(item=entry.item, lines=lines, conflict=saved.conflict))
    return drafts
