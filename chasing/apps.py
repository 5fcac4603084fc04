from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChasingConfig(AppConfig):
    name = "chasing"
    verbose_name = _("Reminders")
