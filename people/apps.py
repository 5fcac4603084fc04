from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from orgunits import pickers

        from . import signals  # noqa: F401  (a login remembers a required password change)

        # The people pages pick among the active units one coordinates.
        pickers.register("people", pickers.PURPOSES["issuer"])
