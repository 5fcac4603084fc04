from django.core.management.base import BaseCommand
from django.utils import timezone

from chasing import registry, services
from notifications import delivery


class Command(BaseCommand):
    help = "Run the reminder sweep now (the scheduler runs it hourly); the worker sends."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        result = services.sweep(now=now)
        self.stdout.write(
            f"{len(result.reminders)} reminder(s) and {len(result.escalations)} escalation(s) "
            "queued."
        )
        for name, counts in registry.run_all(now).items():
            listed = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"
            self.stdout.write(f"{name}: {listed} queued.")
        # What the minute sweep does: interrupted sends, tasks the broker lost.
        for name, counts in delivery.sweep(now).items():
            listed = ", ".join(f"{n} {what}" for what, n in counts.items()) or "nothing to do"
            self.stdout.write(f"{name}: {listed}.")
