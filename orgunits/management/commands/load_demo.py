from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orgunits import demo
from orgunits.bodies import save_body
from orgunits.models import IssuingBody, Level, Membership, OrgUnit, Term
from orgunits.services import COLUMNS, import_orgunits
from orgunits.tables import write_csv


class Command(BaseCommand):
    help = "Load the demo province, its levels and one demo user per role (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for code, name, rank in demo.LEVELS:
            Level.objects.update_or_create(code=code, defaults={"name": name, "rank": rank})
        for name, starts_on, ends_on in demo.TERMS:
            Term.objects.update_or_create(
                name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
            )
        data = write_csv([key for key, _label in COLUMNS], demo.tree_rows())
        result = import_orgunits(data=data)
        if not result.ok:
            raise CommandError("\n".join(str(error) for error in result.errors))

        self._load_bodies()

        User = get_user_model()
        units = OrgUnit.objects.in_bulk([row[3] for row in demo.USERS], field_name="code")
        for username, last_name, first_name, unit_code, role in demo.USERS:
            # The whole name in first_name (Họ và tên): get_full_name() shows "Rơ Mah Thị Hạnh".
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": f"{last_name} {first_name}",
                    "last_name": "",
                    "email": f"{username}@gialai.dcs.vn",
                },
            )
            if created:
                user.set_password(demo.PASSWORD)
                user.save(update_fields=["password"])
            elif user.first_name == f"{first_name} {last_name}":
                # Loaded when Họ was kept in first_name: the migration that joined
                # the two fields (people 0002) turned this demo name round.
                user.first_name = f"{last_name} {first_name}"
                user.save(update_fields=["first_name"])
            Membership.objects.get_or_create(user=user, unit=units[unit_code], role=role)
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={
                "is_staff": True,
                "is_superuser": True,
                "email": "admin@gialai.dcs.vn",
                "first_name": "Quản trị",
            },
        )
        if created:
            admin.set_password(demo.PASSWORD)
            admin.save(update_fields=["password"])

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo province: {OrgUnit.objects.count()} units "
                f"({result.created} added, {result.updated} updated)."
            )
        )
        self.stdout.write(f"Demo users (password: {demo.PASSWORD}):")
        for username, _last, _first, unit_code, role in demo.USERS:
            self.stdout.write(f"  {username:16} {role:12} {units[unit_code].name}")
        self.stdout.write(f"  {'admin':16} {'superuser':12} (Django admin)")

    def _load_bodies(self) -> None:
        """The demo's bodies beyond the defaults: the province's Ban Dân vận, the
        bloc committee's steering committee; and the defaults' signers."""
        units = OrgUnit.objects.in_bulk({row[0] for row in demo.BODIES}, field_name="code")
        for (
            code,
            kind,
            name,
            phrase,
            symbol,
            authority,
            sign_for,
            position,
            signer,
            default,
        ) in demo.BODIES:
            unit = units[code]
            body = (
                IssuingBody.objects.filter(unit=unit, is_default=True).first()
                if default
                else IssuingBody.objects.filter(unit=unit, phrase=phrase).first()
            ) or IssuingBody(unit=unit)
            body.kind, body.name, body.phrase, body.symbol = kind, name, phrase, symbol
            body.authority, body.sign_for, body.signer_position = authority, sign_for, position
            body.signer_name, body.is_default = signer, default
            save_body(body=body)
