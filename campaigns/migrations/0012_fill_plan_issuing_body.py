"""Existing plans are issued by a body of their unit, and print what they printed.

A plan signed for its unit's standing committee (the phrase of the unit's
default body) gets the default body; a plan signed for another body
("T/M BAN CHỈ ĐẠO", "T/M THƯỜNG TRỰC") gets a body of that name, created
once per unit. The plan keeps its own superior line, symbol and signature;
its issuer line is the unit's name, as it was printed.
"""

import re

from django.db import migrations

_BODIES = {
    "BAN THƯỜNG VỤ": "Ban Thường vụ",
    "BAN CHẤP HÀNH": "Ban Chấp hành",
    "BAN CHỈ ĐẠO": "Ban Chỉ đạo",
    "BAN CÁN SỰ ĐẢNG": "Ban cán sự đảng",
    "THƯỜNG TRỰC": "Thường trực",
    "ĐẢNG ĐOÀN": "Đảng đoàn",
}
_ON_BEHALF_RE = re.compile(r"^\s*(T/M|K/T|T/L|TM\.?|KT\.?|TL\.?|Q\.)\s*", re.IGNORECASE)
_AUTHORITIES = {"TM": "T/M", "KT": "K/T", "TL": "T/L"}


def _key(text):
    import unicodedata

    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))


def legacy_phrase(sign_on_behalf, unit_name):
    """The phrase the plan printed before bodies were records (orgunits.issuers then)."""
    body = _ON_BEHALF_RE.sub("", sign_on_behalf or "").strip()
    if not body:
        return unit_name
    words = body.split()
    known = _BODIES.get(" ".join(words).upper())
    if known is None:
        lowered = [word.lower() for word in words]
        capitals = 2 if lowered[0] == "ban" else 1
        known = " ".join(w.capitalize() if i < capitals else w for i, w in enumerate(lowered))
    if _key(unit_name).startswith(_key(known)):
        return unit_name
    return f"{known} {unit_name}"


def fill(apps, schema_editor):
    Plan = apps.get_model("campaigns", "Plan")
    IssuingBody = apps.get_model("orgunits", "IssuingBody")
    bodies = {}  # (unit id, phrase) -> body
    for body in IssuingBody.objects.all():
        bodies.setdefault((body.unit_id, body.phrase), body)
    for plan in Plan.objects.select_related("issuing_unit").order_by("pk"):
        unit = plan.issuing_unit
        phrase = legacy_phrase(plan.sign_on_behalf, unit.name)
        body = bodies.get((unit.pk, phrase))
        if body is None:
            match = _ON_BEHALF_RE.match(plan.sign_on_behalf or "")
            authority = ""
            if match:
                word = match.group(1).upper().rstrip(".").replace("/", "")
                authority = _AUTHORITIES.get(word, match.group(1).upper())
            sign_for = _ON_BEHALF_RE.sub("", plan.sign_on_behalf or "").strip().upper()
            body = IssuingBody.objects.create(
                unit_id=unit.pk,
                kind="steering_committee" if "CHỈ ĐẠO" in sign_for else "other",
                name="",
                phrase=phrase,
                symbol=plan.issuer_symbol or unit.symbol,
                authority=authority if sign_for else "",
                sign_for=sign_for,
                signer_position=plan.signer_position,
                signer_name=plan.signer_name,
                position=len([k for k in bodies if k[0] == unit.pk]) + 1,
                is_default=not IssuingBody.objects.filter(
                    unit_id=unit.pk, is_default=True
                ).exists(),
            )
            bodies[(unit.pk, phrase)] = body
        plan.issuing_body_id = body.pk
        plan.issuer_line = unit.name.upper()
        plan.save(update_fields=["issuing_body", "issuer_line"])


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0011_plan_issuing_body"),
        ("orgunits", "0004_default_issuing_bodies"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
