"""The timeliness chart of the board: submissions per day against the deadlines.

Only geometry is computed here; the template draws it as inline SVG. Numbers
leave as strings so the template's localization (12,5 in Vietnamese) never
reaches an SVG attribute.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from documents.formatting import short_date, short_day_month

from .board import BoardRow, Timeliness

WIDTH, HEIGHT = 760, 210
LEFT, RIGHT, TOP, BOTTOM = 34, 14, 36, 24
MAX_X_LABELS = 14
MAX_X_LABELS_WITH_YEAR = 8  # "12/3/2020" takes the room of two "12/3"


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


@dataclass
class Bar:
    day: datetime.date
    on_time: int
    late: int
    x: str
    width: str
    y_on_time: str
    height_on_time: str
    y_late: str
    height_late: str

    @property
    def total(self) -> int:
        return self.on_time + self.late


@dataclass
class DeadlineMark:
    day: datetime.date
    levels: list[str]
    x: str
    label_x: str
    label_y: str
    anchor: str


@dataclass
class Tick:
    position: str
    label: str


@dataclass
class Chart:
    bars: list[Bar]
    deadlines: list[DeadlineMark]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    total: int
    first_day: datetime.date
    last_day: datetime.date
    today_x: str | None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def submissions_chart(
    rows: list[BoardRow],
    *,
    deadlines: list[tuple[str, datetime.date]],
    start: datetime.date,
    today: datetime.date,
    running: bool = True,
    per_day: dict[datetime.date, Counter] | None = None,
) -> Chart:
    """Submitted reports per local day of submission, split on time / late.

    The days run from the plan's date (or the first submission, if earlier)
    to the last deadline, or to today while the plan is running.
    """
    per_day = {} if per_day is None else per_day  # counted by the database (board_tree)
    for row in rows:
        submitted_at = row.report.submitted_at
        if submitted_at is None or row.timeliness not in (Timeliness.ON_TIME, Timeliness.LATE):
            continue
        day = timezone.localdate(submitted_at)
        per_day.setdefault(day, Counter())[row.timeliness] += 1

    first = min([start, *per_day])
    last = max([first, *per_day, *(d for _level, d in deadlines)])
    if running:
        last = max(last, today)
    days = (last - first).days + 1
    slot = (WIDTH - LEFT - RIGHT) / days
    bottom = HEIGHT - BOTTOM

    def x_of(day: datetime.date) -> float:
        return LEFT + (day - first).days * slot

    peak = max((sum(c.values()) for c in per_day.values()), default=0)
    step = max(1, math.ceil(peak / 4))
    top_value = max(step, step * math.ceil(peak / step))
    scale = (bottom - TOP) / top_value

    bars = []
    for day in sorted(per_day):
        on_time, late = per_day[day][Timeliness.ON_TIME], per_day[day][Timeliness.LATE]
        h_on_time, h_late = on_time * scale, late * scale
        bars.append(
            Bar(
                day=day,
                on_time=on_time,
                late=late,
                x=_n(x_of(day) + slot * 0.15),
                width=_n(max(slot * 0.7, 1)),
                y_on_time=_n(bottom - h_on_time),
                height_on_time=_n(h_on_time),
                y_late=_n(bottom - h_on_time - h_late),
                height_late=_n(h_late),
            )
        )

    # A deadline "before 12/3" still accepts the 12th: the line closes that day.
    by_day: dict[datetime.date, list[str]] = {}
    for level, day in deadlines:
        by_day.setdefault(day, []).append(level)
    marks = []
    for index, day in enumerate(sorted(by_day)):
        x = x_of(day) + slot
        near_right = x > WIDTH - RIGHT - 140
        marks.append(
            DeadlineMark(
                day=day,
                levels=by_day[day],
                x=_n(x),
                label_x=_n(x - 3 if near_right else x + 3),
                label_y=str(12 + 12 * (index % 2)),
                anchor="end" if near_right else "start",
            )
        )

    # Days of another year than the reader's, or of two years, say their year.
    with_year = first.year != last.year or first.year != today.year
    label = short_date if with_year else short_day_month
    every = max(1, math.ceil(days / (MAX_X_LABELS_WITH_YEAR if with_year else MAX_X_LABELS)))
    x_ticks = [
        Tick(
            _n(x_of(first + datetime.timedelta(days=i)) + slot / 2),
            label(first + datetime.timedelta(days=i)),
        )
        for i in range(0, days, every)
    ]
    y_ticks = [Tick(_n(bottom - v * scale), str(v)) for v in range(0, top_value + 1, step)]
    return Chart(
        bars=bars,
        deadlines=marks,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        total=sum(bar.total for bar in bars),
        first_day=first,
        last_day=last,
        today_x=_n(x_of(today) + slot / 2) if first <= today <= last else None,
    )
