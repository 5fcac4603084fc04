"""Reads of dialogues, scoped to the user: meetings, petitions and plans, the
calendar, the register; and the figures a unit's records give to a review."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone

from campaigns.models import FigureSource
from chasing.models import DeliveryStatus
from orgunits.access import scope_paths, within_q
from orgunits.models import IssuingBody, OrgUnit, Term
from orgunits.selectors import units_visible_to

from .models import (
    OPEN_STATUSES,
    DialoguePlan,
    DialogueReminderKind,
    Meeting,
    MeetingStatus,
    OpinionReport,
    Petition,
    PetitionStatus,
)

# The sources review_figures provides: all of them.
FIGURE_SOURCES = list(FigureSource)


# --- Scoped to the user -------------------------------------------------------


def petitions_visible_to(user: AbstractBaseUser) -> QuerySet[Petition]:
    """A unit sees its own petitions (and those of its subtree); an agency sees
    the petitions assigned to it (or to a unit below it)."""
    if scope_paths(user) == []:
        return Petition.objects.none()
    return Petition.objects.filter(within_q(user, "unit") | within_q(user, "agency"))


def meetings_visible_to(user: AbstractBaseUser) -> QuerySet[Meeting]:
    """The meetings of the plans of units the user sees, and those the user's
    units host (a commune sees the district secretary's dialogue held there)."""
    visible = units_visible_to(user)
    hosted = Meeting.host_units.through.objects.filter(orgunit__in=visible).values("meeting_id")
    return Meeting.objects.filter(Q(plan__unit__in=visible) | Q(pk__in=hosted))


def _one(queryset: QuerySet, pk: int, what: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {what}.")
    return found


def get_meeting_for_user(user: AbstractBaseUser, pk: int) -> Meeting:
    """The meeting if ``user`` sees it (see ``meetings_visible_to``); a 404 otherwise."""
    return _one(meetings_visible_to(user).select_related("plan__unit"), pk, "meeting")


def get_petition_for_user(user: AbstractBaseUser, pk: int) -> Petition:
    petitions = petitions_visible_to(user).select_related("meeting__plan", "unit", "agency")
    return _one(petitions, pk, "petition")


def get_plan_for_user(user: AbstractBaseUser, pk: int) -> DialoguePlan:
    """A dialogue plan of a unit the user sees; a 404 otherwise."""
    plans = DialoguePlan.objects.filter(unit__in=units_visible_to(user)).select_related("unit")
    return _one(plans, pk, "dialogue plan")


def overdue(
    today: datetime.date | None = None, *, among: QuerySet[Petition] | None = None
) -> QuerySet[Petition]:
    """The open petitions past their due date (of ``among``, or all of them)."""
    petitions = Petition.objects.all() if among is None else among
    return petitions.filter(status__in=OPEN_STATUSES, due_on__lt=today or timezone.localdate())


# --- Pages ----------------------------------------------------------------------


def _count(model) -> Coalesce:
    """The number of ``model`` rows of each meeting, as a subquery (no join fan-out)."""
    rows = model.objects.filter(meeting=OuterRef("pk")).values("meeting")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def calendar(
    user: AbstractBaseUser, year: int, today: datetime.date
) -> list[tuple[int, list[Meeting]]]:
    """The year's meetings the user sees, by month (every month, empty or not),
    each marked ``opinions_late``: one query."""
    meetings = (
        meetings_visible_to(user)
        .filter(plan__year=year)
        .select_related("plan__unit")
        .annotate(hosts_count=_count(Meeting.host_units.through), sent_count=_count(OpinionReport))
        .order_by("month", "date", "plan__unit__path")
    )
    by_month: dict[int, list[Meeting]] = {month: [] for month in range(1, 13)}
    for meeting in meetings:
        meeting.opinions_late = meeting.opinions_late(
            hosts=meeting.hosts_count, sent=meeting.sent_count, today=today
        )
        by_month.setdefault(meeting.month, []).append(meeting)
    return sorted(by_month.items())


def meeting_hosts(meeting: Meeting, today: datetime.date) -> tuple[list[OrgUnit], dict]:
    """The host units, each with its ``opinions`` (or None), ``reminded_at`` and
    ``late``; and the last reminder sent of each (kind, unit)."""
    hosts = list(meeting.host_units.order_by("path"))
    opinions = {r.unit_id: r for r in meeting.opinion_reports.select_related("by")}
    reminded = {}
    for reminder in meeting.reminders.filter(status=DeliveryStatus.SENT).order_by("sent_at"):
        reminded[(reminder.kind, reminder.unit_id)] = reminder.sent_at
    for host in hosts:
        host.opinions = opinions.get(host.pk)
        host.reminded_at = reminded.get((DialogueReminderKind.OPINIONS, host.pk))
        host.late = meeting.opinions_late_from(host.opinions, today)
    return hosts, reminded


def register_agencies(user: AbstractBaseUser) -> QuerySet[OrgUnit]:
    """The agencies of the petitions the user sees: the register's filter."""
    return OrgUnit.objects.filter(pk__in=petitions_visible_to(user).values("agency")).order_by(
        "path"
    )


def register_rows(user: AbstractBaseUser, filters: dict) -> QuerySet[Petition]:
    """The petitions the user sees, filtered (RegisterFilterForm.filters), latest meeting first."""
    rows = petitions_visible_to(user).select_related("meeting", "unit", "agency")
    if filters["status"]:
        rows = rows.filter(status=filters["status"])
    if filters["agency"]:
        rows = rows.filter(agency=filters["agency"])
    if filters["field"]:
        rows = rows.filter(field=filters["field"])
    if filters["overdue"]:
        rows = overdue(among=rows)
    return rows.order_by("-meeting__date", "meeting", "created")


# --- Figures for a review (seed 000 asks for them) --------------------------


def review_figures(unit: OrgUnit, first_year: int, last_year: int) -> dict[str, object]:
    """What the unit's own dialogue records say for the reviewed period, by
    FigureSource: two queries. Meetings per year as {"2018": 3, …}; petitions
    as counts and as a sentence. Registered with reports.registry."""
    meetings = (
        Meeting.objects.filter(
            plan__unit=unit,
            status=MeetingStatus.HELD,
            held_on__year__gte=first_year,
            held_on__year__lte=last_year,
        )
        .annotate(year=ExtractYear("held_on"))
        .values("year")
        .annotate(n=Count("id"))
    )
    petitions = Petition.objects.filter(
        unit=unit, meeting__held_on__year__gte=first_year, meeting__held_on__year__lte=last_year
    ).aggregate(
        received=Count("id"),
        on_the_spot=Count("id", filter=Q(answered_on_spot=True)),
        resolved_after=Count(
            "id",
            filter=Q(
                answered_on_spot=False, status__in=[PetitionStatus.ANSWERED, PetitionStatus.CLOSED]
            ),
        ),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
    )
    per_year = {str(row["year"]): row["n"] for row in meetings}
    return {
        FigureSource.MEETINGS_PER_YEAR: per_year,
        FigureSource.PETITIONS_RECEIVED: petitions["received"],
        FigureSource.PETITIONS_ON_THE_SPOT: petitions["on_the_spot"],
        FigureSource.PETITIONS_RESOLVED_AFTER: petitions["resolved_after"],
        FigureSource.PETITIONS_OPEN: petitions["open"],
        FigureSource.PETITIONS_SUMMARY: petitions_sentence(
            first_year, last_year, sum(per_year.values()), petitions
        ),
    }


def petitions_sentence(first_year: int, last_year: int, meetings: int, petitions: dict) -> str:
    """The records in one sentence of the report (document text, in Vietnamese)."""
    period = (
        f"Năm {first_year}"
        if first_year == last_year
        else f"Từ năm {first_year} đến năm {last_year}"
    )
    return (
        f"{period}, đã tổ chức {meetings:02d} cuộc tiếp xúc, đối thoại trực tiếp với nhân dân; "
        f"tiếp nhận {petitions['received']:02d} ý kiến, kiến nghị, trong đó: trả lời trực tiếp "
        f"tại hội nghị {petitions['on_the_spot']:02d} ý kiến; giải quyết, trả lời sau hội nghị "
        f"{petitions['resolved_after']:02d} ý kiến; đang giải quyết {petitions['open']:02d} ý kiến."
    )


def plans_in_register(body: IssuingBody, term: Term) -> QuerySet[DialoguePlan]:
    """``body``'s numbered dialogue plans in ``term``: they share the body's
    register of plans ("-KH/HU") with review plans (registered into
    ``campaigns.selectors.PLAN_NUMBER_REGISTERS``). A plan without a body is
    its unit's default body's. An undated dialogue plan counts in the term of
    1 January of its year."""
    years = [
        year
        for year in range(term.starts_on.year, term.ends_on.year + 1)
        if term.starts_on <= datetime.date(year, 1, 1) <= term.ends_on
    ]
    of_body = Q(issuing_body=body)
    if body.is_default:
        of_body |= Q(issuing_body__isnull=True, unit_id=body.unit_id)
    return DialoguePlan.objects.filter(
        Q(issued_on__range=(term.starts_on, term.ends_on))
        | Q(issued_on__isnull=True, year__in=years),
        of_body,
        number__isnull=False,
    )
