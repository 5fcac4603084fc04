from django.db import migrations, models
from django.db.models import F


def existing_deadlines_are_days(apps, schema_editor):
    """Every deadline so far was one day: it stays that day, and that day is
    the last one it allows."""
    Deadline = apps.get_model("campaigns", "Deadline")
    Deadline.objects.update(kind="day", last_day=F("due_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0009_remove_plan_text_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="kind",
            field=models.CharField(
                choices=[
                    ("day", "by a day"),
                    ("month", "within a month"),
                    ("period", "over a period"),
                ],
                default="day",
                max_length=10,
                verbose_name="kind of deadline",
            ),
        ),
        migrations.AddField(
            model_name="deadline",
            name="starts_on",
            field=models.DateField(blank=True, null=True, verbose_name="start of the period"),
        ),
        migrations.AddField(
            model_name="deadline",
            name="report_by",
            field=models.DateField(
                blank=True, null=True, verbose_name="send the report to the level above by"
            ),
        ),
        migrations.AddField(
            model_name="deadline",
            name="last_day",
            field=models.DateField(null=True, verbose_name="last day"),
        ),
        migrations.RunPython(existing_deadlines_are_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="deadline",
            name="last_day",
            field=models.DateField(verbose_name="last day"),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="due_on",
            field=models.DateField(verbose_name="finish by"),
        ),
    ]
