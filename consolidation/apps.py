from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsolidationConfig(AppConfig):
    name = "consolidation"
    verbose_name = _("Consolidation")

    def ready(self) -> None:
        from notifications import delivery
        from reports import registry

        from . import selectors, services

        registry.register_below(selectors.answers_below)
        delivery.register_sweep("consolidation.builds", services.requeue_lost_builds)
        delivery.register_sweep("consolidation.pieces", services.requeue_lost_pieces)
