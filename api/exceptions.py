"""Errors as JSON, ``{"detail": …, "code": …}``, worded for the people who
read them (Vietnamese by default; the language switch's cookie as on pages)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str, code: str = "conflict", extra: dict | None = None):
        super().__init__(detail, code)
        self.extra = extra or {}


def _message(exc: Exception) -> tuple[str, str] | None:
    """(message, code) replacing DRF's own wording, by kind of error."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Give the access token: Authorization: Bearer …"), "not_authenticated"
    if isinstance(exc, exceptions.AuthenticationFailed):
        return str(exc.detail), "authentication_failed"
    if isinstance(exc, Http404 | exceptions.NotFound):
        return _("Not found, or outside what this system may see."), "not_found"
    if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        return _("This system may not do that."), "permission_denied"
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("This method is not allowed here."), "method_not_allowed"
    if isinstance(exc, exceptions.NotAcceptable):
        return _("This format cannot be answered."), "not_acceptable"
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Send the body as JSON."), "unsupported_media_type"
    if isinstance(exc, exceptions.ParseError):
        return _("The body is not valid JSON."), "parse_error"
    if isinstance(exc, exceptions.Throttled):
        seconds = int(exc.wait or 1)
        return (
            _("Too many requests: try again in %(seconds)s seconds.") % {"seconds": seconds},
            "throttled",
        )
    return None


def handle(exc: Exception, context: dict) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Conflict):
        response.data = {"detail": str(exc.detail), "code": exc.get_codes(), **exc.extra}
        return response
    found = _message(exc)
    if found is not None:
        message, code = found
        response.data = {"detail": message, "code": code}
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("The request is not valid."),
            "code": "invalid",
            "errors": response.data,
        }
    return response
