"""What apps above campaigns do when a plan's workflow moves.

Campaigns sits below the apps that keep the units' work (reports), so it
cannot call them. Each hook is a list of participants an app registers in
its ``AppConfig.ready``; the plan's services call the hook inside their own
transaction, so the participants' writes commit or roll back with the
plan's. No signal: the call site is one line, and it is the only one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Plan

Participant = Callable[["Plan"], None]


class Hook:
    def __init__(self) -> None:
        self._participants: dict[str, Participant] = {}

    def register(self, name: str, participant: Participant) -> None:
        """Add ``participant`` under ``name``; registering a name again replaces it."""
        self._participants[name] = participant

    def __call__(self, plan: Plan) -> None:
        for participant in self._participants.values():
            participant(plan)


# A plan was published, or a revision of it: its participants' reports open
# (or move to it from the parent plan) with their due dates.
published = Hook()
# The plan's reports may change again: a unit reopened under the lock is no
# longer an exception.
unlocked = Hook()
# An implementing plan adopted its parent's changes: answers given to the
# parent's items move to the plan's copies.
outline_adopted = Hook()


class UnitsHook:
    """Like :class:`Hook`, for participants that act on some of the plan's units."""

    def __init__(self) -> None:
        self._participants: dict[str, Callable[[Plan, list[str]], None]] = {}

    def register(self, name: str, participant: Callable[[Plan, list[str]], None]) -> None:
        self._participants[name] = participant

    def __call__(self, plan: Plan, paths: list[str]) -> None:
        for participant in self._participants.values():
            participant(plan, paths)


# Units (given by their tree paths, subtrees included) leave a published plan:
# their work under it is withdrawn, or the participant raises ``PlanError``
# (with the units named) when some of it must not be lost.
leaving = UnitsHook()


class Panels:
    """Cards that apps above add to a plan's page: each participant takes the
    request and the plan and returns its rendered HTML ("" for none)."""

    def __init__(self) -> None:
        self._participants: dict[str, Callable] = {}

    def register(self, name: str, participant: Callable) -> None:
        self._participants[name] = participant

    def render(self, request, plan: Plan) -> list[str]:
        return [html for part in self._participants.values() if (html := part(request, plan))]


# The plan's page: the plan's files and the register of documents received (registers).
plan_panels = Panels()
