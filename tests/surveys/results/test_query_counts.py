"""Query-count guards on the results pages: a page costs a fixed number of queries.

The answers of a wave are read in one query however many responses it has (chunked on a
cursor), so the number of queries of a page must not grow with responses, filters or charts.
The bounds are the counts measured when the guard was written, with a little room: a new query
per row or per chart would exceed them at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from burgerlink.core.models import User
from burgerlink.surveys.models import Wave
from burgerlink.surveys.results import dataset
from tests.conftest import client_for

BASE = "/medewerkers/amstelstad/onderzoek/resultaten/"


def count_queries(action: Callable[[], Any]) -> int:
    """How many queries ``action`` runs."""
    with CaptureQueriesContext(connection) as captured:
        response = action()
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("path", "params", "cold_bound", "warm_bound"),
    [
        ("", {}, 28, 20),
        ("", {"levensgebeurtenis": "verhuizen"}, 30, 22),
        ("keten/verhuizen/", {}, 22, 17),
        ("open-antwoorden/", {}, 16, 12),
        ("grafiek/cijfers.svg", {}, 14, 10),
        ("grafiek/prioriteiten.svg", {"achtergrond": "age_group:75+"}, 16, 12),
    ],
)
def test_a_results_page_runs_a_bounded_number_of_queries(
    life_event_wave: Wave,
    bram_researcher: User,
    path: str,
    params: dict[str, str],
    cold_bound: int,
    warm_bound: int,
) -> None:
    client = client_for(bram_researcher)
    url = f"{BASE}{life_event_wave.pk}/{path}"
    dataset.clear_cache()
    cold = count_queries(lambda: client.get(url, params))
    warm = count_queries(lambda: client.get(url, params))
    assert cold <= cold_bound, cold
    assert warm <= warm_bound, warm
    assert warm < cold  # the second request reads no answers again


def test_the_query_count_does_not_grow_with_the_responses(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    """Twice the responses (a copy of the wave's answers) cost the same number of queries."""
    from tests.surveys.results.conftest import synthetic_wave

    client = client_for(bram_researcher)
    bigger = synthetic_wave(life_event_wave.survey, "meting groot", 800, seed=11, days_ago=5)
    counts = []
    for wave in (life_event_wave, bigger):
        dataset.clear_cache()
        counts.append(count_queries(lambda wave=wave: client.get(f"{BASE}{wave.pk}/")))
    assert counts[0] == counts[1]
