"""Figures other apps compute for a report's items, keyed by ``FigureSource``.

An outline item may be bound to a figure the unit's own records give
(``OutlineItem.figure_source``); the apps that keep those records sit above
reports, so each registers a provider for the sources it computes in its
``AppConfig.ready`` (dialogues: the meetings and petitions). The report page
asks only for the sources its items use, and each provider once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from orgunits.models import OrgUnit

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
