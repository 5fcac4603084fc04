"""Other apps' deadlines chased by the same hourly sweep.

An app registers a function ``sweep(now) -> dict[str, int]`` (what it queued,
by kind) in its ``AppConfig.ready``; ``chasing.tasks.sweep`` and the
``sweep_reminders`` command run the review reports' sweep and then each of
these, so one beat entry chases everything.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from campaigns.registry import Panels

Sweep = Callable[[datetime.datetime], dict[str, int]]

_sweeps: dict[str, Sweep] = {}


def register(name: str, sweep: Sweep) -> None:
    _sweeps[name] = sweep


def run_all(now: datetime.datetime) -> dict[str, dict[str, int]]:
    return {name: sweep(now) for name, sweep in _sweeps.items()}


# Lines above a plan's progress board, from apps above (conferences: who
# confirmed, which speeches are in); each takes the request and the plan.
board_lines = Panels()
