"""What may be done with signing certificates (see ``orgunits.access``)."""

import rules

from orgunits import access
from orgunits.models import Role


@rules.predicate
def coordinates_the_body(user, body) -> bool:
    return body is not None and access.reaches(user, body.unit, roles=[Role.COORDINATOR])


# See, upload and remove a body's signing certificate: the coordinators of its
# unit and above (those who manage its bodies).
rules.add_perm("signatures.manage_certificate", coordinates_the_body)
