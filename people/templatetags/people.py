from django import template

from orgunits.models import Role

register = template.Library()


@register.filter
def has_coordinator_role(memberships) -> bool:
    """Whether the navbar's memberships (already read for the user menu) hold a
    coordinator's role: the link to the people pages costs no query."""
    return any(m.role == Role.COORDINATOR for m in memberships or ())
