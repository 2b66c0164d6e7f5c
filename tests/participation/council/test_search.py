"""Full-text search of decisions: one selector, PostgreSQL's Dutch search or SQLite's fallback.

The suite runs on SQLite and (with DATABASE_URL) on PostgreSQL; each run checks its own path.
"""

from __future__ import annotations

import pytest
from django.db import connection

from burgerlink.core.models import Organisation
from burgerlink.participation.council import selectors
from burgerlink.participation.council.selectors import DecisionFilters
from burgerlink.participation.models import CouncilImport

pytestmark = pytest.mark.django_db


def _titles(organisation: Organisation, query: str, **filters: object) -> list[str]:
    found = selectors.decisions(organisation, DecisionFilters(query=query, **filters))  # type: ignore[arg-type]
    return [d.title for d in found]


def test_words_are_found_in_title_and_text_case_insensitively(
    amstelstad: Organisation, sample: CouncilImport
) -> None:
    assert _titles(amstelstad, "BOMEN") == ["Meer bomen in de binnenstad"]
    assert _titles(amstelstad, "stationsgebied") == ["Bestemmingsplan Stationsgebied"]
    # In the text only ("De raad verzoekt het college 500 bomen te planten ...").
    assert _titles(amstelstad, "college planten") == ["Meer bomen in de binnenstad"]
    assert _titles(amstelstad, "bomen zwembad") == []  # every word must match
    assert _titles(amstelstad, "olifant") == []


def test_search_combines_with_filters_and_stays_in_the_organisation(
    amstelstad: Organisation, heidedorp: Organisation, sample: CouncilImport
) -> None:
    assert _titles(amstelstad, "bomen", result="rejected") == []
    assert _titles(amstelstad, "bomen", kind="motion") == ["Meer bomen in de binnenstad"]
    assert _titles(heidedorp, "bomen") == []


def test_postgresql_stems_dutch_words_and_sqlite_matches_letters(
    amstelstad: Organisation, sample: CouncilImport
) -> None:
    if connection.vendor == "postgresql":
        assert selectors.text_search_config(connection.alias) == "dutch"
        # The Dutch configuration stems: a singular finds the plural and the other way round.
        assert _titles(amstelstad, "boom") == ["Meer bomen in de binnenstad"]
        assert _titles(amstelstad, "zwembaden") == ["Zwembad open in de zomer"]
        # Web-search syntax: a minus excludes.
        assert _titles(amstelstad, "bomen -binnenstad") == []
    else:
        assert connection.vendor == "sqlite"
        # The fallback matches letters: a part of a word finds it, another form does not.
        assert _titles(amstelstad, "zwemba") == ["Zwembad open in de zomer"]
        assert _titles(amstelstad, "boom") == []


def test_a_title_match_ranks_above_a_newer_text_match_on_postgresql(
    amstelstad: Organisation,
) -> None:
    from datetime import date

    from burgerlink.participation.council.data import CouncilData, DecisionData
    from burgerlink.participation.council.services import store_council_data

    data = CouncilData()
    data.decisions["a"] = DecisionData(
        "a", "motion", "Fietsenstalling", "", date(2026, 1, 1), "adopted"
    )
    data.decisions["b"] = DecisionData(
        "b", "motion", "Centrum", "Ook een fietsenstalling erbij.", date(2026, 2, 1), "adopted"
    )
    store_council_data(organisation=amstelstad, data=data, source="api")
    titles = _titles(amstelstad, "fietsenstalling")
    if connection.vendor == "postgresql":
        assert titles == ["Fietsenstalling", "Centrum"]  # the title weighs more
    else:
        assert titles == ["Centrum", "Fietsenstalling"]  # newest first
