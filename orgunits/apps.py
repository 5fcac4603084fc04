from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "orgunits"
    verbose_name = _("Party hierarchy")

    def ready(self) -> None:
        from . import access  # noqa: F401  (its receivers forget roles cached on a user)
