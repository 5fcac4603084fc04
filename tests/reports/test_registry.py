"""The figure providers: other apps' figures for a report's bound items."""

import pytest

from campaigns.models import FigureSource
from reports import registry


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(registry, "_providers", {})
    calls = []

    def provider(unit, first_year, last_year):
        calls.append((unit, first_year, last_year))
        return {FigureSource.PETITIONS_RECEIVED: 4, FigureSource.PETITIONS_OPEN: 1}

    registry.register([FigureSource.PETITIONS_RECEIVED, FigureSource.PETITIONS_OPEN], provider)
    return calls


def test_it_asks_a_provider_once_for_all_its_sources(providers):
    sources = {FigureSource.PETITIONS_RECEIVED, FigureSource.PETITIONS_OPEN}
    assert registry.figures("unit", 2017, 2020, sources) == {
        "petitions_received": 4,
        "petitions_open": 1,
    }
    assert providers == [("unit", 2017, 2020)]


def test_it_gives_only_the_sources_asked_for(providers):
    assert registry.figures("unit", 2017, 2020, [FigureSource.PETITIONS_OPEN]) == {
        "petitions_open": 1
    }


def test_it_asks_nobody_when_no_source_is_provided(providers):
    assert registry.figures("unit", 2017, 2020, [FigureSource.MEETINGS_PER_YEAR]) == {}
    assert registry.figures("unit", 2017, 2020, []) == {}
    assert providers == []


def test_dialogues_provides_every_figure_source():
    assert registry.provided() == set(FigureSource)
