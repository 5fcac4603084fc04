"""A unit's report as a document: PDF, DOCX and the printable preview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.text import slugify

from documents.html import render_html
from documents.responses import document_response
from orgunits.access import can

from . import output
from .models import Report
from .selectors import get_report_for_user


def _report_to_download(request: HttpRequest, pk: int) -> Report:
    report = get_report_for_user(request.user, pk)
    if not can(request.user, "reports.download_report", report):
        raise Http404("No such report.")
    return report


def _filename(report: Report, extension: str) -> str:
    return f"bao-cao-{slugify(report.unit.code)}.{extension}"


@login_required
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    report = _report_to_download(request, pk)
    return document_response(
        output.build(report),
        "pdf",
        _filename(report, "pdf"),
        inline=bool(request.GET.get("inline")),
    )


@login_required
def report_docx(request: HttpRequest, pk: int) -> FileResponse:
    report = _report_to_download(request, pk)
    return document_response(output.build(report), "docx", _filename(report, "docx"))


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as HTML with the print stylesheet: the printable preview."""
    report = _report_to_download(request, pk)
    return HttpResponse(render_html(output.build(report), for_browser=True))
