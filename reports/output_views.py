"""A unit's report as a document: PDF, DOCX and the printable preview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from . import output
from .models import Report
from .selectors import get_report_for_user

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filename(report: Report, extension: str) -> str:
    return f"bao-cao-{slugify(report.unit.code)}.{extension}"


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    response = HttpResponse(output.pdf(report), content_type="application/pdf")
    disposition = "inline" if request.GET.get("inline") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{_filename(report, "pdf")}"'
    return response


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    response = HttpResponse(output.docx(report), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "docx")}"'
    return response


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as HTML with the print stylesheet: the printable preview."""
    report = get_report_for_user(request.user, pk)
    return HttpResponse(output.render_html(report, for_browser=True))
