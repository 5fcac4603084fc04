"""Who may see, download and manage a plan (see ``orgunits.access``)."""

import rules

from orgunits import access
from orgunits.models import Role

from .models import Plan, PlanStatus

ISSUED = (PlanStatus.PUBLISHED, PlanStatus.CLOSED)


@rules.predicate
def sees_plan(user, plan: Plan | None) -> bool:
    """Plans issued inside the user's subtrees, and published plans issued above
    a unit of theirs (the plans their units answer); ``plans_visible_to`` as a rule."""
    if plan is None:
        return False
    if access.reaches(user, plan.issuing_unit):
        return True
    return plan.status in ISSUED and access.member_within(user, plan.issuing_unit)


@rules.predicate
def coordinates_issuer(user, plan: Plan | None) -> bool:
    """Coordinators of the issuing unit, or of a unit above it."""
    return plan is not None and access.reaches(user, plan.issuing_unit, roles=[Role.COORDINATOR])


@rules.predicate
def is_issued(user, plan: Plan | None) -> bool:
    """Published or closed: a draft has no reports, board or overview yet."""
    return plan is not None and plan.status in ISSUED


rules.add_perm("campaigns.view_plan", sees_plan)
rules.add_perm("campaigns.download_plan", sees_plan)  # PDF, DOCX and the printable page
# Compose, amend, publish, lock, close or delete the plan; set its reminders.
rules.add_perm("campaigns.manage_plan", coordinates_issuer)
