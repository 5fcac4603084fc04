from django.core.management.base import BaseCommand

from dialogues.demo import load_dialogues


class Command(BaseCommand):
    help = "Create the demo district's dialogue plan, meetings and petitions (after load_demo)."

    def handle(self, *args, **options) -> None:
        plan = load_dialogues()
        if plan is None:
            self.stdout.write("The demo dialogues exist already.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demo dialogues: {plan}."))
