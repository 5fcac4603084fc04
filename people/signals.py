"""A login remembers, in the session, that the person must choose a new password
(the middleware reads the session only: no query on every request)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

MUST_CHANGE_PASSWORD = "people_must_change_password"


@receiver(user_logged_in)
def _remember_required_change(sender, request, user, **kwargs) -> None:
    from .models import Profile

    if request is None or not hasattr(request, "session"):
        return
    if Profile.objects.filter(user=user, must_change_password=True).exists():
        request.session[MUST_CHANGE_PASSWORD] = True
    else:
        request.session.pop(MUST_CHANGE_PASSWORD, None)
