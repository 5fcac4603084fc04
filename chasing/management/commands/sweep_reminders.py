from django.core.management.base import BaseCommand

from chasing import services


class Command(BaseCommand):
    help = "Run the reminder sweep now (the scheduler runs it hourly); the worker sends."

    def handle(self, *args, **options) -> None:
        result = services.sweep()
        self.stdout.write(
            f"{len(result.reminders)} reminder(s) and {len(result.escalations)} escalation(s) "
            f"queued; {result.failed_stale} interrupted send(s) marked failed."
        )
