"""Fill ``Answer.text_plain`` of the answers saved before it existed, in batches."""

from django.db import migrations

from documents.richtext import to_plain_text

BATCH = 1000


def fill(apps, schema_editor):
    Answer = apps.get_model("reports", "Answer")
    rows = Answer.objects.exclude(text="").order_by("pk").only("pk", "text")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        for answer in batch:
            answer.text_plain = to_plain_text(answer.text)
        Answer.objects.bulk_update(batch, ["text_plain"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    atomic = False  # each batch is committed: a large table is not one long transaction

    dependencies = [("reports", "0010_answer_text_plain")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
