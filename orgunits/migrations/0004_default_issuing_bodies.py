"""Every unit gets its default issuing body, by its kind (orgunits.issuers)."""

from django.db import migrations

from orgunits.issuers import default_body_values


def create_defaults(apps, schema_editor):
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    IssuingBody = apps.get_model("orgunits", "IssuingBody")
    have = set(IssuingBody.objects.filter(is_default=True).values_list("unit_id", flat=True))
    bodies = [
        IssuingBody(
            unit_id=unit.pk,
            **default_body_values(name=unit.name, kind=unit.kind, symbol=unit.symbol),
        )
        for unit in OrgUnit.objects.exclude(pk__in=have).only("id", "name", "kind", "symbol")
    ]
    IssuingBody.objects.bulk_create(bodies, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("orgunits", "0003_issuing_bodies")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
