"""A person given a temporary password is sent to the password-change page
until they choose their own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .signals import MUST_CHANGE_PASSWORD


class MustChangePasswordMiddleware:
    # Pages a person may still open: changing the password, leaving, the language switch.
    ALLOWED = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_PASSWORD):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                session.pop(MUST_CHANGE_PASSWORD, None)
            elif not self._allowed(request.path_info):
                return redirect("password_change")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        from django.conf import settings

        if path.startswith((settings.STATIC_URL, "/i18n/")):
            return True
        return any(path == reverse(name) for name in self.ALLOWED if name != "set_language")
