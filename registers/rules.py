"""Who may read and keep a unit's registers (see ``orgunits.access``).

Anyone whose scope reaches the unit reads its registers; the unit's own
writers (its office: coordinators, approvers, reporters of the unit itself)
keep its incoming register. Plan attachments follow the plan: its managers
attach, everyone who sees it downloads (``campaigns.view_plan``).
"""

import rules

from orgunits import access
from orgunits.models import OrgUnit, Role

KEEPERS = {Role.COORDINATOR, Role.APPROVER, Role.REPORTER}


@rules.predicate
def reads_register(user, unit: OrgUnit | None) -> bool:
    return unit is not None and access.reaches(user, unit)


@rules.predicate
def keeps_register(user, unit: OrgUnit | None) -> bool:
    return unit is not None and bool(access.roles_on(user, unit) & KEEPERS)


rules.add_perm("registers.view_register", reads_register)
rules.add_perm("registers.keep_register", keeps_register)
