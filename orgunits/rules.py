"""What may be done to the hierarchy itself (see ``orgunits.access``)."""

import rules

from . import access
from .models import OrgUnit, Role


@rules.predicate
def coordinates_unit(user, unit: OrgUnit | None) -> bool:
    return access.reaches(user, unit, roles=[Role.COORDINATOR])


@rules.predicate
def coordinates_a_unit(user) -> bool:
    return access.scope_paths(user, roles=[Role.COORDINATOR]) != []


# Add, change or move a unit of this subtree (importing the tree, for now).
rules.add_perm("orgunits.manage_unit", coordinates_unit)
# Open the import page: coordinators, for their own subtrees.
rules.add_perm("orgunits.import_units", coordinates_a_unit)
# A new top of the tree is the administrators' (superusers pass every rule).
rules.add_perm("orgunits.add_top_unit", rules.always_deny)
# List, add, change and delete a unit's issuing bodies: its coordinators (and above).
rules.add_perm("orgunits.manage_bodies", coordinates_unit)
