"""On the embedded SQLite, a read-only request does not wait for the write lock.

Two connections of ``config.sqlite`` share a database file; one holds the
write lock (a writing request in progress). A reading transaction of the
other proceeds at once; a writing one waits for the lock (and times out).
The writers of one process queue for the lock (deadline day's burst of
submissions): each gets its turn within the timeout, none fails for having
lost the lock to newcomers, and the queue moves on however a transaction ends.
Whatever database the suite itself runs on.
"""

import sqlite3
import threading
import time

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from config.sqlite import READING, ReadOnlyRequestMiddleware
from config.sqlite.base import DatabaseWrapper, _writers


def connect(path, timeout: float = 0.2) -> DatabaseWrapper:
    settings = {
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
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


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A database file nobody holds a lock on."""
    path = tmp_path / "free.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.commit()
    setup.close()
    with django_db_blocker.unblock():
        yield path


def write(path, value: int, *, timeout: float = 5.0, hold: float = 0.0, fail: bool = False):
    """A writing transaction on a connection of its own: an insert, ``hold``
    seconds of work, then its commit (or, ``fail``, its rollback)."""
    connection = connect(path, timeout)
    try:
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        try:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (%s)", [value])
            time.sleep(hold)
            if fail:
                raise RuntimeError("the view failed")
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.set_autocommit(True)
    finally:
        connection.close()


def count(path) -> int:
    with sqlite3.connect(path) as reader:
        return reader.execute("SELECT count(*) FROM t").fetchone()[0]


def test_a_writer_waits_for_another_process_holding_the_lock(database):
    """Another process (a connection outside the queue) holds the lock for
    0.6 s: the write waits (its timeout is 3 s) and is done once it is let go."""
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.6, holder.execute, ["COMMIT"])
    begun = time.monotonic()
    release.start()
    try:
        write(database, 1, timeout=3.0)
    finally:
        release.join()
        holder.close()
    assert time.monotonic() - begun >= 0.55
    assert count(database) == 1


def test_a_writing_transaction_holds_the_process_queue_until_it_ends(database):
    queue = _writers(str(database))
    connection = connect(database, 1.0)
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert queue.locked()
    connection.commit()
    connection.set_autocommit(True)
    assert not queue.locked()
    connection.close()


def test_a_burst_of_writers_of_one_process_all_get_their_turn(database):
    """Thirty writers at once, each holding the lock 20 ms, with a timeout of
    3 s: all are done, one at a time, none refused."""
    inside, most, errors = [0], [0], []
    guard = threading.Lock()

    def writer(n: int) -> None:
        connection = connect(database, 3.0)
        try:
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with guard:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (%s)", [n])
            time.sleep(0.02)
            with guard:
                inside[0] -= 1
            connection.commit()
            connection.set_autocommit(True)
        except Exception as error:  # noqa: BLE001 - counted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(database) == 30
    assert most[0] == 1
    assert _writers(str(database)).acquire(blocking=False)  # nobody holds the queue


def test_the_queue_moves_on_after_a_rollback_and_after_a_refused_begin(database, busy):
    with pytest.raises(RuntimeError):
        write(database, 1, fail=True)
    with pytest.raises(OperationalError, match="locked"):
        write(busy, 1, timeout=0.1)  # another process holds this one's lock
    for path in (database, busy):
        assert _writers(str(path)).acquire(blocking=False)
        _writers(str(path)).release()
    write(database, 2, timeout=0.1)
    assert count(database) == 1


def test_the_wait_in_the_queue_counts_in_the_timeout(database):
    """A writer of the process holds the lock for 1 s; another, whose timeout
    is 0.3 s, is refused after 0.3 s (the queue's wait and SQLite's together),
    not later."""
    holding = threading.Event()
    holder = threading.Thread(target=lambda: (holding.set(), write(database, 1, hold=1.0)))
    holder.start()
    holding.wait()
    time.sleep(0.1)  # the holder is in its transaction
    begun = time.monotonic()
    with pytest.raises(OperationalError, match="locked"):
        write(database, 2, timeout=0.3)
    waited = time.monotonic() - begun
    holder.join()
    assert 0.25 <= waited < 0.7
    assert count(database) == 1


def test_a_reading_transaction_does_not_queue_behind_the_writers(database):
    holding = threading.Event()
    holder = threading.Thread(target=lambda: (holding.set(), write(database, 1, hold=1.0)))
    holder.start()
    holding.wait()
    time.sleep(0.1)
    token = READING.set(True)
    try:
        begun = time.monotonic()
        assert read(database) == 0  # the writer's row is not committed yet
        assert time.monotonic() - begun < 0.5
    finally:
        READING.reset(token)
        holder.join()
