from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogue meetings")

    def ready(self) -> None:
        from campaigns.selectors import PLAN_NUMBER_REGISTERS
        from chasing import registry as chasing_registry
        from notifications import delivery
        from reports import registry as figure_registry

        from . import chase, selectors
        from .models import DialogueReminder

        chasing_registry.register("dialogues", chase.sweep)
        delivery.register(DialogueReminder, chase.enqueue_sends)
        figure_registry.register(selectors.FIGURE_SOURCES, selectors.review_figures)
        PLAN_NUMBER_REGISTERS.append(selectors.plans_in_register)
