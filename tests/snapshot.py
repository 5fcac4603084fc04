"""The rows a slow loader writes, captured once per test process and put back fast.

``load_demo`` builds the demo province through the import service (~230 units,
their history, users, memberships). Tests that need it restore the rows it
wrote with one bulk insert per table instead of running it again.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction


class _Rollback(Exception):
    pass


def _tables() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


@dataclass
class Snapshot:
    rows: list[tuple[type[models.Model], list[models.Model]]]

    @classmethod
    def capture(cls, load: Callable[[], object]) -> Snapshot:
        """Run ``load`` in a transaction that is rolled back, keeping the rows it added.

        The database is left as it was. ``load`` may only add rows: a row it
        changed would come back unchanged."""
        tables = _tables()
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in tables}
        rows = []
        try:
            with transaction.atomic():
                load()
                for model in tables:
                    added = [
                        row for row in model._base_manager.all() if row.pk not in before[model]
                    ]
                    if added:
                        rows.append((model, added))
                raise _Rollback
        except _Rollback:
            pass
        for model, _added in rows:
            for field in model._meta.concrete_fields:
                # Content types and permissions get new ids when a transactional
                # test flushes the database: rows pointing at them cannot come back.
                if field.is_relation and field.related_model in (ContentType, Permission):
                    raise ValueError(f"{model.__name__}.{field.name} cannot be snapshotted")
        return cls(rows)

    def restore(self) -> None:
        """Insert the captured rows again, with their ids, and move the id sequences
        past them (PostgreSQL; SQLite's AUTOINCREMENT follows by itself)."""
        with transaction.atomic():
            for model, added in self.rows:
                model._base_manager.bulk_create([copy.copy(row) for row in added])
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [model for model, _added in self.rows]
                ):
                    cursor.execute(sql)
