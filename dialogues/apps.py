from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogue meetings")

    def ready(self) -> None:
        from campaigns.selectors import PLAN_NUMBER_REGISTERS
        from chasing import registry

        from . import chase, selectors

        registry.register("dialogues", chase.sweep)
        PLAN_NUMBER_REGISTERS.append(selectors.plan_numbers_taken)
