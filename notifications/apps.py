from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import delivery
        from .models import EmailOutbox
        from .outbox import enqueue_emails

        delivery.register(EmailOutbox, enqueue_emails)
