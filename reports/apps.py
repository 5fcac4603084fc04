from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Unit reports")

    def ready(self) -> None:
        from campaigns import registry

        from . import services

        registry.published.register("reports", services.open_reports)
        registry.unlocked.register("reports", services.end_reopenings)
        registry.outline_adopted.register("reports", services.move_answers_to_plan)
        registry.leaving.register("reports", services.withdraw_reports)

        from orgunits.registry import register_merger

        register_merger(services.keep_names_of_merged)
