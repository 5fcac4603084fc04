"""The SQLite backend of ``config.sqlite``: Django's, with deferred read transactions."""

from django.db.backends.sqlite3 import base

from . import READING


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self) -> None:
        if READING.get():
            self.cursor().execute("BEGIN DEFERRED")
        else:
            super()._start_transaction_under_autocommit()
