"""Reports still being written take the signature of their unit's default body:
the model's old default ("T/M BAN THƯỜNG VỤ / BÍ THƯ") was wrong for a
commune ("T/M ĐẢNG ỦY") or a chi bộ ("T/M CHI BỘ"). Submitted and accepted
reports keep what they were signed with."""

from django.db import migrations

EDITABLE = ["pending", "draft", "returned"]


def fill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    IssuingBody = apps.get_model("orgunits", "IssuingBody")
    defaults = {b.unit_id: b for b in IssuingBody.objects.filter(is_default=True)}
    untouched = Report.objects.filter(
        status__in=EDITABLE, sign_on_behalf="T/M BAN THƯỜNG VỤ", signer_position="BÍ THƯ"
    )
    for report in untouched.iterator():
        body = defaults.get(report.unit_id)
        if body is None:
            continue
        report.sign_on_behalf = f"{body.authority} {body.sign_for}".strip() if body.authority else ""
        report.signer_position = body.signer_position
        report.signer_name = report.signer_name or body.signer_name
        report.save(update_fields=["sign_on_behalf", "signer_position", "signer_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_issuing_body"),
        ("orgunits", "0004_default_issuing_bodies"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
