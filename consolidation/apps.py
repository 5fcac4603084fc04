from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsolidationConfig(AppConfig):
    name = "consolidation"
    verbose_name = _("Consolidation")

    def ready(self) -> None:
        from reports import registry

        from . import selectors

        registry.register_below(selectors.answers_below)
