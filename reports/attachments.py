"""Files attached to a unit report: the signed scan of the paper report, annexes.

An upload is judged by its content, never by its name: the first bytes say
what it is (``filetype``), and a ZIP must really be a Word or Excel document
without macros. A renamed program or archive is refused whatever it is called.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile

import filetype
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgunits.access import can

from .models import Attachment, AttachmentKind, Report

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"

# filetype reads no more than this to recognise a file.
HEAD_BYTES = 8192
# What filetype calls a file that starts like a ZIP; the archive itself decides.
ZIP_GUESSES = {"zip", "docx", "xlsx"}
# (extension, main part, content type of the main part) of an Office Open XML file.
OFFICE_DOCUMENTS = [
    (
        "docx",
        "word/document.xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    (
        "xlsx",
        "xl/workbook.xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
]
# [Content_Types].xml is a few kilobytes; reading no more defuses a zip bomb.
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
MAX_STEM_LENGTH = 150


def _not_allowed() -> ValidationError:
    return ValidationError(
        _(
            "Only PDF, JPG, PNG, Word (.docx) and Excel (.xlsx) files can be attached, "
            "and this file's content is none of them."
        ),
        code="not_allowed",
    )


def _office_extension(upload: UploadedFile) -> str:
    """ "docx" or "xlsx" for a genuine, macro-free Office document in a ZIP."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = {name.lower() for name in archive.namelist()}
            try:
                with archive.open("[Content_Types].xml") as part:
                    content_types = part.read(CONTENT_TYPES_MAX_BYTES)
            except KeyError:
                content_types = b""
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        # RuntimeError: encrypted; NotImplementedError: an unknown compression.
        raise _not_allowed() from e
    finally:
        upload.seek(0)
    if b"macroenabled" in content_types.lower() or any(
        name.endswith("vbaproject.bin") for name in names
    ):
        raise ValidationError(
            _(
                "Documents with macros cannot be attached; save the file as a plain "
                "Word (.docx) or Excel (.xlsx) document."
            ),
            code="macros",
        )
    for extension, main_part, main_type in OFFICE_DOCUMENTS:
        if main_part in names and main_type in content_types:
            return extension
    raise _not_allowed()


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, MIME type) of an acceptable upload; a ValidationError otherwise."""
    limit = settings.REPORT_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    extension = guess.extension if guess else ""
    if extension == "apng":  # an animated PNG is a PNG
        extension = "png"
    if extension in ZIP_GUESSES:
        extension = _office_extension(upload)
    if extension not in ALLOWED:
        raise _not_allowed()
    return extension, ALLOWED[extension]


def attachment_names(upload_name: str, extension: str) -> tuple[str, str]:
    """The name shown and downloaded, and the name stored, both ending in ``extension``.

    Vietnamese letters stay (as composed characters: macOS sends them
    decomposed, and get_valid_filename would drop the loose accents).
    Control and format characters go: no newline reaches a header, no
    right-to-left override disguises the name.
    """
    name = unicodedata.normalize("NFC", upload_name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = os.path.splitext(name)[0]
    stem = "".join(c for c in stem if unicodedata.category(c)[0] != "C")
    stem = " ".join(stem.split())[:MAX_STEM_LENGTH].strip(" .") or _("attachment")
    try:
        safe_stem = get_valid_filename(stem).strip("._")
    except SuspiciousFileOperation:
        safe_stem = ""
    return f"{stem}.{extension}", f"{safe_stem or 'attachment'}.{extension}"


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=AttachmentKind.choices,
        initial=AttachmentKind.ANNEX,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, JPG, PNG, Word (.docx) or Excel (.xlsx), up to %(limit)s."
        ) % {"limit": filesizeformat(settings.REPORT_ATTACHMENT_MAX_BYTES)}


# --- Changes; who may make them is checked by the views. -------------------


def check_attachments_open(report: Report) -> None:
    """Attachments change while the report is being written and its plan is open.

    Raises WorkflowError with a message for the user.
    """
    report.require_changeable()


def attachment_create(
    *, report: Report, upload: UploadedFile, kind: str, by: AbstractBaseUser
) -> Attachment:
    if not can(by, "reports.edit_report", report):
        raise PermissionDenied
    check_attachments_open(report)
    extension, content_type = check_upload(upload)
    shown_name, stored_name = attachment_names(upload.name, extension)
    attachment = Attachment(
        report=report,
        kind=kind,
        original_name=shown_name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(stored_name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment, by: AbstractBaseUser) -> None:
    if not can(by, "reports.edit_report", attachment.report):
        raise PermissionDenied
    check_attachments_open(attachment.report)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # Only once the row is surely gone: a rolled-back request keeps both.
    transaction.on_commit(lambda: storage.delete(name))
