"""The leader's page of a plan: completion, key figures against the previous
review, and the latest consolidated PDF, each over the user's own part of
the plan (the whole of it for the issuer's people, a district's subtree for
the district's)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from campaigns.models import AnswerType, OutlineItem, Plan, PlanStatus, SubjectDocument
from campaigns.selectors import get_plan_for_user
from orgunits import access
from orgunits.models import OrgUnit
from reports.selectors import reports_visible_to

from . import rollup
from .models import BuildFormat, BuildStatus, DocumentBuild

KEY_FIGURES = 6


@dataclass
class KeyFigure:
    item: OutlineItem
    figure: rollup.Figure  # by the roll-up's rule: each unit once
    previous: rollup.Figure | None = None
    leaves: rollup.Figure | None = None  # counted from the grassroots, to compare

    @property
    def leaves_differ(self) -> bool:
        return self.leaves is not None and self.leaves.total != self.figure.total

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.previous.total is None or self.figure.total is None:
            return None
        return self.figure.total - self.previous.total

    @property
    def change_percent(self) -> int | None:
        if self.change is None or not self.previous.total:
            return None
        return round(100 * self.change / self.previous.total)


def previous_review(plan: Plan) -> Plan | None:
    """The latest earlier plan of the same issuer on one of the same documents."""
    symbols = [
        s.strip() for s in plan.subjects.values_list("number_symbol", flat=True) if s.strip()
    ]
    if not symbols:
        return None
    earlier = SubjectDocument.objects.filter(
        number_symbol__in=symbols,
        plan__issuing_unit=plan.issuing_unit_id,
        plan__issued_on__lt=plan.issued_on,
        plan__status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED],
    ).exclude(plan=plan)
    return (
        Plan.objects.filter(pk__in=earlier.values("plan"))
        .select_related("issuing_unit")
        .order_by("-issued_on", "-pk")
        .first()
    )


def _key(item: OutlineItem) -> str:
    return rollup.normalise(item.title)


def overview_unit(user: access.User, plan: Plan) -> OrgUnit | None:
    """The unit whose subtree ``user`` reads on the plan's overview: the issuer
    for those who reach it, else the highest of their own units under it."""
    issuer = plan.issuing_unit
    if access.reaches(user, issuer):
        return issuer
    paths = [path for path in access.scope_paths(user) or [] if path.startswith(issuer.path)]
    if not paths:
        return None
    return OrgUnit.objects.get(path=min(paths, key=lambda path: (len(path), path)))


def key_figures(plan: Plan, previous: Plan | None, unit: OrgUnit) -> list[KeyFigure]:
    """The first figures of the outline over ``unit``'s subtree, each with the
    previous review's figure for the item of the same title (or else the same
    numbering and type)."""
    current = rollup.figures(plan=plan, unit=unit, include_submitted=True, leaves=True)[
        :KEY_FIGURES
    ]
    result = [
        KeyFigure(item=entry.item, figure=entry.figure, leaves=entry.leaves) for entry in current
    ]
    if previous is None or not result:
        return result
    earlier = rollup.figures(plan=previous, unit=unit, include_submitted=False)
    by_title = {_key(entry.item): entry.figure for entry in earlier}
    by_number = {  # "2.1.", not the "-" and "+" of bullets, which repeat
        (entry.item.numbering, entry.item.answer_type): entry.figure
        for entry in earlier
        if any(c.isdigit() for c in entry.item.numbering)
    }
    for key_figure in result:
        item = key_figure.item
        key_figure.previous = by_title.get(_key(item)) or by_number.get(
            (item.numbering, item.answer_type)
        )
    return result


def latest_pdf(plan: Plan, unit: OrgUnit) -> DocumentBuild | None:
    """The newest consolidated PDF of ``unit``'s report in this campaign."""
    return (
        DocumentBuild.objects.filter(
            report__campaign=plan.root,
            report__unit=unit,
            fmt=BuildFormat.PDF,
            status=BuildStatus.DONE,
        )
        .select_related("report__unit", "report__plan")  # for the rule the link asks
        .order_by("-finished_at")
        .first()
    )


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if not access.can(request.user, "consolidation.view_overview", plan):
        raise Http404("No overview of this plan.")
    unit = overview_unit(request.user, plan)
    if unit is None:
        raise Http404("No unit of yours takes part in this plan.")
    previous = previous_review(plan)
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
        "key_figures": key_figures(plan, previous, unit),
        "previous": previous,
        "latest_pdf": latest_pdf(plan, unit),
        "own_report": own_report,
        "per_year": AnswerType.INTEGER_PER_YEAR,
    }
    return render(request, "consolidation/overview.html", context)
