"""Reminders to units that have not reported yet, and escalation to the level above."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Plan
from documents.responses import unguessable_path
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


class ExportStatus(models.TextChoices):
    # A context of their own: "Queued" and "Failed" of reminders mean sending.
    QUEUED = "queued", pgettext_lazy("board export", "Queued")
    RUNNING = "running", pgettext_lazy("board export", "Being written")
    DONE = "done", pgettext_lazy("board export", "Ready")
    FAILED = "failed", pgettext_lazy("board export", "Failed")


# A job still unfinished this long after it was asked for is lost: its page
# offers to start again, and it is neither reused nor queued again.
EXPORT_STALE_AFTER = datetime.timedelta(hours=1)
EXPORT_KEPT_FOR = datetime.timedelta(days=1)  # then the file and its job are deleted


def export_path(instance: BoardExport, filename: str) -> str:
    return unguessable_path(f"board-exports/{instance.plan_id}", filename)


class BoardExport(models.Model):
    """The XLSX export of a large progress board, written in the background
    (chasing.tasks.build_board_export) for the user who asked, as that user
    sees the board, with the filters they chose."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="board_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    filters = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10)
    # board_tree.fingerprint of what the user's board showed when asked: a
    # job of the same data is reused rather than written again.
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=export_path, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    queued_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("progress board export")
        verbose_name_plural = _("progress board exports")
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.plan} · {self.requested_by} · {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def is_lost(self) -> bool:
        return not self.is_finished and self.created < timezone.now() - EXPORT_STALE_AFTER

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        # The rows written are most of the work; saving the workbook is the rest.
        return min(95, 95 * self.rows_done // self.rows_total)

    @property
    def download_name(self) -> str:
        return f"tien-do-{self.plan.number}.xlsx"

    # --- State changes: small UPDATEs, so a polling page sees them at once
    # and two workers never write the same export. -------------------------

    @classmethod
    def claim(cls, export_id: int) -> bool:
        """Take a queued job for this worker; False if another one has it."""
        claimed = cls.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.RUNNING, claimed_at=timezone.now(), rows_done=0
        )
        return claimed == 1

    def set_progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` rows written; never backwards."""
        self.rows_done, self.rows_total = done, total
        BoardExport.objects.filter(pk=self.pk).update(
            rows_done=Greatest(F("rows_done"), done), rows_total=total
        )

    def finish(self, content: bytes) -> None:
        name = f"tien-do-{self.plan.number}-{self.pk}.xlsx"
        self.file.save(name, ContentFile(content), save=False)
        self.status, self.finished_at, self.error = ExportStatus.DONE, timezone.now(), ""
        self.rows_done = self.rows_total
        self.save(update_fields=["file", "status", "finished_at", "error", "rows_done"])

    def fail(self, message: str) -> None:
        self.status, self.error, self.finished_at = ExportStatus.FAILED, message, timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])
