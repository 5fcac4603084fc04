"""The registers of a unit's office: documents received (sổ văn bản đến),
and files attached to plans.

The outgoing register (sổ văn bản đi) is read from the documents the unit's
bodies issued (plans, reports, dialogue plans): they carry their numbers
already, so it keeps no rows of its own (``selectors.outgoing``).

Files are stored under random names and served only by access-checked views.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Plan
from orgunits.models import IssuingBody, OrgUnit


def _random_name(folder: str, filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def incoming_file_path(instance: IncomingFile, filename: str) -> str:
    return _random_name(f"registers/incoming/{instance.document.unit_id}", filename)


def plan_file_path(instance: PlanFile, filename: str) -> str:
    return _random_name(f"registers/plans/{instance.plan_id}", filename)


class IncomingDocument(models.Model):
    """One entry of a unit's register of documents received: its incoming
    number (số đến, from 1 each year), when and from whom it came, the
    document's own number and date, its summary (trích yếu), and the body of
    the unit it was routed to (e.g. its Ban Dân vận, to draft the plan)."""

    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="incoming_documents", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("incoming number"))
    received_on = models.DateField(_("received on"))
    sender = models.CharField(_("sender"), max_length=255)
    symbol = models.CharField(_("number and symbol of the document"), max_length=60, blank=True)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    summary = models.TextField(_("summary (trích yếu)"))
    plan = models.ForeignKey(
        Plan,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming_entries",
        verbose_name=_("plan in the app"),
    )
    routed_to = models.ForeignKey(
        IssuingBody,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_documents",
        verbose_name=_("routed to"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "-year", "-number"]
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "number"], name="incoming_number_unique_per_year"
            )
        ]
        indexes = [models.Index(fields=["unit", "received_on"])]

    def __str__(self) -> str:
        return f"{self.number}/{self.year} · {self.summary[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.year = self.received_on.year
        super().save(*args, **kwargs)


class StoredFile(models.Model):
    """What every stored file keeps: the name shown, its type and size, who sent it."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class IncomingFile(StoredFile):
    """A scan of a document received."""

    document = models.ForeignKey(IncomingDocument, models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=incoming_file_path, max_length=300)

    class Meta(StoredFile.Meta):
        verbose_name = _("scan of an incoming document")
        verbose_name_plural = _("scans of incoming documents")


class PlanFile(StoredFile):
    """A file its coordinators attach to a plan (the signed plan, an annex, a
    form); everyone who sees the plan may download it."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="attached_files")
    file = models.FileField(_("file"), upload_to=plan_file_path, max_length=300)

    class Meta(StoredFile.Meta):
        verbose_name = _("plan attachment")
        verbose_name_plural = _("plan attachments")
