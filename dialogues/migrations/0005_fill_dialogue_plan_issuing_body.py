"""Existing dialogue plans are numbered in their unit's default body's register."""

from django.db import migrations


def fill(apps, schema_editor):
    DialoguePlan = apps.get_model("dialogues", "DialoguePlan")
    IssuingBody = apps.get_model("orgunits", "IssuingBody")
    defaults = dict(IssuingBody.objects.filter(is_default=True).values_list("unit_id", "pk"))
    for plan in DialoguePlan.objects.filter(issuing_body__isnull=True):
        plan.issuing_body_id = defaults.get(plan.unit_id)
        plan.save(update_fields=["issuing_body"])


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0004_dialogue_plan_issuing_body"),
        ("orgunits", "0004_default_issuing_bodies"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
