from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogue meetings")

    def ready(self) -> None:
        from chasing import registry

        from . import chase

        registry.register("dialogues", chase.sweep)
