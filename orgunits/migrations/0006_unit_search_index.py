"""Unit pickers search ``search_text``: filled for every unit, indexed.

On PostgreSQL the pg_trgm extension and a trigram GIN index make
``search_text LIKE '%word%'`` an index scan at any tree size; other databases
get the plain index only (the two PostgreSQL steps do nothing there).
"""

import unicodedata

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEX = "orgunit_search_trgm"


def _search_key(text: str) -> str:
    # orgunits.text.search_key as of this migration.
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def fill_search_text(apps, schema_editor):
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    changed = []
    for unit in OrgUnit.objects.only("id", "code", "name", "short_name", "search_text").iterator(
        chunk_size=2000
    ):
        text = _search_key(" ".join(filter(None, [unit.code, unit.name, unit.short_name])))
        if unit.search_text != text:
            unit.search_text = text
            changed.append(unit)
    OrgUnit.objects.bulk_update(changed, ["search_text"], batch_size=1000)


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON orgunits_orgunit "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("orgunits", "0005_unit_code_validated"),
    ]

    operations = [
        TrigramExtension(),  # PostgreSQL only: Django skips it elsewhere
        migrations.AddIndex(
            model_name="orgunit",
            index=models.Index(fields=["search_text"], name="orgunit_search_text"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
