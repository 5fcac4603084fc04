"""A unit's report as a document: PDF, DOCX and the printable preview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify

from orgunits.access import can

from . import output
from .models import Report
from .selectors import get_report_for_user

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report_to_download(request: HttpRequest, pk: int) -> Report:
    report = get_report_for_user(request.user, pk)
    if not can(request.user, "reports.download_report", report):
        raise Http404("No such report.")
    return report


def _filename(report: Report, extension: str) -> str:
    return f"bao-cao-{slugify(report.unit.code)}.{extension}"


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_to_download(request, pk)
    response = HttpResponse(output.pdf(report), content_type="application/pdf")
    disposition = "inline" if request.GET.get("inline") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{_filename(report, "pdf")}"'
    return response


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_to_download(request, pk)
    response = HttpResponse(output.docx(report), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "docx")}"'
    return response


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as HTML with the print stylesheet: the printable preview."""
    report = _report_to_download(request, pk)
    return HttpResponse(output.render_html(report, for_browser=True))
