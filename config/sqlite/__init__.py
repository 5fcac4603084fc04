"""SQLite for the embedded defaults: read-only requests do not take the write lock.

Autosaves arrive in parallel, so a writing request's transaction takes
SQLite's write lock when it starts (``BEGIN IMMEDIATE``: no lock-upgrade
deadlocks). A GET, HEAD or OPTIONS request reads: its request transaction
(``ATOMIC_REQUESTS``) begins deferred, so pages are served while one request
writes instead of queueing behind it. The rare page that writes while it is
shown upgrades its lock as SQLite does (and may wait for a writer).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

READING: ContextVar[bool] = ContextVar("tongket_sqlite_reading", default=False)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyRequestMiddleware:
    """Marks the request's database work as reading when its method is safe."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = READING.set(request.method in SAFE_METHODS)
        try:
            return self.get_response(request)
        finally:
            READING.reset(token)
