"""Downloads: every file the app serves goes through this module.

Generated content goes through Django's FileResponse, which writes the
Content-Disposition header itself (RFC 6266, so a Vietnamese file name
survives). Stored files (attachments, consolidated builds) are never routed
as ``MEDIA_URL``: a view checks access, then ``stored_file_response`` sends
the file, itself or, with ``FILE_SENDFILE`` = "nginx" / "apache", through the
web server (X-Accel-Redirect / X-Sendfile) with the same headers.
"""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header

from .content import OfficialDocument
from .html import render_html
from .rendering import DOCX, PDF, render

PRINT = "print"  # the print HTML in the browser: the printable preview

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {PDF: PDF_CONTENT_TYPE, DOCX: DOCX_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def file_download(
    content: bytes, filename: str, content_type: str, *, inline: bool = False
) -> FileResponse:
    """``content`` served as ``filename``: saved by the browser, or shown if ``inline``."""
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
    if inline and content_type == PDF_CONTENT_TYPE:
        # The browser's own PDF viewer shows it: the page policy is not for it.
        response._csp_exempt = True
    return response


SENDFILE_MODES = ("none", "nginx", "apache")


def unguessable_path(folder: str, filename: str) -> str:
    """``folder/<22 random characters>/filename``: a stored file's name that
    nobody can guess from the campaign, the unit and the build's number (the
    upload_to of every FileField). Files stored before keep their names."""
    return f"{folder}/{secrets.token_urlsafe(16)}/{filename}"


def stored_file_response(
    file: FieldFile, filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse:
    """The stored ``file`` (a FileField's value) served as ``filename``.

    Call it only after checking that the user may read the file. A file
    missing from storage is a 404. ``settings.FILE_SENDFILE``: "none" streams
    it from Django; "nginx" answers an empty response with
    ``X-Accel-Redirect: <FILE_SENDFILE_PREFIX><name>`` (an ``internal``
    location of nginx aliased to MEDIA_ROOT); "apache" answers
    ``X-Sendfile: <absolute path>`` (mod_xsendfile).
    """
    mode = getattr(settings, "FILE_SENDFILE", "none") or "none"
    if mode not in SENDFILE_MODES:
        raise ImproperlyConfigured(f"FILE_SENDFILE must be one of {SENDFILE_MODES}, not {mode!r}.")
    if not file or not file.name:
        raise Http404("No file.")
    if mode == "none":
        try:
            handle = file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404("The file is missing from storage.") from error
        return FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
    if not file.storage.exists(file.name):
        raise Http404("The file is missing from storage.")
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    if mode == "nginx":
        prefix = getattr(settings, "FILE_SENDFILE_PREFIX", "/protected/")
        response["X-Accel-Redirect"] = iri_to_uri(prefix.rstrip("/") + "/" + file.name)
    else:
        response["X-Sendfile"] = file.path
    return response


def document_response(
    doc: OfficialDocument, fmt: str, filename: str, *, inline: bool = False
) -> FileResponse:
    """``doc`` rendered as ``fmt`` ("pdf" or "docx") and served as ``filename``."""
    return file_download(render(doc, fmt), filename, CONTENT_TYPES[fmt], inline=inline)


def document_view(request: HttpRequest, doc: OfficialDocument, fmt: str, stem: str) -> HttpResponse:
    """What a document's URL answers: the PDF as ``<stem>.pdf`` (shown in the
    page with ``?inline=1``), the DOCX as ``<stem>.docx``, or the print HTML."""
    if fmt == PRINT:
        return HttpResponse(render_html(doc, for_browser=True))
    inline = fmt == PDF and bool(request.GET.get("inline"))
    return document_response(doc, fmt, f"{stem}.{fmt}", inline=inline)
