"""Files attached to a unit report: the signed scan of the paper report, annexes.

An upload is judged by its content, never by its name: the first bytes say
what it is (``filetype``), a ZIP must really be a Word or Excel document
without macros, and so must an OLE2 compound file (the .doc and .xls of Office
97–2003, which many communes still use). A renamed program or archive is
refused whatever it is called; a name that promises a Word or Excel document
whose content is something else is refused too, as the user is surely
attaching the wrong file.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile

import filetype
import olefile
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
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"
SPREADSHEETS = {"xls", "xlsx"}
# What a name's extension promises, by family: a .doc holding a .docx is fine
# (people rename files), a .doc holding a PDF is the wrong file.
FAMILIES = {
    "doc": "word",
    "docx": "word",
    "xls": "excel",
    "xlsx": "excel",
}

# The signature of an OLE2 compound file (Office 97–2003, but also installers).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# (extension, the stream that makes the document) of an OLE2 Office file;
# "Book" is the workbook stream of Excel 5/95.
OLE_DOCUMENTS = [("doc", ("worddocument",)), ("xls", ("workbook", "book"))]
# Storages and streams that hold VBA macros: Word's "Macros", Excel's
# "_VBA_PROJECT_CUR", and the VBA project inside them.
OLE_MACRO_NAMES = {"macros", "_vba_project_cur", "_vba_project", "vba"}

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
            "Only PDF, JPG, PNG, Word (.doc, .docx) and Excel (.xls, .xlsx) files can be "
            "attached, and this file's content is none of them."
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
        raise _macros_refused()
    for extension, main_part, main_type in OFFICE_DOCUMENTS:
        if main_part in names and main_type in content_types:
            return extension
    raise _not_allowed()


def _macros_refused() -> ValidationError:
    return ValidationError(
        _(
            "Documents with macros cannot be attached; save the file as a plain "
            "Word (.doc, .docx) or Excel (.xls, .xlsx) document without macros."
        ),
        code="macros",
    )


def _ole_extension(upload: UploadedFile) -> str:
    """ "doc" or "xls" for a genuine, macro-free Office 97–2003 document."""
    try:
        with olefile.OleFileIO(upload) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except Exception as e:  # noqa: BLE001 - a hostile file may break the parser anyhow
        raise _not_allowed() from e
    finally:
        upload.seek(0)
    names = {part.lower() for path in entries for part in path}
    if names & OLE_MACRO_NAMES:
        raise _macros_refused()
    top_level = {path[0].lower() for path in entries if len(path) == 1}
    for extension, streams in OLE_DOCUMENTS:
        if top_level.intersection(streams):
            return extension
    raise _not_allowed()


def _check_name_matches(upload_name: str, extension: str) -> None:
    """Refuse a file named as a Word or Excel document whose content is not one."""
    named = os.path.splitext(upload_name or "")[1].lstrip(".").lower()
    promised = FAMILIES.get(named)
    if promised and promised != FAMILIES.get(extension):
        raise ValidationError(
            _(
                "The file is named “.%(named)s” but its content is not a %(family)s "
                "document: check that you chose the right file."
            )
            % {"named": named, "family": "Word" if promised == "word" else "Excel"},
            code="name_mismatch",
        )


def default_kind(report: Report, extension: str, *, has_signed_scan: bool | None = None) -> str:
    """The kind an upload is filed under when the user leaves it to the file.

    The first PDF of a report is its signed, stamped scan; a spreadsheet is an
    annex of figures; anything else is an annex. ``has_signed_scan`` spares a
    query when the caller knows it.
    """
    if extension == "pdf":
        if has_signed_scan is None:
            has_signed_scan = report.attachments.filter(kind=AttachmentKind.SIGNED_SCAN).exists()
        if not has_signed_scan:
            return AttachmentKind.SIGNED_SCAN
    if extension in SPREADSHEETS:
        return AttachmentKind.FIGURES
    return AttachmentKind.ANNEX


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
    if head.startswith(OLE_MAGIC):
        extension = _ole_extension(upload)
    else:
        guess = filetype.guess(head)
        extension = guess.extension if guess else ""
        if extension == "apng":  # an animated PNG is a PNG
            extension = "png"
        if extension in ZIP_GUESSES:
            extension = _office_extension(upload)
    if extension not in ALLOWED:
        raise _not_allowed()
    _check_name_matches(upload.name, extension)
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


# The kind left to the file: see default_kind.
KIND_FROM_FILE = ""


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[(KIND_FROM_FILE, gettext_lazy("From the file")), *AttachmentKind.choices],
        initial=KIND_FROM_FILE,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "visually-hidden"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, JPG, PNG, Word (.doc, .docx) or Excel (.xls, .xlsx), up to %(limit)s."
        ) % {"limit": filesizeformat(settings.REPORT_ATTACHMENT_MAX_BYTES)}


# --- Changes; who may make them is checked by the views. -------------------


def check_attachments_open(report: Report) -> None:
    """Attachments change while the report is being written and its plan is open.

    Raises WorkflowError with a message for the user.
    """
    report.require_changeable()


def attachment_create(
    *, report: Report, upload: UploadedFile, kind: str = KIND_FROM_FILE, by: AbstractBaseUser
) -> Attachment:
    """Attach ``upload``; an empty ``kind`` is chosen from the file (default_kind)."""
    if not can(by, "reports.edit_report", report):
        raise PermissionDenied
    check_attachments_open(report)
    extension, content_type = check_upload(upload)
    return store_attachment(
        report=report,
        upload=upload,
        extension=extension,
        content_type=content_type,
        kind=kind,
        by=by,
    )


def store_attachment(
    *,
    report: Report,
    upload: UploadedFile,
    extension: str,
    content_type: str,
    kind: str = KIND_FROM_FILE,
    by: AbstractBaseUser,
) -> Attachment:
    """Store an upload ``check_upload`` accepted (``extension``, ``content_type``)
    as an attachment of ``report``; who may is the caller's to check."""
    kind = kind or default_kind(report, extension)
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
