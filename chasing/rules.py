"""Who may follow a plan's progress board and chase its units (see ``orgunits.access``)."""

import rules

from campaigns.models import Plan
from campaigns.rules import coordinates_issuer, is_issued, sees_plan
from orgunits import access
from orgunits.models import Role
from reports.models import Report


@rules.predicate
def coordinates_within(user, plan: Plan | None) -> bool:
    """A coordinator of a unit inside the plan's tree: they chase the units under theirs."""
    return plan is not None and access.member_within(
        user, plan.issuing_unit, roles=[Role.COORDINATOR]
    )


@rules.predicate
def chases_report(user, report: Report | None) -> bool:
    """The level above chases a unit: a coordinator of a unit strictly above it.
    The one unit with no level above in its campaign, the issuer of the root
    plan, is chased by its own coordinators, who manage that plan."""
    if report is None:
        return False
    if access.reaches_below(user, report.unit, roles=[Role.COORDINATOR]):
        return True
    plan = report.plan
    return (
        plan.parent_id is None
        and plan.issuing_unit_id == report.unit_id
        and access.reaches(user, report.unit, roles=[Role.COORDINATOR])
    )


rules.add_perm("chasing.view_board", sees_plan & is_issued)  # the board, its rows, its export
# Tick units on the plan's board and remind them (each ticked unit: chasing.chase).
rules.add_perm("chasing.chase_units", coordinates_issuer | coordinates_within)
# Remind this report's unit now (if its state lets it be chased: board.open_to_chase).
rules.add_perm("chasing.chase", chases_report)
