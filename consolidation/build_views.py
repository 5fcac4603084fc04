"""Building and downloading a report's consolidated document (PDF, DOCX, XLSX).

The card (``consolidation/_builds.html``) lists the newest build per format,
starts new ones and polls those under way. Who may: ``consolidation.build``
(viewers and coordinators of the report's unit, coordinators above it).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from config.http import safe_next
from orgunits.access import can
from reports.models import Report
from reports.selectors import get_report_for_user

from . import documents, tasks
from .models import BuildFormat, BuildStatus, DocumentBuild

CARD_TEMPLATE = "consolidation/_builds.html"
BUILD_TEMPLATE = "consolidation/_build.html"


class BuildForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Format"), choices=BuildFormat.choices, initial=BuildFormat.PDF)
    include_submitted = forms.BooleanField(
        label=_("Include submitted reports"),
        required=False,
        help_text=_("Also count reports that are submitted but not accepted yet."),
    )


def _get_report_to_build(request: HttpRequest, pk: int) -> Report:
    report = get_report_for_user(request.user, pk)
    if not can(request.user, "consolidation.build", report):
        raise PermissionDenied
    return report


def card_context(
    request: HttpRequest, report: Report, *, form: BuildForm | None = None, error: str = ""
) -> dict:
    """What ``consolidation/_builds.html`` needs; a page that includes it too."""
    builds = DocumentBuild.objects.latest_per_format(report)
    for build in builds:
        build.report = report  # for the download name; spares the queries
    if any(b.status == BuildStatus.DONE for b in builds):
        state = documents.data_state(report)  # one query for every build
        for build in builds:
            build.outdated = build.status == BuildStatus.DONE and build.fingerprint != (
                documents.fingerprint(report, build.include_submitted, state=state)
            )
    return {
        "report": report,
        "builds": builds,
        "form": form or BuildForm(),
        "error": error,
        "next": (request.htmx.current_url_abs_path if request.htmx else safe_next(request)) or "",
    }


@login_required
@require_GET
def builds(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_to_build(request, pk)
    return render(request, CARD_TEMPLATE, card_context(request, report))


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_to_build(request, pk)
    form = BuildForm(request.POST)
    error = ""
    if form.is_valid():
        _build, queued = tasks.start_build(
            report=report,
            fmt=form.cleaned_data["fmt"],
            include_submitted=form.cleaned_data["include_submitted"],
            by=request.user,
        )
        if not queued and not request.htmx:
            messages.info(
                request, _("The data has not changed: the document built before is kept.")
            )
    else:
        error = " ".join(message for errors in form.errors.values() for message in errors)
    if request.htmx:
        return render(request, CARD_TEMPLATE, card_context(request, report, form=form, error=error))
    if error:
        messages.error(request, error)
    return redirect(safe_next(request) or reverse("reports:detail", args=[report.pk]))


@login_required
@require_GET
def progress(request: HttpRequest, pk: int, build_id: int) -> HttpResponse:
    report = _get_report_to_build(request, pk)
    build = get_object_or_404(DocumentBuild, pk=build_id, report=report)
    build.report = report
    return render(request, BUILD_TEMPLATE, {"report": report, "build": build})


@login_required
@require_GET
def download(request: HttpRequest, pk: int, build_id: int) -> FileResponse:
    report = _get_report_to_build(request, pk)
    build = get_object_or_404(DocumentBuild, pk=build_id, report=report, status=BuildStatus.DONE)
    build.report = report
    try:
        file = build.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The file is missing from storage.") from error
    return FileResponse(
        file, as_attachment=True, filename=build.download_name, content_type=build.content_type
    )
