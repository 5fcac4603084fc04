"""On the embedded SQLite, a read-only request does not wait for the write lock.

Two connections of ``config.sqlite`` share a database file; one holds the
write lock (a writing request in progress). A reading transaction of the
other proceeds at once; a writing one waits for the lock (and times out).
Whatever database the suite itself runs on.
"""

import sqlite3

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from config.sqlite import READING, ReadOnlyRequestMiddleware
from config.sqlite.base import DatabaseWrapper


def connect(path) -> DatabaseWrapper:
    settings = {
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 0.2},
        "ATOMIC_REQUESTS": True,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
        "ENGINE": "config.sqlite",
    }
    return DatabaseWrapper(settings, alias="sqlite-reads")


@pytest.fixture
def busy(tmp_path, django_db_blocker):
    """A database whose write lock another connection holds (not the suite's
    database: pytest-django's guard is lifted for these connections)."""
    path = tmp_path / "db.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.execute("INSERT INTO t VALUES (1)")
    setup.commit()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (2)")
    with django_db_blocker.unblock():
        yield path
    writer.execute("ROLLBACK")
    writer.close()
    setup.close()


def read(path) -> int:
    connection = connect(path)
    try:
        with _atomic(connection):
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM t")
                return cursor.fetchone()[0]
    finally:
        connection.close()


class _atomic:
    """``transaction.atomic`` for a connection outside ``django.db.connections``."""

    def __init__(self, connection: DatabaseWrapper) -> None:
        self.connection = connection

    def __enter__(self):
        self.connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)

    def __exit__(self, *exc):
        self.connection.rollback()
        self.connection.set_autocommit(True)


def test_a_reading_transaction_does_not_wait_for_a_writer(busy):
    token = READING.set(True)
    try:
        assert read(busy) == 1  # the committed row; the writer's is not visible
    finally:
        READING.reset(token)


def test_a_writing_transaction_waits_for_the_lock(busy):
    with pytest.raises(OperationalError, match="locked"):
        read(busy)


@pytest.mark.parametrize(("method", "reading"), [("get", True), ("head", True), ("post", False)])
def test_the_middleware_marks_safe_methods_as_reading(method, reading):
    seen = []

    def view(request):
        seen.append(READING.get())
        return HttpResponse()

    ReadOnlyRequestMiddleware(view)(getattr(RequestFactory(), method)("/"))
    assert seen == [reading]
    assert READING.get() is False
