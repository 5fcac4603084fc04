"""The attachments card of a report: list, upload, delete, download.

Every change answers an htmx request with the refreshed card, and a plain form
post with a redirect back to the page it came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from config.http import safe_next
from documents.responses import stored_file_response
from orgunits.access import can

from . import attachments, registry
from .attachments import AttachmentForm, check_attachments_open
from .models import Attachment, AttachmentKind, Report, WorkflowError
from .selectors import get_report_for_user

CARD_TEMPLATE = "reports/_attachments.html"


def card_context(
    request: HttpRequest, report: Report, *, error: str = "", form: AttachmentForm | None = None
) -> dict:
    """What ``reports/_attachments.html`` needs; the report page includes it too."""
    locked_reason = ""
    writer = can(request.user, "reports.edit_report", report)
    if writer:
        try:
            check_attachments_open(report)
        except WorkflowError as e:
            locked_reason = str(e)
    files = list(report.attachments.select_related("uploaded_by"))
    notes = registry.attachment_notes(files)
    for file in files:
        file.note = notes.get(file.pk, "")
    return {
        "report": report,
        "attachments": files,
        # The first PDF is filed as the signed copy until there is one.
        "has_signed_scan": any(file.kind == AttachmentKind.SIGNED_SCAN for file in files),
        "can_edit": writer and not locked_reason,
        "locked_reason": locked_reason,
        "error": error,
        "form": form or AttachmentForm(),
        "next": (request.htmx.current_url_abs_path if request.htmx else safe_next(request)) or "",
    }


def _respond(
    request: HttpRequest, report: Report, *, error: str = "", form: AttachmentForm | None = None
) -> HttpResponse:
    """After a change (or a refused one): the card for htmx, else a redirect."""
    if request.htmx:
        return render(request, CARD_TEMPLATE, card_context(request, report, error=error, form=form))
    if error:
        messages.error(request, error)
    return redirect(safe_next(request) or reverse("reports:detail", args=[report.pk]))


@login_required
@require_GET
def attachment_list(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return render(request, CARD_TEMPLATE, card_context(request, report))


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, action="reports.edit_report")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        error = " ".join(message for errors in form.errors.values() for message in errors)
        return _respond(request, report, error=error, form=form)
    try:
        attachments.attachment_create(
            report=report,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
    except ValidationError as e:
        return _respond(request, report, error=" ".join(e.messages), form=form)
    except WorkflowError as e:
        return _respond(request, report, error=str(e))
    return _respond(request, report)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, action="reports.edit_report")
    attachment = get_object_or_404(Attachment, pk=attachment_id, report=report)
    attachment.report = report  # the checks read the report and its plan; spare the queries
    try:
        attachments.attachment_delete(attachment=attachment, by=request.user)
    except WorkflowError as e:
        return _respond(request, report, error=str(e))
    return _respond(request, report)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    if not can(request.user, "reports.download_report", report):
        raise Http404("No such report.")
    attachment = get_object_or_404(Attachment, pk=attachment_id, report=report)
    return stored_file_response(attachment.file, attachment.original_name, attachment.content_type)
