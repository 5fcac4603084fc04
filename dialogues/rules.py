"""Who may run a head's dialogues, send a host unit's opinions in and answer
a petition (see ``orgunits.access``).

Acting for a unit takes a working role there (or above it); a viewer reads
the meetings and petitions of their units but never writes to them.
"""

import rules

from orgunits import access
from orgunits.models import OrgUnit, Role
from orgunits.rules import coordinates_a_unit

from .models import DialoguePlan, Meeting, Petition

ACTING = [Role.COORDINATOR, Role.APPROVER, Role.REPORTER]


def head_unit(obj: OrgUnit | DialoguePlan | Meeting | Petition | None) -> OrgUnit | None:
    """The unit whose head holds the dialogue (or a petition raised at it)."""
    if isinstance(obj, DialoguePlan | Petition):
        return obj.unit
    if isinstance(obj, Meeting):
        return obj.plan.unit
    return obj


@rules.predicate
def coordinates_head_unit(user, obj) -> bool:
    return access.reaches(user, head_unit(obj), roles=[Role.COORDINATOR])


@rules.predicate
def acts_for_unit(user, unit: OrgUnit | None) -> bool:
    return access.reaches(user, unit, roles=ACTING)


@rules.predicate
def acts_for_agency(user, petition: Petition | None) -> bool:
    return petition is not None and access.reaches(user, petition.agency, roles=ACTING)


# Plan the head's meetings; record, cancel and announce a meeting; record,
# assign and close its petitions. On a unit, a plan, a meeting or a petition.
rules.add_perm("dialogues.coordinate", coordinates_head_unit)
rules.add_perm("dialogues.plan_dialogues", coordinates_a_unit)  # open a new dialogue plan
# Send in the opinions a host unit collected before the meeting (on the host unit).
rules.add_perm("dialogues.send_opinions", acts_for_unit)
# Record progress on a petition assigned to one's agency, and answer it.
rules.add_perm("dialogues.answer_petition", acts_for_agency)
