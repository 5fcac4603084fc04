"""Writes of the registers: entering a document received, attaching files to
a plan. Who may is checked here too (``rules.py``)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaigns.models import Plan
from orgunits.access import can
from orgunits.models import OrgUnit
from reports.attachments import attachment_names, check_upload

from .models import IncomingDocument, IncomingFile, PlanFile, StoredFile
from .selectors import next_incoming_number

ENTRY_FIELDS = [
    "number",
    "received_on",
    "sender",
    "symbol",
    "document_date",
    "summary",
    "plan",
    "routed_to",
    "note",
]


def _store(stored: StoredFile, upload: UploadedFile, by: AbstractBaseUser) -> StoredFile:
    """Check ``upload`` by its content and store it under a random name."""
    extension, content_type = check_upload(upload)  # ValidationError
    shown, _safe = attachment_names(upload.name, extension)
    stored.original_name = shown
    stored.content_type = content_type
    stored.size = upload.size
    stored.uploaded_by = by
    stored.file.save(f"file.{extension}", upload, save=False)
    try:
        stored.save()
    except Exception:
        stored.file.delete(save=False)
        raise
    return stored


def number_taken(unit: OrgUnit, year: int, number: int) -> ValidationError:
    return ValidationError(
        _(
            "Incoming number %(number)s of %(year)s is already used in the register of "
            "%(unit)s; the next free one is %(next)s."
        )
        % {
            "number": number,
            "year": year,
            "unit": unit.name,
            "next": next_incoming_number(unit, year),
        },
        code="number_taken",
    )


def record_incoming(
    *, unit: OrgUnit, by: AbstractBaseUser, values: dict, files: list[UploadedFile] = ()
) -> IncomingDocument:
    """Enter a document received by ``unit`` in its register; without a
    number, the next one of its year. The scans are checked before anything
    is written."""
    if not can(by, "registers.keep_register", unit):
        raise PermissionDenied
    routed_to = values.get("routed_to")
    if routed_to is not None and routed_to.unit_id != unit.pk:
        raise ValidationError(
            _("The document can only be routed to a body of %(unit)s.") % {"unit": unit.name}
        )
    plan = values.get("plan")
    if plan is not None and not can(by, "campaigns.view_plan", plan):
        raise PermissionDenied
    for upload in files:
        check_upload(upload)
    entry = IncomingDocument(
        unit=unit, recorded_by=by, **{k: v for k, v in values.items() if k in ENTRY_FIELDS}
    )
    year = entry.received_on.year
    stored = []
    try:
        with transaction.atomic():
            if not entry.number:
                entry.number = next_incoming_number(unit, year)
            try:
                with transaction.atomic():
                    entry.save()
            except IntegrityError as e:
                raise number_taken(unit, year, entry.number) from e
            for upload in files:
                stored.append(_store(IncomingFile(document=entry), upload, by))
    except Exception:
        for file in stored:
            file.file.delete(save=False)
        raise
    return entry


def attach_to_plan(*, plan: Plan, upload: UploadedFile, by: AbstractBaseUser) -> PlanFile:
    if not can(by, "campaigns.manage_plan", plan):
        raise PermissionDenied
    return _store(PlanFile(plan=plan), upload, by)


def detach_from_plan(*, file: PlanFile, by: AbstractBaseUser) -> None:
    if not can(by, "campaigns.manage_plan", file.plan):
        raise PermissionDenied
    storage, name = file.file.storage, file.file.name
    file.delete()
    transaction.on_commit(lambda: storage.delete(name))
