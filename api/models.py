"""Integrating systems (e-office) and what the API sends them.

An ``IntegrationClient`` acts as its own service user: the client's scopes
(a unit and a role each) are that user's memberships, so every check of the
API is the pages' own (``orgunits.access``, each app's ``rules.py``). Its
token is shown once, when made; only its SHA-256 is kept. A webhook is a
``Delivery`` row (``WebhookDelivery``), sent by the one sender and retried by
the minute sweep (``notifications.delivery``).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery
from orgunits.models import OrgUnit, Role

TOKEN_PREFIX = "tk"


class WebhookEvent(models.TextChoices):
    PLAN_PUBLISHED = "plan.published", _("A plan was published")
    REPORT_SUBMITTED = "report.submitted", _("A report was submitted")
    REPORT_RETURNED = "report.returned", _("A report was returned")
    REPORT_ACCEPTED = "report.accepted", _("A report was accepted")


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class IntegrationClient(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="integration_client",
        verbose_name=_("service user"),
        editable=False,
    )
    # The token is "tk_<key>_<secret>": the key finds the row, the secret's
    # SHA-256 is compared (a random 256-bit secret needs no slow hash).
    key = models.CharField(max_length=16, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=120, help_text=_("More is answered 429.")
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    webhook_secret = models.CharField(
        _("webhook secret"),
        max_length=128,
        blank=True,
        help_text=_("Each webhook is signed with it (HMAC-SHA256)."),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("integrating system")
        verbose_name_plural = _("integrating systems")

    def __str__(self) -> str:
        return self.name

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.token_hash, hash_token(secret))

    @property
    def usable(self) -> bool:
        return self.is_active and self.revoked_at is None and self.user.is_active

    def wants(self, event: str) -> bool:
        return bool(self.webhook_url) and self.usable and event in self.events


class ClientScope(models.Model):
    """A unit subtree the client acts in, with a role: its service user's membership."""

    client = models.ForeignKey(IntegrationClient, models.CASCADE, related_name="scopes")
    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("scope")
        verbose_name_plural = _("scopes")
        constraints = [
            models.UniqueConstraint(fields=["client", "unit", "role"], name="client_scope_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}"


class WebhookDelivery(Delivery):
    """One event to one client's webhook: signed when sent, retried on failure."""

    client = models.ForeignKey(IntegrationClient, models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(default=dict)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.client} · {self.event} · {self.pk}"
