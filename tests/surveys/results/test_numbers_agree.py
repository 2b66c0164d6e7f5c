"""Numbers people can trust: every figure written on a chart equals the figure in the table
beside it (same rounding, same language), and counts agree across the results pages.

Every results page with charts is visited (the wave page unfiltered and filtered to an
organisation and to a life event, every chain view, the benchmark), in Dutch and in English;
each chart's SVG is fetched and its figures (the ``waarde-N`` groups, in table order) are
compared with the table in the same ``pair`` block.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client

from burgerlink.core.models import Organisation, User
from burgerlink.surveys.models import Wave
from burgerlink.surveys.results import dataset
from burgerlink.surveys.results.charts import VALUE_ID
from tests.conftest import client_for
from tests.surveys.results.conftest import EVENTS, life_event_survey, synthetic_wave

BASE = "/medewerkers/amstelstad/onderzoek/resultaten/"


def clean(fragment: str) -> str:
    """The text of an HTML or SVG fragment, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(block: str) -> list[list[str]]:
    """The cells of every body row of the first table in ``block``."""
    body = block[block.index("<tbody") : block.index("</tbody>")]
    return [
        [clean(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr\b.*?</tr>", body, re.S)
    ]


def chart_figures(svg: str) -> list[str]:
    """The figures written on a chart, in the order of their ids."""
    found = re.findall(rf'<g id="{VALUE_ID}(\d+)">(.*?)</g>', svg, re.S)
    return [clean(text) for _index, text in sorted(found, key=lambda item: int(item[0]))]


def pairs(html: str) -> list[tuple[str, str, list[list[str]]]]:
    """Each chart beside a table: its URL, its alt text and the table's rows."""
    found = []
    for block in html.split('<div class="pair">')[1:]:
        image = re.search(r'<img [^>]*src="([^"]+)"[^>]*alt="([^"]*)"', block)
        assert image is not None
        found.append((unescape(image.group(1)), unescape(image.group(2)), table_rows(block)))
    return found


def check_page(client: Client, url: str) -> int:
    """Compare every chart of a page with its table; return the number of charts checked."""
    page = client.get(url)
    assert page.status_code == 200, url
    checked = 0
    for src, alt, rows in pairs(page.content.decode()):
        assert not re.search(r"\d", alt), alt  # the alternative text holds no figures of its own
        svg = client.get(src)
        assert svg.status_code == 200, src
        figures = chart_figures(svg.content.decode())
        if src.split("?")[0].endswith("/prioriteiten.svg"):
            # numbered points: each number is a row of the table that has both figures
            placed = [row[0] for row in rows if row[2] != "–" and row[4] != "–"]
            assert figures == placed, (src, figures, placed)
        else:
            assert len(figures) == len(rows), (src, figures, rows)
            for figure, row in zip(figures, rows, strict=True):
                assert figure in row, (src, figure, row)
        checked += 1
    return checked


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_figure_on_a_chart_equals_its_table(
    life_event_wave: Wave, bram_researcher: User, heidedorp: Organisation, language: str
) -> None:
    synthetic_wave(life_event_survey(heidedorp, "Levensgebeurtenissen Heidedorp"), "meting", 60)
    client = client_for(bram_researcher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    wave = f"{BASE}{life_event_wave.pk}/"
    urls = [
        wave,
        f"{wave}?organisatie=gemeente",
        f"{wave}?levensgebeurtenis=verhuizen",
        *[f"{wave}keten/{event}/" for event in EVENTS],
        f"{BASE}benchmark/",
    ]
    counts = {url: check_page(client, url) for url in urls}
    assert counts[wave] == 6  # grades, events, organisations, distribution, BSC, matrix
    assert all(counts.values()), counts
    # the language reached the charts: a decimal comma in Dutch, a point in English
    svg = client.get(f"{wave}grafiek/cijfers.svg").content.decode()
    mean = chart_figures(svg)[0]
    assert ("," in mean) == (language == "nl") and ("." in mean) == (language == "en")


def headline_number(html: str, pattern: str) -> int:
    found = re.search(pattern, clean(html))
    assert found is not None, pattern
    return int(found.group(1).replace(".", "").replace(",", ""))


def test_counts_agree_across_pages(life_event_wave: Wave, bram_researcher: User) -> None:
    client = client_for(bram_researcher)
    wave = f"{BASE}{life_event_wave.pk}/"
    page = client.get(wave).content.decode()
    completed = headline_number(page, r"Ingevulde vragenlijsten ([\d.]+)")
    index = {row[0]: row for row in table_rows(client.get(BASE).content.decode())}
    assert index[f"{life_event_wave.survey.title}: meting dit jaar"][2] == str(completed)
    api = client.get(
        f"/api/v1/surveys/{life_event_wave.survey_id}/waves/{life_event_wave.pk}/results"
    )
    assert api.json()["n_total"] == completed
    cat = dataset.wave_catalogue(life_event_wave)
    events = {row[0]: row[1] for row in table_rows(page[page.index('id="tabel-gebeurtenissen"') :])}
    for event in EVENTS:
        chain = client.get(f"{wave}keten/{event}/").content.decode()
        respondents = headline_number(chain, r"([\d.]+) respondent(?:en)? (?:maakte|maakten)")
        graded = headline_number(chain, r"([\d.]+) van hen (?:gaf|gaven) de keten")
        rows = {row[0]: row for row in table_rows(chain)}
        # the headline's n of the chain grade is the n of the table beside it ...
        assert rows["Keten van de levensgebeurtenis"][1] == str(graded)
        # ... and of the event's row on the wave page
        assert events[cat.event_label(event)] == str(graded)
        # the respondents are the wave page's selection for that life event
        filtered = client.get(wave, {"levensgebeurtenis": event}).content.decode()
        assert headline_number(filtered, r"([\d.]+) respons(?:en)? in deze selectie") == respondents
        assert graded <= respondents
