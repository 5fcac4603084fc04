"""A parent plan's revision reaching the plans that implement it ("cấp trên đã sửa đổi").

Publishing a revision never moves a report between plans nor touches an
implementing plan's deadlines or participants. Each implementing plan is
handed the change instead; its coordinators adopt it into their outline,
fix what the parent's new dates forbid, and publish their own revision.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.formatting import short_date
from notifications.models import NotificationKind
from notifications.services import notify
from orgunits.models import Membership, Role

from . import outline, registry
from .models import Plan, PlanRevision, PlanStatus, UpstreamChange
from .revisions import PILOT, compare


def hand_down(*, plan: Plan, previous: PlanRevision, revision: PlanRevision) -> None:
    """Give every open implementing plan of ``plan`` its new revision to adopt,
    and tell their coordinators: a few queries, and one notification insert
    per implementing plan."""
    children = list(plan.children.exclude(status=PlanStatus.CLOSED).select_related("issuing_unit"))
    if not children:
        return
    pending = UpstreamChange.objects.filter(plan__in=children, adopted_at__isnull=True)
    waiting = set(pending.values_list("plan_id", flat=True))
    pending.update(revision=revision)
    UpstreamChange.objects.bulk_create(
        [
            UpstreamChange(plan=child, base=previous, revision=revision)
            for child in children
            if child.pk not in waiting
        ]
    )
    coordinators: dict[int, list] = {}
    for membership in Membership.objects.filter(
        unit__in=[child.issuing_unit_id for child in children], role=Role.COORDINATOR
    ).select_related("user"):
        coordinators.setdefault(membership.unit_id, []).append(membership.user)
    for child in children:
        notify(
            users=coordinators.get(child.issuing_unit_id, []),
            kind=NotificationKind.PARENT_PLAN_REVISED,
            title=_("Plan %(parent)s, which your plan %(plan)s implements, was changed")
            % {"parent": plan.number_symbol, "plan": child.number_symbol},
            body=revision.note
            or _("See what changed on your plan's page, adopt it and publish your revision."),
            url=reverse("campaigns:detail", args=[child.pk]),
        )


@dataclass
class Notice:
    """The pending change of the parent plan, as the implementing plan's page shows it."""

    change: UpstreamChange
    changes: dict
    # The plan's deadlines that the parent's new ones no longer allow.
    conflicts: list[str] = field(default_factory=list)


def pending(plan: Plan) -> UpstreamChange | None:
    return (
        plan.upstream_changes.filter(adopted_at__isnull=True)
        .select_related("base", "revision__plan")
        .first()
    )


def notice(plan: Plan) -> Notice | None:
    """The pending change, or None when there is none (or the parent's
    revisions since came back to what the plan follows)."""
    change = pending(plan)
    if change is None:
        return None
    changes = compare(change.base.contents, change.revision.contents)
    conflicts = deadline_conflicts(plan, change.revision)
    if not changes and not conflicts:
        return None
    return Notice(change=change, changes=changes, conflicts=conflicts)


def _day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


def beyond_parent(
    deadlines: Iterable[Any], parent_dates: dict[str, datetime.date], own_level: str
) -> Iterator[tuple[Any, datetime.date]]:
    """The ``deadlines`` (each with a ``level`` and a ``last_day``) later than
    the parent plan allows, each with its limit: the last day of the parent's
    deadline for the same level, else of the one for the plan's own level.
    ``parent_dates`` and ``own_level`` go by level code, as revisions keep them."""
    own_limit = parent_dates.get(own_level)
    for deadline in deadlines:
        limit = parent_dates.get(deadline.level.code) or own_limit
        if limit and deadline.last_day > limit:
            yield deadline, limit


def deadline_conflicts(plan: Plan, revision: PlanRevision) -> list[str]:
    """Where ``plan``'s deadlines are later than its parent's ``revision`` now
    allows (the same limits as the composer's): the plan cannot be
    published again until its coordinators bring them forward."""
    parent_dates = {d["level"]: _day(d.get("last_day") or d["due_on"]) for d in revision.deadlines}
    deadlines = plan.deadlines.select_related("level").order_by("-level__rank")
    problems = []
    for deadline, limit in beyond_parent(deadlines, parent_dates, plan.issuing_unit.level.code):
        problems.append(
            _(
                "Your deadline for %(level)s (%(date)s) is later than the parent plan now "
                "allows (%(limit)s): bring it forward."
            )
            % {
                "level": deadline.level,
                "date": deadline.cited,
                "limit": short_date(limit),
            }
        )
    pilot_limit = parent_dates.get(PILOT)
    if plan.pilot_due_on and pilot_limit and plan.pilot_due_on > pilot_limit:
        problems.append(
            _(
                "Your pilot units' deadline (%(date)s) is later than the parent plan's "
                "(%(limit)s): bring it forward."
            )
            % {"date": short_date(plan.pilot_due_on), "limit": short_date(pilot_limit)}
        )
    return problems


@transaction.atomic
def adopt(*, plan: Plan, by: AbstractBaseUser) -> outline.Adopted:
    """Merge the parent's pending change into ``plan``'s outline and mark it
    adopted. Deadlines are never changed here: :func:`deadline_conflicts`
    says which ones the coordinators must bring forward themselves."""
    change = (
        UpstreamChange.objects.select_for_update()
        .select_related("base", "revision__plan")
        .filter(plan=plan, adopted_at__isnull=True)
        .first()
    )
    if change is None:
        return outline.Adopted(added=[], changed=[], kept=[])
    adopted = outline.adopt(
        plan=plan,
        parent=change.revision.plan,
        changes=compare(change.base.contents, change.revision.contents),
        snapshot=change.revision.outline,
    )
    change.adopted_at = timezone.now()
    change.adopted_by = by
    change.save(update_fields=["adopted_at", "adopted_by"])
    # Units that answered an added item under the plan above now answer it here.
    registry.outline_adopted(plan)
    return adopted
