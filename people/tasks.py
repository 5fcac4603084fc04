"""Sending the invitation e-mail: ids in, enqueued on commit."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications import emails


def invitation_link(user) -> str:
    """The link to the page where ``user`` chooses their password (one use,
    PASSWORD_RESET_TIMEOUT long: the token changes once a password is set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("people:set_password", args=[uid, token])


@shared_task(bind=True, max_retries=emails.RETRIES, time_limit=300, soft_time_limit=270)
def send_invitation(self, user_id: int, inviter: str = "") -> bool:
    """E-mail the invitation to an active user: a link to choose a password.

    Idempotent enough: a retried task sends a second, equally valid link; once
    the person has chosen a password every earlier link stops working.
    """
    from .models import profile_of

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    profile = profile_of(user)
    context = {
        "person": user,
        "inviter": inviter,
        "link": invitation_link(user),
        "roles": list(user.memberships.select_related("unit").order_by("unit__path", "role")),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    try:
        emails.send("invitation", user.email, context, language=profile.language)
    except OSError as error:
        raise self.retry(
            exc=error, countdown=emails.retry_countdown(self.request.retries)
        ) from error
    return True
