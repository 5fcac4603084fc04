from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import memberships_of


def memberships(request: HttpRequest) -> dict:
    """The signed-in user's roles, for the navbar; queried only if a template uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_memberships": SimpleLazyObject(lambda: memberships_of(user))}
