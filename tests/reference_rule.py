"""The roll-up rule written again from its words, to check ``consolidation.rollup`` against.

    Each unit is counted once. A level consolidates what its direct
    participating subordinates reported; a subordinate with units of its own
    counts through its own consolidated report, and while that report is not
    counted (not accepted, or not submitted when submitted reports are
    included) the reports of its units are counted in its place, by the same
    rule. "Tính từ cơ sở": the counted reports of the units with no
    participating unit below them.

Deliberately naive: the tree is a table of ancestors given by the test (not
the units' paths), reports and answers are read in two plain queries, items
are matched by their key (a copy in an implementing plan keeps its
original's), and everything else is loops over a dozen units.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from campaigns.models import AnswerType, Plan
from reports.models import Answer, Report, ReportStatus

FIGURES = (AnswerType.INTEGER, AnswerType.INTEGER_PER_YEAR)


@dataclass(frozen=True)
class Fig:
    """A figure as the rule sums it: a total, the years, the reports that gave it."""

    total: Decimal | None
    per_year: tuple = ()
    answered: int = 0

    @property
    def value(self) -> tuple:
        return (self.total, self.per_year)


def value(figure: Fig | None) -> tuple:
    """What two figures are compared on; nothing given compares as nothing."""
    return figure.value if figure is not None else (None, ())


@dataclass
class Snapshot:
    """A campaign's reports and figure answers, by unit code."""

    ancestors: dict[str, list[str]]  # unit → its strict ancestors, topmost first
    status: dict[str, str]  # unit → report status
    answers: dict[str, dict[str, list[tuple]]]  # unit → item key → [(number, per_year)]

    @classmethod
    def read(cls, campaign: Plan, ancestors: dict[str, list[str]]) -> Snapshot:
        status = dict(Report.objects.filter(campaign=campaign).values_list("unit__code", "status"))
        answers: dict[str, dict[str, list[tuple]]] = {code: {} for code in status}
        rows = Answer.objects.filter(
            report__campaign=campaign, item__answer_type__in=FIGURES
        ).values_list("report__unit__code", "item__key", "number", "per_year")
        for code, key, number, per_year in rows:
            answers[code].setdefault(str(key), []).append((number, per_year))
        return cls(ancestors, status, answers)

    def counted(self, code: str, include_submitted: bool) -> bool:
        status = self.status[code]
        return status == ReportStatus.ACCEPTED or (
            include_submitted and status == ReportStatus.SUBMITTED
        )

    def below(self, unit: str) -> list[str]:
        """The participating units below ``unit`` (those with a report)."""
        return [code for code in self.status if unit in self.ancestors[code]]

    def has_below(self, code: str) -> bool:
        return bool(self.below(code))

    def used(self, unit: str, include_submitted: bool) -> list[str]:
        """The reports ``unit`` counts: each counted report with no counted
        report of a participating unit between ``unit`` and it."""
        return [
            code
            for code in self.below(unit)
            if self.counted(code, include_submitted)
            and not any(
                self.counted(between, include_submitted)
                for between in self.ancestors[code]
                if between in self.status and unit in self.ancestors[between]
            )
        ]

    def counted_leaves(self, unit: str, include_submitted: bool) -> list[str]:
        return [
            code
            for code in self.below(unit)
            if self.counted(code, include_submitted) and not self.has_below(code)
        ]

    def sum_of(self, codes: list[str], key: str) -> Fig | None:
        """The plain sum of what the reports of ``codes`` gave for the item."""
        total, per_year, answered = None, {}, 0
        for code in codes:
            for number, years in self.answers.get(code, {}).get(key, []):
                if number is None and not years:
                    continue
                answered += 1
                if number is not None:
                    total = (total or 0) + number
                for year, figure in years.items():
                    per_year[year] = per_year.get(year, 0) + figure
        if not answered:
            return None
        if total is None and per_year:
            total = Decimal(sum(per_year.values()))
        return Fig(total, tuple(sorted(per_year.items())), answered)

    def direct(self, unit: str, key: str, include_submitted: bool) -> Fig | None:
        return self.sum_of(self.used(unit, include_submitted), key)

    def leaves(self, unit: str, key: str, include_submitted: bool) -> Fig | None:
        return self.sum_of(self.counted_leaves(unit, include_submitted), key)

    def consolidated_everywhere(self, unit: str, key: str, include_submitted: bool) -> bool:
        """Every counted intermediate report below ``unit`` equals the roll-up of
        its own units: then the two views must agree (by induction on the tree)."""
        return all(
            value(self.sum_of([code], key)) == value(self.direct(code, key, include_submitted))
            for code in self.below(unit)
            if self.has_below(code) and self.counted(code, include_submitted)
        )
