from django.core.management.base import BaseCommand

from reports.demo import load_campaign


class Command(BaseCommand):
    help = "Publish a demo review campaign on the demo province (run load_demo first)."

    def handle(self, *args, **options) -> None:
        plan = load_campaign()
        if plan is None:
            self.stdout.write("The demo campaign exists already.")
            return
        message = f"Demo campaign: plan {plan.number_symbol}, grassroots deadline 4 days ago."
        self.stdout.write(self.style.SUCCESS(message))
