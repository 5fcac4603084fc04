"""Figures other apps compute for a report's items, keyed by ``FigureSource``.

An outline item may be bound to a figure the unit's own records give
(``OutlineItem.figure_source``); the apps that keep those records sit above
reports, so each registers a provider for the sources it computes in its
``AppConfig.ready`` (dialogues: the meetings and petitions). The report page
asks only for the sources its items use, and each provider once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from campaigns.models import OutlineItem
from orgunits.models import OrgUnit

from .models import Report

# (unit, first year, last year of the reviewed period) -> {source value: figure}
Provider = Callable[[OrgUnit, int, int], dict[str, object]]

_providers: dict[str, Provider] = {}


def register(sources: Iterable[str], provider: Provider) -> None:
    """``provider`` computes the figures of ``sources`` (FigureSource values)."""
    for source in sources:
        _providers[source] = provider


def provided() -> set[str]:
    """The sources some app provides."""
    return set(_providers)


def figures(
    unit: OrgUnit, first_year: int, last_year: int, sources: Iterable[str]
) -> dict[str, object]:
    """The figures of ``sources`` for ``unit`` over the period; a source no app
    provides is left out."""
    wanted = {source for source in sources if source in _providers}
    found: dict[str, object] = {}
    for provider in dict.fromkeys(_providers[source] for source in sorted(wanted)):
        values = provider(unit, first_year, last_year)
        found.update({source: values[source] for source in wanted & values.keys()})
    return found


# --- What the units below answered -----------------------------------------
#
# The report page of a unit with units below shows, under each item, what its
# direct subordinates answered and the roll-up's totals. The roll-up sits above
# reports (consolidation), which registers the reader here.

# (report, items) -> (reports below, {item id: what they answered and the totals})
BelowReader = Callable[[Report, list[OutlineItem]], tuple[list[Report], dict[int, object]]]
_below_reader: BelowReader | None = None


def register_below(reader: BelowReader) -> None:
    global _below_reader
    _below_reader = reader


def answers_below(report: Report, items: list[OutlineItem]) -> tuple[list[Report], dict]:
    """What the units below ``report``'s unit answered to ``items``; nothing
    when no app reads it."""
    if _below_reader is None:
        return [], {}
    return _below_reader(report, items)


# --- A report moved in its workflow ----------------------------------------
#
# Apps above reports (the API's webhooks) are told when a report is submitted,
# returned or accepted, inside the step's transaction: a step rolled back
# tells nobody. The services call ``moved`` once per step.


class ReportEvent:
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


_moved: dict[str, Callable[[Report, str], None]] = {}


def register_moved(name: str, participant: Callable[[Report, str], None]) -> None:
    _moved[name] = participant


def moved(report: Report, event: str) -> None:
    for participant in _moved.values():
        participant(report, event)


# --- Notes on attachments ----------------------------------------------------
#
# The attachments card shows, beside a file, what an app above found in it
# (signatures: "Đã ký số bởi … lúc …", or why the signature is not valid).

# (attachments) -> {attachment id: HTML of the note}
NotesReader = Callable[[list], dict[int, str]]
_attachment_notes: NotesReader | None = None


def register_attachment_notes(reader: NotesReader) -> None:
    global _attachment_notes
    _attachment_notes = reader


def attachment_notes(attachments: list) -> dict[int, str]:
    """Each attachment's note by id; nothing when no app reads them."""
    if _attachment_notes is None or not attachments:
        return {}
    return _attachment_notes(attachments)
