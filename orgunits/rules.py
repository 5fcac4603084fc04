"""What may be done to the hierarchy itself (see ``orgunits.access``)."""

import rules

from . import access
from .models import OrgUnit, Role

ROOT_PERMISSION = "orgunits.add_root_unit"
ROOT_ADMINISTRATORS = "Quản trị hệ thống"  # the group holding it (migration 0007)


@rules.predicate
def coordinates_unit(user, unit: OrgUnit | None) -> bool:
    return access.reaches(user, unit, roles=[Role.COORDINATOR])


@rules.predicate
def coordinates_a_unit(user) -> bool:
    return access.scope_paths(user, roles=[Role.COORDINATOR]) != []


# Add, change or move a unit of this subtree (importing the tree, for now).
rules.add_perm("orgunits.manage_unit", coordinates_unit)


@rules.predicate
def administers_the_tree(user) -> bool:
    """Holds ``orgunits.add_root_unit`` (the group "Quản trị hệ thống", migration
    0007): a national or province administrator, who adds tops of the tree."""
    return bool(user.is_active) and user.has_perm(ROOT_PERMISSION)


# Open the import page: coordinators, for their own subtrees; administrators,
# to add a province.
rules.add_perm("orgunits.import_units", coordinates_a_unit | administers_the_tree)
# A new top of the tree: the administrators (superusers pass every rule).
rules.add_perm("orgunits.add_top_unit", administers_the_tree)
# List, add, change and delete a unit's issuing bodies: its coordinators (and above).
rules.add_perm("orgunits.manage_bodies", coordinates_unit)
