"""Downloads: every file the app serves goes through Django's FileResponse,
which writes the Content-Disposition header itself (RFC 6266, so a
Vietnamese file name survives)."""

from __future__ import annotations

import io

from django.http import FileResponse, HttpRequest, HttpResponse

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
    return FileResponse(
        io.BytesIO(content),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )


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
