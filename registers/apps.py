from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = _("Document registers")

    def ready(self) -> None:
        from campaigns import registry

        from . import panels

        registry.plan_panels.register("registers", panels.plan_panel)
