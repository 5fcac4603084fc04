"""Reminders to units that have not reported yet, and escalation to the level above."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Plan
from notifications.models import Delivery, DeliveryStatus  # noqa: F401 (spelled there once)
from orgunits.models import OrgUnit
from reports.models import Report


def default_days_before() -> list[int]:
    return [7, 3, 1]


class ReminderPolicy(models.Model):
    """When a plan's late units are reminded; one per plan, defaults as in the brief."""

    plan = models.OneToOneField(Plan, models.CASCADE, related_name="reminder_policy")
    enabled = models.BooleanField(_("send reminders"), default=True)
    days_before = models.JSONField(
        _("days before the deadline"),
        default=default_days_before,
        help_text=_("e.g. 7, 3, 1: a reminder 7, 3 and 1 days before the unit's deadline."),
    )
    on_due_day = models.BooleanField(_("on the day of the deadline"), default=True)
    overdue_every = models.PositiveSmallIntegerField(
        _("then every … days while overdue"), default=2, help_text=_("0: no reminder once overdue.")
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("escalate after … days overdue"),
        default=3,
        help_text=_("The coordinators of the level above get a digest of their late units."),
    )
    send_hour = models.PositiveSmallIntegerField(
        _("send from (hour)"), default=7, help_text=_("No reminder goes out before this hour.")
    )

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")

    def __str__(self) -> str:
        return str(self.plan)


class ReminderKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")
    MANUAL = "manual", _("Chased by hand")


class Reminder(Delivery):
    """One reminder of one unit at one step of its schedule.

    The unique (plan, unit, step) row is the claim: whoever inserts it sends
    it, so two sweeps or a repeated task never remind a unit twice. The step
    names its due date ("before-3@2026-03-12") so a moved deadline starts a
    fresh schedule.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="reminders")
    report = models.ForeignKey(Report, models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField()
    days_left = models.IntegerField(help_text=_("Negative when overdue."))
    note = models.TextField(_("personal line"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "step"], name="reminder_once_per_step")
        ]
        indexes = [
            models.Index(fields=["status", "claimed_at"]),
            # The board's poll: reminders whose status changed since the last one.
            models.Index(fields=["changed_at"], name="reminder_changed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.step}"

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)
