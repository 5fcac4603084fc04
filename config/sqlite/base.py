"""The SQLite backend of ``config.sqlite``: Django's, with deferred read
transactions and writers that queue for the write lock instead of failing.

A writing transaction (``BEGIN IMMEDIATE``) takes SQLite's write lock when it
starts. SQLite's own wait for a busy lock polls, sleeping longer and longer
(up to 100 ms) between tries: under a burst of writes (deadline day: dozens
of submissions at once) a request that has waited long keeps losing the lock
to those just arrived, and fails with "database is locked" once the busy
timeout is over (an HTTP 500). So the writers of one process first queue on
a lock of the process (``_writers``, a lock per database file): at most one
thread of each process waits in SQLite's poll, the others sleep until their
turn. The whole wait (queue and poll) is bounded by the connection's
``timeout`` (``OPTIONS``, seconds: the busy timeout). Reading transactions
(``READING``: GET requests) begin deferred and never queue.
"""

from __future__ import annotations

import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

from . import READING

_registry_lock = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _writers(name: str) -> threading.Lock:
    """The queue of this process's writers to the database file ``name``."""
    with _registry_lock:
        return _locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _queued: threading.Lock | None = None  # held from BEGIN IMMEDIATE to its end

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        self.busy_timeout = float(params.get("timeout", 5.0))  # sqlite3's default
        return params

    def _start_transaction_under_autocommit(self) -> None:
        if READING.get():
            self.cursor().execute("BEGIN DEFERRED")
            return
        if self.transaction_mode != "IMMEDIATE":
            super()._start_transaction_under_autocommit()
            return
        timeout = getattr(self, "busy_timeout", 5.0)
        begun = time.monotonic()
        queue = _writers(str(self.settings_dict["NAME"]))
        if not queue.acquire(timeout=timeout):
            raise OperationalError(
                f"database is locked (this process's other writers held it for {timeout:g} s)"
            )
        self._queued = queue
        try:
            left = timeout - (time.monotonic() - begun)
            if left < timeout - 0.001:  # waited in the queue: SQLite waits the rest only
                self._busy(left)
                try:
                    self.cursor().execute("BEGIN IMMEDIATE")
                finally:
                    self._busy(timeout)
            else:
                self.cursor().execute("BEGIN IMMEDIATE")
        except BaseException:
            self._dequeue()
            raise

    def _busy(self, seconds: float) -> None:
        self.connection.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    def _dequeue(self) -> None:
        queue, self._queued = self._queued, None
        if queue is not None:
            queue.release()

    # The transaction ends (committed, rolled back, or its connection closed):
    # the next writer of the process goes.

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._dequeue()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._dequeue()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._dequeue()
