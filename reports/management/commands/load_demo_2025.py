from django.core.management.base import BaseCommand, CommandError

from orgunits import demo2025
from reports import demo2025 as campaign


class Command(BaseCommand):
    help = (
        "Load the second demo province, without districts (since 1 July 2025): its communes, "
        "users, a campaign straight from the province to the communes, and two communes merged "
        "in mid-campaign (idempotent; beside the first demo province)."
    )

    def handle(self, *args, **options) -> None:
        try:
            made = campaign.load()
        except campaign.DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo province 2025: {made['units']} units ({made['created']} added)."
            )
        )
        if made["plan"] is not None:
            number = made["plan"].number_symbol
            self.stdout.write(f"Campaign: plan {number}, communes due in 5 days.")
        else:
            self.stdout.write("The 2025 demo campaign exists already.")
        merger = made["merger"]
        if merger is not None:
            names = ", ".join(unit.name for unit in merger.merged_units.order_by("path"))
            into = merger.resulting_unit.name
            self.stdout.write(f"Merged on {merger.merged_on.isoformat()}: {names} → {into}.")
        self.stdout.write(f"Demo users (password: {demo2025.PASSWORD}):")
        for username, whole_name, unit_code, role in demo2025.USERS:
            self.stdout.write(f"  {username:16} {role:12} {whole_name} ({unit_code})")
