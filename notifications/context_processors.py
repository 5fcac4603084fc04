from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .services import unread_count


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
