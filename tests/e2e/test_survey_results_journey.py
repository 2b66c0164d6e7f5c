"""A researcher reads the results of the life-event survey in a real browser.

The demo world's researcher (``bram.onderzoek``) opens the results from the staff menu: the
waves, this year's wave with its tables and charts, a filter on one life event, the priority
matrix, the chain view of that life event, the benchmark, and finally requests a CSV export and
downloads it. Every page on the way is checked with axe-core; every chart answers as an SVG.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from burgerlink.core.exports import jobs
from burgerlink.core.models import Export, ExportStatus
from burgerlink.surveys.models import Wave
from burgerlink.surveys.results import dataset, selectors
from burgerlink.surveys.results.demo import DEMO_TITLE, demo_size
from burgerlink.surveys.results.exports import RESPONSES
from tests.e2e.conftest import axe_check, visit
from tests.e2e.test_service_quality_journey import follow, menu_link, press, sign_in_as

RESULTS = "/medewerkers/amstelstad/onderzoek/resultaten/"


@pytest.fixture(autouse=True)
def private_results(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Exports go to a temporary media root; every test computes its own results."""
    settings.MEDIA_ROOT = tmp_path / "media"
    dataset.clear_cache()
    yield
    dataset.clear_cache()


def assert_svg(page: Page, image: Locator) -> None:
    """The chart has a text alternative and its address answers with an SVG image."""
    expect(image).to_have_attribute("alt", re.compile(r"\S"))
    src = image.get_attribute("src")
    assert src
    answer = page.request.get(src)
    assert answer.status == 200, src
    assert answer.headers["content-type"].startswith("image/svg+xml"), src
    assert answer.text().lstrip().startswith(("<svg", "<?xml")), src


def back_to_results(page: Page) -> None:
    """Follow the breadcrumb back to the list of waves."""
    follow(
        page,
        page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Resultaten"),
        f"**{RESULTS}",
    )


def cells(row: Locator) -> list[str]:
    return [text.strip() for text in row.locator("th, td").all_inner_texts()]


def test_a_researcher_reads_filters_compares_and_exports_the_survey_results(
    page: Page, load_demo: Callable[..., None]
) -> None:
    load_demo("Vragenlijsten", "Tevredenheidsonderzoek")
    size = demo_size()
    wave = Wave.objects.get(survey__title=DEMO_TITLE, name="Meting dit jaar")
    sign_in_as(page, "bram.onderzoek", settings.DEMO_PASSWORD)

    # The waves of the organisation, from the staff menu.
    follow(page, menu_link(page, "Resultaten"), f"**{RESULTS}")
    expect(page.locator("h1")).to_have_text("Resultaten van onderzoek")
    waves = page.get_by_role("table", name="Metingen")
    this_year = waves.locator("tbody tr", has_text="Meting dit jaar")
    expect(this_year.locator("td").last).to_have_text(str(size))
    expect(waves.locator("tbody tr", has_text="Meting vorig jaar").locator("td").last).to_have_text(
        str(round(size * 0.6))
    )

    # This year's wave: grades on three levels, per life event, the priority matrix.
    follow(
        page,
        this_year.get_by_role("link", name=f"{DEMO_TITLE}: Meting dit jaar"),
        f"**{RESULTS}{wave.pk}/",
    )
    expect(page.locator("h1")).to_have_text(f"Resultaten: {DEMO_TITLE} – Meting dit jaar")
    levels = page.get_by_role("table", name="Rapportcijfers op drie niveaus")
    expect(levels.locator("tbody tr")).to_have_count(3)
    for row in levels.locator("tbody tr").all():
        n, mean = cells(row)[1:3]
        assert int(n) > 0 and re.fullmatch(r"\d,\d", mean), cells(row)
    events = page.get_by_role("table", name="Rapportcijfers per levensgebeurtenis")
    expect(events.locator("tbody tr")).to_have_count(7)
    moving = events.locator("tbody tr", has_text="Verhuizen")
    moving_n = int(cells(moving)[1])
    assert 0 < moving_n < size
    assert_svg(page, page.locator("section[aria-labelledby='niveaus'] img"))

    matrix = page.locator("section[aria-labelledby='prioriteiten']")
    expect(matrix.get_by_role("heading", level=2)).to_have_text(
        "Wat bepaalt het oordeel: de prioriteitenmatrix"
    )
    drivers = matrix.get_by_role("table", name="Belang, prestatie en kwadrant per aspect")
    quadrants = {"Verbeteren", "Handhaven", "Lagere prioriteit", "Mogelijk te veel aandacht"}
    rows = drivers.locator("tbody tr")
    assert rows.count() >= 4
    for row in rows.all():
        assert cells(row)[-1] in quadrants, cells(row)
    assert_svg(page, matrix.locator("img"))
    expect(page.get_by_role("table", name=re.compile("^Gemiddelden nu en toen"))).to_be_visible()

    # Filter on one life event (a GET form), by keyboard.
    choice = page.get_by_label("Levensgebeurtenis (niet verplicht)", exact=True)
    choice.focus()
    page.keyboard.type("Verhuizen")
    expect(choice).to_have_value("verhuizen")
    press(page, page.get_by_role("button", name="Filters toepassen"))
    assert "levensgebeurtenis=verhuizen" in page.url
    summary = page.locator("p", has_text="Gefilterd op:")
    expect(summary).to_contain_text("Gefilterd op: levensgebeurtenis Verhuizen.")
    found = re.search(r"(\d+) responsen in deze selectie", summary.inner_text())
    assert found, summary.inner_text()
    selected = int(found.group(1))  # who went through the event; not all gave the chain a grade
    assert moving_n <= selected < size
    filtered = page.get_by_role("table", name="Rapportcijfers op drie niveaus")
    chain_level = filtered.locator("tbody tr").nth(1)
    assert cells(chain_level)[1] == str(moving_n), cells(chain_level)
    assert_svg(page, page.locator("section[aria-labelledby='niveaus'] img"))
    assert "levensgebeurtenis=verhuizen" in (
        page.locator("section[aria-labelledby='niveaus'] img").get_attribute("src") or ""
    )

    # The chain view of that life event: every organisation of the chain side by side.
    follow(
        page,
        page.get_by_role("table", name="Rapportcijfers per levensgebeurtenis").get_by_role(
            "link", name="Verhuizen", exact=True
        ),
        f"**{RESULTS}{wave.pk}/keten/verhuizen/",
    )
    expect(page.locator("h1")).to_have_text("Ketenweergave: Verhuizen")
    expect(page.locator("main")).to_contain_text(
        f"{selected} respondenten maakten deze gebeurtenis mee."
    )
    chain = page.get_by_role("table", name="Rapportcijfers in de keten van Verhuizen")
    labels = [cells(row)[0] for row in chain.locator("tbody tr").all()]
    assert labels[-2:] == ["Keten van de levensgebeurtenis", "Overheid als geheel"], labels
    chain_row = chain.locator("tbody tr", has_text="Keten van de levensgebeurtenis")
    assert cells(chain_row)[1] == str(moving_n), cells(chain_row)
    assert len(labels) >= 3, labels
    assert_svg(page, page.locator("main figure img"))

    # The benchmark: organisations that used the same template version.
    back_to_results(page)
    follow(
        page,
        page.get_by_role("link", name="Benchmark: organisaties die dezelfde sjabloonversie"),
        f"**{RESULTS}benchmark/",
    )
    expect(page.locator("h1")).to_have_text("Benchmark tussen organisaties")
    benchmark = page.get_by_role("table", name="Rapportcijfers per organisatie")
    own = benchmark.locator("tbody tr", has_text="Gemeente Amstelstad (uw organisatie)")
    expect(own).to_contain_text("Meting dit jaar")
    assert cells(own)[1] == str(size)
    assert_svg(page, page.locator("main figure img"))

    # The analysis settings: a threshold below 10 is refused with an error summary, then saved.
    back_to_results(page)
    follow(
        page,
        page.get_by_role("link", name="Analyse-instellingen wijzigen"),
        f"**{RESULTS}instellingen/",
    )
    page.get_by_label("Verbergen onder n =").fill("5")
    press(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator("#form-errors")).to_contain_text("Kies minimaal 10.")
    page.get_by_label("Verbergen onder n =").fill("30")
    page.get_by_label("Significantieniveau (α)").fill("0,01")
    press(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator(".messages")).to_contain_text("De analyse-instellingen zijn opgeslagen.")
    expect(page.get_by_label("Significantieniveau (α)")).to_have_value("0,01")

    # Exports: request a CSV of this year's wave; under pytest it is made at once.
    back_to_results(page)
    follow(
        page,
        page.get_by_role("link", name=f"{DEMO_TITLE}: Meting dit jaar"),
        f"**{RESULTS}{wave.pk}/",
    )
    page.get_by_role("link", name="Exports (CSV, Excel, SPSS)").click()
    exports = page.locator("section[aria-labelledby='exports']")
    expect(exports.get_by_label("SPSS (.sav) met variabele- en waardelabels")).to_be_checked()
    csv_choice = exports.get_by_label("CSV (UTF-8)")
    csv_choice.focus()
    page.keyboard.press("Space")
    expect(csv_choice).to_be_checked()
    press(page, exports.get_by_role("button", name="Export maken"))
    page.wait_for_url(f"**{RESULTS}{wave.pk}/#exports")
    expect(page.locator(".messages")).to_contain_text("De export wordt gemaakt.")
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE and export.file_format == "csv"
    made = page.get_by_role("table", name="Exports van deze meting").locator("tbody tr")
    expect(made).to_have_count(1)
    expect(made.locator("td").nth(2)).to_have_text(f"Klaar: {size} responsen")
    download = made.get_by_role("link", name="Download (CSV)")
    href = download.get_attribute("href")
    assert href == f"{RESULTS}exports/{export.pk}/download/"
    answer = page.request.get(href)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(answer.text().lstrip("\ufeff"))))
    assert len(table) == size + 1, len(table)
    header = table[0]
    assert header[:5] == ["RESPONDENT", "COMPLETED", "CHANNEL", "LANGUAGE", "WEIGHT"], header
    assert {"GRADE_GOV", "GRADE_CHAIN", "SPEED"} <= set(header), header
    assert not any("mail" in name.lower() or "token" in name.lower() for name in header), header


def dutch(number: int) -> str:
    """A whole number as a Dutch page writes it (1.234)."""
    return f"{number:,}".replace(",", ".")


def test_the_export_status_updates_itself_without_a_reload(
    page: Page, load_demo: Callable[..., None]
) -> None:
    load_demo("Vragenlijsten", "Tevredenheidsonderzoek")
    wave = Wave.objects.get(survey__title=DEMO_TITLE, name="Meting dit jaar")
    total = selectors.completed(wave).count()
    export = Export.objects.create(
        organisation=wave.organisation,
        kind=RESPONSES,
        subject=str(wave.pk),
        file_format="sav",
        status=ExportStatus.RUNNING,
        rows_total=total,
    )
    sign_in_as(page, "bram.onderzoek", settings.DEMO_PASSWORD)
    visit(page, f"{RESULTS}{wave.pk}/")
    made = page.get_by_role("table", name="Exports van deze meting").locator("tbody tr")
    expect(made.locator("td").nth(2)).to_contain_text(f"Bezig: 0 van {dutch(total)} responsen")
    page.evaluate("() => { window.stillTheSamePage = true; }")

    half = total // 2
    Export.objects.filter(pk=export.pk).update(rows_done=half)
    expect(made.locator("td").nth(2)).to_contain_text(f"{dutch(half)} van {dutch(total)}")
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.QUEUED)
    jobs.run_export(export.pk)  # the worker finishes the file
    expect(made.locator("td").nth(2)).to_have_text(f"Klaar: {dutch(total)} responsen")
    expect(made.get_by_role("link", name="Download (SPSS)")).to_be_visible()
    assert page.evaluate("() => window.stillTheSamePage === true")  # no reload happened
    axe_check(page)  # the list as swapped in is accessible too (and no CSP error was logged)
    page.wait_for_timeout(2500)  # longer than one poll: a finished list asks nothing more
    assert page.locator("#export-status[hx-get]").count() == 0
