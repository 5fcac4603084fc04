"""Thin tasks: webhooks through the one sender (notifications.delivery)."""

from __future__ import annotations

from celery import shared_task

from notifications import delivery
from notifications.delivery import RETRIES
from notifications.models import DeliveryStatus

from . import webhooks
from .models import WebhookDelivery


@shared_task(bind=True, max_retries=RETRIES, time_limit=300, soft_time_limit=270)
def send_webhooks(self, ids: list[int]) -> int:
    """POST each webhook row once, whoever runs this task (the claim)."""
    return delivery.deliver(self, WebhookDelivery, ids, webhooks.outgoing)[DeliveryStatus.SENT]
