"""Reads of dialogues: the figures a unit's records give to a review."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from campaigns.models import FigureSource
from orgunits.models import OrgUnit

from .models import OPEN_STATUSES, Meeting, MeetingStatus, Petition, PetitionStatus

# The sources review_figures provides: all of them.
FIGURE_SOURCES = list(FigureSource)


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
