from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API for e-office systems")

    def ready(self) -> None:
        from campaigns import registry as plan_registry
        from notifications import delivery
        from reports import registry as report_registry

        from . import schema, webhooks  # noqa: F401 (schema: the token in the OpenAPI)
        from .models import WebhookDelivery

        # Events told to the clients' webhooks, in the transaction of the step.
        plan_registry.published.register("api", webhooks.plan_published)
        report_registry.register_moved("api", webhooks.report_moved)
        # The minute sweep retries what failed or was interrupted.
        delivery.register(WebhookDelivery, webhooks.enqueue_ids)
