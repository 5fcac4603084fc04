from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import inbox_counts


def inbox(request: HttpRequest) -> dict:
    """The inbox counts for the navbar; queried only if a template uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_counts": SimpleLazyObject(lambda: inbox_counts(user))}
