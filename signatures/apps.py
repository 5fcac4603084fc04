from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Digital signatures")

    def ready(self) -> None:
        from documents import signing
        from notifications import delivery
        from reports import registry

        from . import panels, services

        signing.register("signatures", final=services.document_final, signed=services.signed_file)
        registry.register_attachment_notes(panels.attachment_notes)
        delivery.register_sweep("signatures.signing", services.requeue_lost_signings)
