"""The consolidation workspace of a report: the roll-up, and filling the report from it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from orgunits.access import can
from reports.models import Report, WorkflowError
from reports.selectors import get_report_for_user

from . import workspace as services
from .rollup import DIRECT, LEAVES


def _include_submitted(request: HttpRequest) -> bool:
    data = request.POST if request.method == "POST" else request.GET
    return data.get("submitted") == "1"


def _basis(request: HttpRequest) -> str:
    """The view shown: the roll-up's rule, or "tính từ cơ sở" to compare with.
    Filling and drafting use the rule whatever is shown."""
    return LEAVES if request.GET.get("basis") == LEAVES else DIRECT


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
        "may_consolidate": may_consolidate,
        "refusal": services.refusal(request.user, report) if may_consolidate else None,
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
