"""The figures of issue #17 as one table: each measured against its floor in
the same run, over interleaved rounds (floor, measured, floor, measured…),
with the min and the median of the rounds.

A bench adds rows with :func:`row`; ``python -m bench`` prints the table at
the end and writes it to ``var/bench.md``.
"""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

ROUNDS = max(1, int(os.environ.get("BENCH_ROUNDS", "3")))


@dataclass
class Row:
    what: str
    measured: list[float]
    unit: str
    floor: list[float] = field(default_factory=list)
    floor_what: str = ""
    goal: str = ""
    note: str = ""
    bench: str = ""
    invert: bool = False  # a rate: the ratio is floor / measured ("× slower")

    @property
    def ratio(self) -> float | None:
        if not self.floor or not self.measured:
            return None
        floor, measured = statistics.median(self.floor), statistics.median(self.measured)
        if self.invert:
            floor, measured = measured, floor
        return measured / floor if floor else None


ROWS: list[Row] = []
CURRENT = {"bench": ""}


def row(
    what: str,
    measured: list[float],
    unit: str,
    *,
    floor: list[float] | None = None,
    floor_what: str = "",
    goal: str = "",
    note: str = "",
    invert: bool = False,
) -> Row:
    """One line of the table; printed at once too (a long run shows progress)."""
    entry = Row(what, list(measured), unit, list(floor or []), floor_what, goal, note)
    entry.invert = invert
    entry.bench = CURRENT["bench"]
    ROWS.append(entry)
    print("  " + " | ".join(_cells(entry)), flush=True)
    return entry


def rounds(*steps: Callable[[int], object]) -> None:
    """Run ``steps`` one after the other, ROUNDS times (interleaved: a floor and
    its measure share the machine's state of the moment)."""
    for number in range(ROUNDS):
        for step in steps:
            step(number)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _fmt(value: float, unit: str) -> str:
    if math.isnan(value):
        return "—"
    if unit in ("ms",):
        return f"{value:,.0f} ms" if value >= 100 else f"{value:,.1f} ms"
    if unit == "s":
        return f"{value:,.2f} s"
    if unit == "KiB":
        return f"{value:,.0f} KiB"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    if unit == "/s":
        return f"{value:,.1f}/s"
    if value == int(value):
        return f"{int(value):,} {unit}".rstrip()
    return f"{value:,.1f} {unit}".rstrip()


def _min_median(values: list[float], unit: str) -> str:
    if not values:
        return ""
    low, mid = min(values), statistics.median(values)
    if len(values) == 1 or _fmt(low, unit) == _fmt(mid, unit):
        return _fmt(mid, unit)
    return f"{_fmt(low, unit)} / {_fmt(mid, unit)}"


def _cells(entry: Row) -> list[str]:
    floor = _min_median(entry.floor, entry.unit)
    if floor and entry.floor_what:
        floor = f"{entry.floor_what}: {floor}"
    ratio = entry.ratio
    what = entry.what + (f" ({entry.note})" if entry.note else "")
    return [
        what,
        _min_median(entry.measured, entry.unit),
        floor,
        f"{ratio:.1f}×" if ratio is not None else "",
        entry.goal,
    ]


def markdown(title: str) -> str:
    lines = [
        f"### {title}",
        "",
        f"Rounds: {ROUNDS} (min / median of the rounds; the ratio is median / median).",
        "",
        "| what | measured min / median | floor min / median | ratio | goal |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(_cells(entry)) + " |" for entry in ROWS]
    return "\n".join(lines) + "\n"
