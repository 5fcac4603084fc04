"""The conferences' card on a plan's page (``campaigns.registry.plan_panels``)
and their line on its progress board (``chasing.registry.board_lines``): the
plan's conferences the user sees, with the invited units that confirmed and
the speeches in. One query whatever the plan."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from campaigns.models import Plan
from orgunits.access import can

from .selectors import plan_conferences


def plan_panel(request: HttpRequest, plan: Plan) -> str:
    holds = can(request.user, "conferences.hold", plan)
    conferences = plan_conferences(request.user, plan)
    if not (conferences or holds):
        return ""
    return render_to_string(
        "conferences/_plan_panel.html",
        {"plan": plan, "conferences": conferences, "holds": holds},
        request=request,
    )


def board_line(request: HttpRequest, plan: Plan) -> str:
    conferences = plan_conferences(request.user, plan)
    if not conferences:
        return ""
    return render_to_string(
        "conferences/_board_line.html", {"conferences": conferences}, request=request
    )
