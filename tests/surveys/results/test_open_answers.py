"""Open answers: grouped (identical after trimming and case-folding), counted, searchable,
filterable by question and group, paged; never who wrote them."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from burgerlink.core.models import Organisation, User
from burgerlink.surveys.models import (
    AnalysisSettings,
    Response,
    ResponseChannel,
    ResponseStatus,
    Wave,
)
from burgerlink.surveys.results import dataset
from tests.conftest import client_for
from tests.surveys.results.conftest import (
    SMALL_DEFINITION,
    closed_wave,
    fielded_survey,
    store_answers,
)

ANSWERS = [
    ("Vriendelijk", "young"),
    ("  vriendelijk ", "young"),
    ("VRIENDELIJK", "old"),
    ("Snel  geholpen", "old"),
    ("snel geholpen", "young"),
    ("Duidelijke uitleg", "young"),
    ("Lange wachttijd aan de balie", "old"),
]


def open_wave(organisation: Organisation, answers: list[tuple[str, str]]) -> Wave:
    survey = fielded_survey(organisation, SMALL_DEFINITION, "Open antwoorden")
    wave = closed_wave(survey, "meting")
    for text, age in answers:
        response = Response.objects.create(
            wave=wave,
            organisation=organisation,
            version=wave.version,
            status=ResponseStatus.COMPLETED,
            channel=ResponseChannel.WEB,
            background={"age_group": age},
            completed_at=wave.closes_at - timedelta(days=1),
        )
        store_answers(response, {"EVENT": 1, "OVERALL": 7, "OPEN_GOOD": text})
    return wave


def rows(html: str) -> list[tuple[str, str]]:
    table = html[html.index('id="tabel-open"') : html.index("</table>")]
    found = re.findall(
        r'<td class="utrecht-table__cell">(.*?)</td><td class="utrecht-table__cell numeric">(\d+)</td>',
        table,
    )
    return [(unescape(text), count) for text, count in found]


def test_identical_answers_are_one_group_with_their_number(amstelstad: Organisation) -> None:
    wave = open_wave(amstelstad, ANSWERS)
    found = dataset.open_answers(dataset.wave_analysis(wave), "OPEN_GOOD")
    assert [(group.text, group.count) for group in found.groups] == [
        ("Vriendelijk", 3),  # the spellings tie 1-1-1: not the capitals, alphabetically first
        ("Snel geholpen", 2),
        ("Duidelijke uitleg", 1),
        ("Lange wachttijd aan de balie", 1),
    ]
    assert found.answers == 7 and found.matching == 7
    searched = dataset.open_answers(dataset.wave_analysis(wave), "OPEN_GOOD", " SNEL ")
    assert [(group.text, group.count) for group in searched.groups] == [("Snel geholpen", 2)]
    assert searched.matching == 2 and searched.answers == 7


def test_the_page_groups_searches_filters_and_pages(
    amstelstad: Organisation, bram_researcher: User
) -> None:
    wave = open_wave(amstelstad, ANSWERS)
    client = client_for(bram_researcher)
    url = f"/medewerkers/amstelstad/onderzoek/resultaten/{wave.pk}/open-antwoorden/"
    # a filtered group this small would be withheld; lower the threshold for the filter
    AnalysisSettings.objects.create(organisation=amstelstad, hide_below=2, flag_below=2)
    html = client.get(url, {"vraag": "OPEN_GOOD"}).content.decode()
    assert rows(html)[:2] == [("Vriendelijk", "3"), ("Snel geholpen", "2")]
    assert "7 antwoorden (4 verschillende)" in html
    searched = client.get(url, {"vraag": "OPEN_GOOD", "zoek": "balie"}).content.decode()
    assert rows(searched) == [("Lange wachttijd aan de balie", "1")]
    assert "bevat „balie”" in searched
    nothing = client.get(url, {"vraag": "OPEN_GOOD", "zoek": "xyz"}).content.decode()
    assert "Geen antwoorden met „xyz”" in nothing
    # filtered by a background group: only the old respondents' answers
    old = client.get(url, {"vraag": "OPEN_GOOD", "achtergrond": "age_group:old"}).content.decode()
    assert sorted(rows(old)) == [
        ("Lange wachttijd aan de balie", "1"),
        ("Snel geholpen", "1"),
        ("VRIENDELIJK", "1"),
    ]
    # the search form keeps the question and the filters
    assert '<input type="hidden" name="achtergrond" value="age_group:old">' in old
    assert '<input type="hidden" name="vraag" value="OPEN_GOOD">' in old
    # no identities: the table holds the answer and its number only, no e-mail addresses
    table = html[html.index('id="tabel-open"') : html.index("</table>")]
    assert len(re.findall(r"<td\b", table)) == 2 * len(rows(html))
    assert "@" not in html.split('id="inhoud"')[-1]


def test_groups_are_paged_25_at_a_time_and_the_pages_keep_the_search(
    amstelstad: Organisation, bram_researcher: User
) -> None:
    answers = [(f"Opmerking nummer {i:02d}", "young") for i in range(30)] + [("Iets anders", "old")]
    wave = open_wave(amstelstad, answers)
    url = f"/medewerkers/amstelstad/onderzoek/resultaten/{wave.pk}/open-antwoorden/"
    client = client_for(bram_researcher)
    first = client.get(url, {"vraag": "OPEN_GOOD", "zoek": "opmerking"}).content.decode()
    assert len(rows(first)) == 25
    assert "Pagina 1 van 2" in first
    assert "zoek=opmerking&amp;pagina=2" in first
    second = client.get(
        url, {"vraag": "OPEN_GOOD", "zoek": "opmerking", "pagina": 2}
    ).content.decode()
    assert [text for text, _count in rows(second)] == [
        f"Opmerking nummer {i:02d}" for i in range(25, 30)
    ]
