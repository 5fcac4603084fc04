"""Who counts in a roll-up: one rule for every figure, answer, list and table.

The rule, as the workspace states it (``RULE``):

    Each unit is counted once. A level consolidates what its direct
    subordinates reported; a subordinate that has units of its own counts
    through its own (consolidated) report, and while that report is not
    counted (not accepted, or not submitted when submitted reports are
    included) the reports of its own units are counted in its place, by the
    same rule, marked "chưa được <unit> tổng hợp", and included in the totals.

Terms, for a unit U consolidating a campaign C:

- *participating unit*: a unit below U that has a report in C;
- its *parent* here is the nearest participating unit above it, below U (a
  unit between that does not take part is skipped); the participating units
  without one are U's *direct subordinates*;
- a report *counts* when its status is accepted (or submitted, when submitted
  reports are included);
- **DIRECT** (the default): a unit's own report is *used* when it counts and
  no report between U and it counts. Every report used is counted once.
  What is used below a direct subordinate whose report does not count is
  *pending*: not yet consolidated by that subordinate (``Node.waiting_for``).
  Decision: pending figures are included, and every page and annex says so
  (a province would otherwise under-report a whole district because one
  report waits for acceptance; the reports it counts in its place were each
  accepted by the level above them);
- **LEAVES** ("tính từ cơ sở"): the counted reports of the participating units
  that have no participating unit below them; intermediate reports ignored;
- a *difference*: a used intermediate report whose figure is not the sum of
  the leaves below it (a data-quality check: "6 / 5").

By induction on the tree, DIRECT equals LEAVES for every figure as soon as
every counted intermediate report equals the DIRECT roll-up of its own units
(the property ``rollup.totals`` lets a test check).

This module builds the tree in Python from one query of the subtree's
reports (for the pages), and states the same rule as SQL expressions on
answer rows (``Classifier``), so that sums stay in the database: a fixed
number of queries whatever the size of the tree.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, Substr
from django.utils.translation import gettext_lazy as _

from campaigns.models import Plan
from orgunits.models import OrgUnit
from reports.models import Report, ReportStatus

DIRECT = "direct"
LEAVES = "leaves"
BASES = (DIRECT, LEAVES)

RULE = _(
    "Each unit is counted once: a level consolidates the reports of its direct subordinates; "
    "a subordinate with units of its own counts through its own consolidated report and, "
    "while that report is not counted, its units’ reports are counted in its place, marked "
    "“not yet consolidated by” it, and included in the totals."
)
LEAVES_RULE = _(
    "Counted from the grassroots: the reports of the units with no participating unit below "
    "them, each once; intermediate reports are ignored. For comparison only."
)

STEPLEN = OrgUnit.steplen


def counted_statuses(include_submitted: bool) -> list[str]:
    if include_submitted:
        return [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
    return [ReportStatus.ACCEPTED]


def report_unit_name(prefix: str = ""):
    """The unit's name as its report knows it (``Report.unit_label`` in SQL):
    a merged unit's report keeps the name the unit had."""
    return Coalesce(NullIf(F(f"{prefix}unit_name"), Value("")), F(f"{prefix}unit__name"))


def subtree_reports(campaign: Plan, unit: OrgUnit):
    """Reports of the units below ``unit`` in the campaign (not its own)."""
    return Report.objects.filter(
        campaign=campaign, unit__path__startswith=unit.path, unit__depth__gt=unit.depth
    )


# --- The tree, in Python ------------------------------------------------------


@dataclass(eq=False)
class Node:
    """A participating unit below the consolidating unit, with its report."""

    report_id: int
    unit_id: int
    path: str
    depth: int
    name: str
    level_id: int
    status: str
    is_late: bool
    counted: bool
    # "email", "paper", …: sent outside the app and recorded by the level
    # above, with the day it arrived; "app" otherwise.
    received_via: str = "app"
    submitted_at: datetime.datetime | None = None
    parent: Node | None = field(default=None, repr=False)
    children: list[Node] = field(default_factory=list, repr=False)
    _covered: bool = field(default=False, repr=False)
    _top: Node | None = field(default=None, repr=False)

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label

    @property
    def has_below(self) -> bool:
        return bool(self.children)

    @property
    def ancestors(self) -> list[Node]:
        """Participating units above, below the consolidating unit; topmost first."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def covered(self) -> bool:
        """A counted report above it, below the consolidating unit, stands for it."""
        return self._covered

    @property
    def used(self) -> bool:
        """DIRECT: its own report counts and none above it (below the root) does."""
        return self.counted and not self._covered

    @property
    def waiting_for(self) -> Node | None:
        """For a report used in place of an uncounted one above: the direct
        subordinate that has not consolidated it yet ("chưa được … tổng hợp")."""
        return self._top if self.used and self.parent is not None else None

    def link(self, parent: Node | None) -> None:
        """Attach below ``parent`` (None: a direct subordinate), in path order."""
        self.parent = parent
        if parent is None:
            self._covered, self._top = False, self
        else:
            parent.children.append(self)
            self._covered = parent.counted or parent._covered
            self._top = parent._top

    @property
    def is_counted_leaf(self) -> bool:
        """LEAVES: a counted report with no participating unit below."""
        return self.counted and not self.children

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()


@dataclass
class Pending:
    """A direct subordinate with units of its own whose report is not counted."""

    node: Node
    used: list[Node] = field(default_factory=list)  # reports counted in its place
    missing: list[Node] = field(default_factory=list)  # leaves below that do not count


@dataclass
class ReportingTree:
    unit: OrgUnit
    include_submitted: bool
    nodes: list[Node]  # in path order
    rows: list[tuple] = field(default_factory=list, repr=False)  # as read, for ``signature``

    @cached_property
    def signature(self) -> str:
        """sha256 of the rows read (:func:`_signature`): equal signatures, the
        same reports in the same places, names and states, none changed since."""
        return _signature(self.rows)

    @cached_property
    def by_path(self) -> dict[str, Node]:
        return {node.path: node for node in self.nodes}

    @cached_property
    def direct(self) -> list[Node]:
        """The direct subordinates, in tree order."""
        return [node for node in self.nodes if node.parent is None]

    @cached_property
    def used(self) -> list[Node]:
        """DIRECT: the reports the roll-up counts, each once, in tree order."""
        return [node for node in self.nodes if node.used]

    @cached_property
    def counted_leaves(self) -> list[Node]:
        return [node for node in self.nodes if node.is_counted_leaf]

    def counted_for(self, basis: str) -> list[Node]:
        return self.used if basis == DIRECT else self.counted_leaves

    @cached_property
    def pending(self) -> list[Pending]:
        """Direct subordinates with units below whose own report is not counted."""
        result = []
        for node in self.direct:
            if node.counted or not node.has_below:
                continue
            below = list(node.descendants())
            result.append(
                Pending(
                    node=node,
                    used=[n for n in below if n.used],
                    missing=[n for n in below if not n.children and not n.counted],
                )
            )
        return result

    @cached_property
    def max_depth(self) -> int:
        return max((node.depth for node in self.nodes), default=self.unit.depth)

    def classifier(self, campaign: Plan) -> Classifier:
        return Classifier(
            campaign=campaign,
            unit=self.unit,
            statuses=counted_statuses(self.include_submitted),
            max_depth=self.max_depth,
        )


def reporting_tree(campaign: Plan, unit: OrgUnit, include_submitted: bool) -> ReportingTree:
    """The participating units below ``unit``, linked to their nearest
    participating unit above. One query."""
    counted = set(counted_statuses(include_submitted))
    rows = (
        subtree_reports(campaign, unit)
        .annotate(label=report_unit_name())
        .order_by("unit__path")
        .values_list(
            "pk",
            "unit_id",
            "unit__path",
            "unit__depth",
            "label",
            "unit__level_id",
            "status",
            "is_late",
            "received_via",
            "submitted_at",
            "modified",
        )
    )
    rows = list(rows)
    nodes: list[Node] = []
    stack: list[Node] = []  # the chain of participating units above the current one
    for pk, unit_id, path, depth, name, level_id, status, is_late, via, submitted_at, _m in rows:
        node = Node(
            pk,
            unit_id,
            path,
            depth,
            name,
            level_id,
            status,
            is_late,
            status in counted,
            via,
            submitted_at,
        )
        while stack and not path.startswith(stack[-1].path):
            stack.pop()
        node.link(stack[-1] if stack else None)
        stack.append(node)
        nodes.append(node)
    return ReportingTree(unit=unit, include_submitted=include_submitted, nodes=nodes, rows=rows)


def _signature(rows: list[tuple]) -> str:
    """sha256 of the tree's rows, by column (a few milliseconds at 2,500
    reports): the reports, units, levels, places, names, states and how they
    arrived, and the latest ``modified``, which every change of a report moves
    on (a report sent back and accepted again has the states it had, not
    the time)."""
    if not rows:
        return ""
    pk, unit, path, _depth, name, level, status, late, via, _submitted, modified = zip(
        *rows, strict=True
    )
    digest = hashlib.sha256(repr((pk, unit, level, late, max(modified))).encode())
    for column in (path, name, status, via):
        digest.update("\x1f".join(map(str, column)).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


# --- The same rule, in SQL ----------------------------------------------------


class Classifier:
    """The rule as SQL expressions on rows of ``Answer`` (through their report).

    ``classify`` keeps the answers of counted reports below the unit and adds:

    - ``contributor``: the path of the report DIRECT uses for this row: the
      topmost counted report at or above it, below the unit;
    - ``is_own`` (and the condition ``Classifier.own``): the row's report is
      that report (DIRECT counts the row);
    - ``is_leaf`` (and ``Classifier.leaf``): the row's unit has no
      participating unit below (LEAVES counts the row).

    A unit's ancestor at depth k is the first ``STEPLEN * k`` characters of
    its path, looked up in a set the database builds once per depth, so the
    work per row is a few hash look-ups and the queries do not grow with the
    tree (only with its depth).
    """

    def __init__(self, *, campaign: Plan, unit: OrgUnit, statuses: list[str], max_depth: int):
        self.campaign = campaign
        self.unit = unit
        self.statuses = statuses
        # Depths where a unit may have a participating unit below it.
        self.between = range(unit.depth + 1, max_depth)
        self._expressions()

    def _reports(self):
        return Report.objects.filter(
            campaign=self.campaign,
            unit__path__startswith=self.unit.path,
            unit__depth__gt=self.unit.depth,
        )

    def _counted_at(self, depth: int):
        return (
            self._reports().filter(status__in=self.statuses, unit__depth=depth).values("unit__path")
        )

    def _with_units_below_at(self, depth: int):
        """Paths of the units at ``depth`` that have a participating unit below."""
        return (
            self._reports()
            .filter(unit__depth__gt=depth)
            .annotate(above=Substr("unit__path", 1, STEPLEN * depth))
            .values("above")
        )

    def _expressions(self) -> None:
        prefixes = {
            f"_at{depth}": Substr("report__unit__path", 1, STEPLEN * depth)
            for depth in self.between
        }
        covered = Q()  # a counted report above the row's, below the unit
        below = Q()  # a participating unit below the row's
        whens = []
        for depth in self.between:
            counted_here = Q(**{f"_at{depth}__in": self._counted_at(depth)})
            whens.append(When(counted_here, then=F(f"_at{depth}")))
            covered |= Q(report__unit__depth__gt=depth) & counted_here
            below |= Q(report__unit__depth=depth) & Q(
                report__unit__path__in=self._with_units_below_at(depth)
            )
        self.prefixes = prefixes
        if whens:
            self.contributor = Case(
                *whens, default=F("report__unit__path"), output_field=CharField()
            )
            self.own, self.leaf = ~covered, ~below
        else:  # a tree one level deep: every report is its own and a leaf
            self.contributor = F("report__unit__path")
            self.own = self.leaf = Q(pk__isnull=False)

    def classify(self, answers):
        """``answers`` (an Answer queryset) narrowed to the counted reports below
        the unit, with ``contributor``, ``is_own`` and ``is_leaf`` annotated.

        Aggregate by grouping on ``is_own`` and ``is_leaf`` rather than with a
        FILTER on each sum: the database then works them out once per row."""
        answers = answers.filter(
            report__campaign=self.campaign,
            report__unit__path__startswith=self.unit.path,
            report__unit__depth__gt=self.unit.depth,
            report__status__in=self.statuses,
        )
        if self.prefixes:
            answers = answers.alias(**self.prefixes)
        return answers.annotate(
            contributor=self.contributor,
            is_own=ExpressionWrapper(self.own, output_field=BooleanField()),
            is_leaf=ExpressionWrapper(self.leaf, output_field=BooleanField()),
        )
