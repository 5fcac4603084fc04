from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext


class DefaultLanguageMiddleware:
    """Vietnamese unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, and the
    intranet browsers of provincial offices mostly say en-US: the app must still
    speak Vietnamese there. Only the language cookie (set by /i18n/setlang/)
    changes it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulMiddleware:
    """400 (a Vietnamese page) for any GET or POST parameter, name or value,
    holding a NUL character: no database stores it (PostgreSQL refuses
    "\\x00" in text), so a search or a form with one would end in a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul(request.POST):
            if request.path.startswith("/api/"):  # the API answers JSON (api.exceptions)
                return JsonResponse(
                    {"detail": gettext("The request is not valid."), "code": "invalid"},
                    status=400,
                )
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
