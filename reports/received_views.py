"""The page where a coordinator of the level above records a report that a
unit sent by e-mail or on paper: its files, how and when it arrived, and the
figures typed in from it (the report form's own figure fields)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import FIGURE_TYPES
from documents.formatting import short_date

from . import received, selectors, services
from .attachments import check_upload
from .forms import AnswerForm, ReceivedReportForm
from .models import ReceivedVia, Report, WorkflowError
from .selectors import items_for_unit


def _figure_forms(request: HttpRequest, report: Report) -> list[AnswerForm]:
    """One AnswerForm per figure item the unit answers, bound on a post."""
    years = list(range(report.plan.period_start, report.plan.period_end + 1))
    answers = {a.item_id: a for a in report.answers.all()}
    data = request.POST if request.method == "POST" else None
    return [
        AnswerForm(data, item=row.item, years=years, answer=answers.get(row.item.pk))
        for row in items_for_unit(report)
        if not row.item.is_heading and row.item.answer_type in FIGURE_TYPES
    ]


@login_required
def record_received(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(
        request.user, pk, action="reports.record_received_report", hide=True
    )
    if not report.is_changeable:
        try:
            report.require_changeable()
        except WorkflowError as error:
            messages.error(request, str(error))
        return redirect("reports:detail", report.pk)
    figure_forms = _figure_forms(request, report)
    held = []
    upload_errors: list[str] = []
    if request.method == "POST":
        form = ReceivedReportForm(request.POST, request.FILES, report=report)
        held = received.held_files(
            request.POST.getlist("held"), owner=f"report:{report.pk}", user=request.user
        )
        removed = set(request.POST.getlist("drop"))
        if removed:
            received.release([f for f in held if f.token in removed])
            held = [f for f in held if f.token not in removed]
        valid = form.is_valid()
        figures_valid = all([f.is_valid() for f in figure_forms])
        # Each new upload is checked now: the good ones are held if the page
        # comes back, the others are named with the reason.
        uploads = []
        for upload in request.FILES.getlist("files"):
            try:
                extension, _type = check_upload(upload)
            except ValidationError as e:
                upload_errors.append(f"{upload.name}: {' '.join(e.messages)}")
            else:
                uploads.append((upload, extension))
        if not uploads and not held and not upload_errors:
            form.add_error(
                "files", _("Attach the report that was received (its scan or its file).")
            )
            valid = False
        if valid and figures_valid and not upload_errors:
            try:
                services.record_received_report(
                    report,
                    by=request.user,
                    received_via=form.cleaned_data["received_via"],
                    received_on=form.cleaned_data["received_on"],
                    files=[upload for upload, _ext in uploads] + [f.content() for f in held],
                    note=form.cleaned_data["note"],
                    answers=[(f.item, f.values()) for f in figure_forms],
                )
            except (WorkflowError, ValidationError) as e:
                form.add_error(None, " ".join(e.messages) if hasattr(e, "messages") else str(e))
            else:
                received.release(held)
                messages.success(
                    request,
                    _("The report of %(unit)s was recorded as received %(via)s on %(date)s.")
                    % {
                        "unit": report.unit.name,
                        "via": ReceivedVia(form.cleaned_data["received_via"]).label,
                        "date": short_date(form.cleaned_data["received_on"]),
                    },
                )
                return redirect("reports:detail", report.pk)
        held += [
            received.hold(upload, extension, owner=f"report:{report.pk}", user=request.user)
            for upload, extension in uploads
        ]
    else:
        form = ReceivedReportForm(
            report=report,
            initial={"received_via": ReceivedVia.EMAIL, "received_on": timezone.localdate()},
        )
    return render(
        request,
        "reports/record_received.html",
        {
            "report": report,
            "form": form,
            "figure_forms": figure_forms,
            "held": held,
            "upload_errors": upload_errors,
        },
    )
