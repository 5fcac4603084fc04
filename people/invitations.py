"""The invitation e-mail, put in the outbox (sent by the worker once the
transaction commits, by the minute sweep if the broker was down)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.outbox import queue_template


def invitation_link(user) -> str:
    """The link to the page where ``user`` chooses their password (one use,
    PASSWORD_RESET_TIMEOUT long: the token changes once a password is set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("people:set_password", args=[uid, token])


def _roles(user) -> list:
    """The person's roles by unit: from the prefetched rows when there are some."""
    if "memberships" in getattr(user, "_prefetched_objects_cache", {}):
        return list(user.memberships.all())
    return list(user.memberships.select_related("unit").order_by("unit__path", "role"))


def queue_invitation(user, inviter: str = "") -> bool:
    """Put the invitation of an active user with an address in the outbox, in
    their language; the link logs in, so the sent text is erased."""
    from .models import profile_of

    if not user.is_active or not user.email:
        return False
    profile = profile_of(user)
    context = {
        "person": user,
        "inviter": inviter,
        "link": invitation_link(user),
        "roles": _roles(user),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    queue_template("invitation", user.email, context, language=profile.language, secret=True)
    return True
