"""Login throttling (django-axes): the backend, the lockout page, the address.

Five failed logins for one user name, or from one address, lock that name or
address for AXES_COOLOFF_TIME (15 minutes); a success resets the count. The
admin lists the attempts and lockouts ("Axes"): deleting one unlocks it, as
does ``manage.py axes_reset_username <name>`` / ``axes_reset_ip <address>``.
"""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from .http import safe_next


class ThrottlingBackend(AxesStandaloneBackend):
    """Axes' check, first in AUTHENTICATION_BACKENDS: a locked-out name or
    address is refused before any backend looks at the password.

    ``authenticate()`` without a request is no login over the web (a
    management command, the test client's ``login()``): nothing to throttle,
    the next backends decide, where Axes itself would raise.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def lockout_response(
    request: HttpRequest, original_response=None, credentials: dict | None = None
) -> HttpResponse:
    """The login page again, saying why and for how long (429)."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else 0
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    message = ngettext(
        "Too many failed logins: this account or this computer is locked for %(n)s minute. "
        "Try again later, or ask the administrator to unlock it.",
        "Too many failed logins: this account or this computer is locked for %(n)s minutes. "
        "Try again later, or ask the administrator to unlock it.",
        minutes,
    ) % {"n": minutes}
    context = {"form": form, "next": safe_next(request), "locked_out": message}
    return render(
        request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def client_ip(request: HttpRequest) -> str:
    """The address a login came from. Behind LOGIN_PROXY_COUNT reverse proxies
    (nginx: one) it is the one the last of them saw, in X-Forwarded-For;
    otherwise REMOTE_ADDR. A forged header cannot pick another's address: the
    proxies append to it, and only their entries are read."""
    count = getattr(settings, "LOGIN_PROXY_COUNT", 0)
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
