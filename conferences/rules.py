"""Who may hold a plan's conference, reply to an invitation and send a speech
in (see ``orgunits.access``).

The issuing unit's coordinators (or those above) hold the conference; an
invited unit's own people (its coordinators, approvers and reporters, not
the levels above) reply for it and send its speeches in.
"""

import rules

from campaigns.models import Plan, PlanStatus
from orgunits import access
from orgunits.models import Role

from .models import Conference, Invitation, Speech

ACTING = {Role.COORDINATOR, Role.APPROVER, Role.REPORTER}


@rules.predicate
def holds_conference_of(user, plan: Plan | None) -> bool:
    """An issued plan whose issuing unit the user coordinates (or a unit above it)."""
    return (
        plan is not None
        and plan.status in (PlanStatus.PUBLISHED, PlanStatus.CLOSED)
        and access.reaches(user, plan.issuing_unit, roles=[Role.COORDINATOR])
    )


@rules.predicate
def organises(user, conference: Conference | None) -> bool:
    return conference is not None and access.reaches(
        user, conference.unit, roles=[Role.COORDINATOR]
    )


@rules.predicate
def acts_for_own_unit(user, obj: Invitation | Speech | None) -> bool:
    return obj is not None and bool(access.roles_on(user, obj.unit) & ACTING)


# Open a conference on a plan (on the plan).
rules.add_perm("conferences.hold", holds_conference_of)
# Edit, invite, assign speeches, record the minutes, issue the notice (on a conference).
rules.add_perm("conferences.organise", organises)
# Reply to an invitation (on the invitation); send a speech in (on the speech).
rules.add_perm("conferences.reply", acts_for_own_unit)
rules.add_perm("conferences.send_speech", acts_for_own_unit)
