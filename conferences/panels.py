"""The conferences' card on a plan's page (``campaigns.registry.plan_panels``):
the plan's conferences the user sees, each with its confirmed units and the
speeches in, and the way to open one. Two queries whatever the plan."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string

from campaigns.models import Plan
from orgunits.access import can

from .models import Invitation, Reply
from .selectors import conferences_visible_to


def plan_panel(request: HttpRequest, plan: Plan) -> str:
    holds = can(request.user, "conferences.hold", plan)
    conferences = list(
        conferences_visible_to(request.user)
        .filter(plan=plan)
        .annotate(
            speeches_count=Count("speeches", distinct=True),
            speeches_in=Count(
                "speeches", filter=Q(speeches__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("date", "pk")
    )
    if not (conferences or holds):
        return ""
    counts = {
        conference_id: (invited, confirmed)
        for conference_id, invited, confirmed in Invitation.objects.filter(
            conference__in=conferences
        )
        .values("conference_id")
        .annotate(
            invited=Count("pk"),
            confirmed=Count("pk", filter=Q(reply__in=[Reply.ATTEND, Reply.DEPUTY])),
        )
        .values_list("conference_id", "invited", "confirmed")
    }
    for conference in conferences:
        conference.invited_count, conference.confirmed_count = counts.get(conference.pk, (0, 0))
    return render_to_string(
        "conferences/_plan_panel.html",
        {"plan": plan, "conferences": conferences, "holds": holds},
        request=request,
    )
