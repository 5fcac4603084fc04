"""The registers' card on a plan's page (``campaigns.registry.plan_panels``):
the files attached to the plan, and, for each unit of the user the plan
reached, its entry in the unit's incoming register or the way to make one.
Three queries whatever the plan."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string

from campaigns.models import Plan, PlanStatus
from orgunits.access import can, scope_paths
from reports.models import Report

from .forms import PlanFileForm
from .models import IncomingDocument
from .rules import KEEPERS


def reached_units(request: HttpRequest, plan: Plan) -> list:
    """The user's own units (where they keep the register) that the plan
    reached: those it governs the report of, and the units directly below
    its issuer, which implement it."""
    if plan.status not in (PlanStatus.PUBLISHED, PlanStatus.CLOSED):
        return []
    paths = scope_paths(request.user, roles=KEEPERS)
    if not paths:  # nobody's office, or a superuser (every unit: none offered)
        return []
    issuer = plan.issuing_unit
    reports = Report.objects.filter(campaign=plan.root, unit__path__in=paths).filter(
        Q(plan=plan) | Q(unit__path__startswith=issuer.path, unit__depth=issuer.depth + 1)
    )
    units = [r.unit for r in reports.select_related("unit").order_by("unit__path")]
    return [u for u in units if can(request.user, "registers.keep_register", u)]


def plan_panel(request: HttpRequest, plan: Plan) -> str:
    files = list(plan.attached_files.all())
    manage = can(request.user, "campaigns.manage_plan", plan)
    units = reached_units(request, plan)
    entries = {}
    if units:
        for entry in IncomingDocument.objects.filter(plan=plan, unit__in=units).order_by("pk"):
            entries.setdefault(entry.unit_id, entry)
    if not (files or manage or units):
        return ""
    return render_to_string(
        "registers/_plan_panel.html",
        {
            "plan": plan,
            "files": files,
            "manage": manage,
            "form": PlanFileForm() if manage else None,
            "units": [(unit, entries.get(unit.pk)) for unit in units],
        },
        request=request,
    )
