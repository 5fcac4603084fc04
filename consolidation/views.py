"""Consolidation pages: the workspace of a unit's own report beside the
roll-up of its subtree, the background builds of the consolidated document,
and the leaders' overview of a plan."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.models import AnswerType, OutlineItem
from campaigns.selectors import get_plan_for_user
from config.http import safe_next
from documents import signing
from documents.responses import stored_file_response
from orgunits import access
from orgunits.access import can
from reports.models import Report, WorkflowError
from reports.selectors import get_report_for_user, reports_visible_to

from . import documents, rollup, selectors, services
from .forms import BuildForm
from .models import BuildStatus, DocumentBuild
from .rollup import DIRECT, LEAVES

# --- The workspace ---------------------------------------------------------


def _include_submitted(request: HttpRequest) -> bool:
    data = request.POST if request.method == "POST" else request.GET
    return data.get("submitted") == "1"


def _basis(request: HttpRequest) -> str:
    """The view shown: the roll-up's rule, or "tính từ cơ sở" to compare with.
    Filling and drafting use the rule whatever is shown."""
    return LEAVES if request.GET.get("basis") == LEAVES else DIRECT


def _texts_query(include_submitted: bool, basis: str) -> str:
    """The view shown, for the links to an item's texts."""
    query = {"submitted": "1"} if include_submitted else {}
    if basis == LEAVES:
        query["basis"] = LEAVES
    return urlencode(query)


def _render(request: HttpRequest, report: Report, **extra) -> HttpResponse:
    include_submitted = _include_submitted(request)
    basis = _basis(request) if request.method == "GET" else DIRECT
    may_consolidate = can(request.user, "consolidation.consolidate", report)
    context = {
        "report": report,
        "plan": report.plan,
        "workspace": services.build_workspace(
            report=report, include_submitted=include_submitted, basis=basis
        ),
        "include_submitted": include_submitted,
        "basis": basis,
        "leaves": LEAVES,
        "texts_query": _texts_query(include_submitted, basis),
        "may_consolidate": may_consolidate,
        "refusal": services.refusal(request.user, report) if may_consolidate else None,
        # The consolidated-document card is in the first response (no JavaScript needed).
        "builds_card": card_context(request, report)
        if can(request.user, "consolidation.build", report)
        else None,
        **extra,
    }
    return render(request, "consolidation/workspace.html", context)


def _get_workspace_report(request: HttpRequest, pk: int) -> Report:
    report = get_report_for_user(request.user, pk)
    if not can(request.user, "consolidation.view_workspace", report):
        raise Http404("This unit has no units below to consolidate.")
    return report


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _get_workspace_report(request, pk))


@login_required
@require_GET
def item_texts(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """What the units below wrote on one item, a page at a time: the fragment
    a workspace item loads when opened, or (without JavaScript) a page."""
    report = _get_workspace_report(request, pk)
    item = get_object_or_404(OutlineItem, pk=item_id, plan=report.plan, is_heading=False)
    include_submitted = _include_submitted(request)
    basis = _basis(request)
    texts, page = selectors.item_texts(
        report=report,
        item=item,
        include_submitted=include_submitted,
        basis=basis,
        page=request.GET.get("trang"),
    )
    context = {
        "report": report,
        "plan": report.plan,
        "item": item,
        "page": page,
        "points": texts.groups is not None,
        "query": _texts_query(include_submitted, basis),
        "include_submitted": include_submitted,
        "basis": basis,
    }
    if request.htmx:
        return render(request, "consolidation/_item_texts.html", context)
    return render(request, "consolidation/item_texts.html", context)


def _act(request: HttpRequest, pk: int, action, result_name: str) -> HttpResponse:
    report = _get_workspace_report(request, pk)
    if not can(request.user, "consolidation.consolidate", report):
        raise PermissionDenied
    extra = {}
    try:
        extra[result_name] = action(
            report=report, by=request.user, include_submitted=_include_submitted(request)
        )
    except WorkflowError as error:
        extra["error"] = str(error)
    report = get_report_for_user(request.user, pk)  # its status may have moved on
    return _render(request, report, **extra)


@login_required
@require_POST
def fill_figures(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.fill_figures, "filled")


@login_required
@require_POST
def draft_texts(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.draft_texts, "drafted")


# --- Builds of the consolidated document --------------------------------------


CARD_TEMPLATE = "consolidation/_builds.html"
BUILD_TEMPLATE = "consolidation/_build.html"


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
    report = get_report_for_user(request.user, pk, action="consolidation.build")
    return render(request, CARD_TEMPLATE, card_context(request, report))


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, action="consolidation.build")
    form = BuildForm(request.POST)
    error = ""
    if form.is_valid():
        _build, queued = services.start_build(
            report=report,
            fmt=form.cleaned_data["fmt"],
            include_submitted=form.cleaned_data["include_submitted"],
            every_unit=form.cleaned_data["every_unit"],
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
    report = get_report_for_user(request.user, pk, action="consolidation.build")
    build = get_object_or_404(DocumentBuild, pk=build_id, report=report)
    build.report = report
    return render(request, BUILD_TEMPLATE, {"report": report, "build": build})


@login_required
@require_GET
def download(request: HttpRequest, pk: int, build_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, action="consolidation.build")
    build = get_object_or_404(DocumentBuild, pk=build_id, report=report, status=BuildStatus.DONE)
    build.report = report
    # The signed PDF when the issuing body's certificate signed it (signatures).
    signed = signing.signed_file(build)
    return stored_file_response(signed or build.file, build.download_name, build.content_type)


# --- The leaders' overview -------------------------------------------------


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if not access.can(request.user, "consolidation.view_overview", plan):
        raise Http404("No overview of this plan.")
    unit = selectors.overview_unit(request.user, plan)
    if unit is None:
        raise Http404("No unit of yours takes part in this plan.")
    previous = selectors.previous_review(plan)
    own_report = (
        reports_visible_to(request.user)
        .filter(campaign=plan.root, unit=unit)
        .select_related("unit", "plan")
        .first()
    )
    completeness = rollup.completeness(plan.root, unit, include_submitted=True)
    context = {
        "plan": plan,
        "unit": unit,
        "direct": completeness.direct,
        "levels": completeness.levels,
        "rule": rollup.RULE,
        "key_figures": selectors.key_figures(plan, previous, unit),
        "previous": previous,
        "latest_pdf": selectors.latest_pdf(plan, unit),
        "own_report": own_report,
        "per_year": AnswerType.INTEGER_PER_YEAR,
    }
    return render(request, "consolidation/overview.html", context)
