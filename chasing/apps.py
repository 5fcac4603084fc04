from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChasingConfig(AppConfig):
    name = "chasing"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from notifications import delivery

        from . import services
        from .models import Reminder

        # The minute sweep finishes interrupted sends and re-queues lost ones.
        delivery.register(Reminder, services.enqueue_ids)
        # Exports whose task was lost are queued again; old ones deleted.
        delivery.register_sweep("chasing.board_exports", services.sweep_board_exports)
