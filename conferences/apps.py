from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = _("Review conferences")

    def ready(self) -> None:
        from campaigns import registry as campaign_registry
        from chasing import registry as chasing_registry
        from notifications import delivery

        from . import chase, panels
        from .models import ConferenceReminder

        chasing_registry.register("conferences", chase.sweep)
        delivery.register(ConferenceReminder, chase.enqueue_sends)
        campaign_registry.plan_panels.register("conferences", panels.plan_panel)
        chasing_registry.board_lines.register("conferences", panels.board_line)
