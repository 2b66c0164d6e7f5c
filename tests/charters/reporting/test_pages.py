"""Public pages: dashboard and charts, accountability reports (HTML and PDF), open data."""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from burgerlink.charters.models import ComplianceMonth
from burgerlink.charters.reporting.opendata import FIELD_NAMES
from burgerlink.charters.reporting.services import refresh_compliance_months
from burgerlink.core.models import Organisation, User
from tests.charters.reporting.conftest import (
    MET,
    MISSED,
    OPEN,
    AmstelCharter,
    add_cases,
    add_contacts,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)
DASHBOARD = "/organisaties/amstelstad/dienstverlening/"


@pytest.fixture
def measured(amstelstad: Organisation, charter: AmstelCharter) -> AmstelCharter:
    """Records in March, April and May 2025, aggregated as an import would leave them."""
    add_contacts(charter.v1["phone"], MARCH, [MET] * 9 + [MISSED])
    add_contacts(charter.v2["phone"], APRIL, [MET] * 3 + [MISSED])
    add_contacts(charter.v2["email"], MAY, [MET, MISSED, OPEN])
    add_cases(charter.v2["permit"], APRIL, [MET, MET])
    now = datetime(2025, 6, 1, tzinfo=UTC)
    for kind in ("contact", "case"):
        refresh_compliance_months(organisation=amstelstad, record_kind=kind, now=now)
    return charter


def html_of(response: Any) -> str:
    return response.content.decode()


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, for searching."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # not a Flate stream (a font subset, say)
    return b"\n".join(parts)


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_shows_target_realisation_and_trend_per_norm(measured: AmstelCharter) -> None:
    response = Client().get(DASHBOARD, {"periode": "2025-Q2"})
    html = html_of(response)
    assert response.status_code == 200
    assert "Hoe goed houden we ons aan onze beloften?" in html
    assert "Resultaten 2e kwartaal 2025" in html
    # Phone in Q2: 3 of 4 on time (75%) against the 85% of version 2.
    assert "Telefoon binnen 25 seconden opgenomen" in html
    assert "75,0%" in html and "85%" in html
    # Q1 is in the trend with its own target (80%) and 90% realised.
    assert "1e kwartaal 2025" in html and "90,0%" in html
    assert (
        'src="/organisaties/amstelstad/dienstverlening/grafiek/phone.svg?periode=2025-Q2"' in html
    )
    assert re.search(r'<img [^>]*alt="Staafdiagram van Telefoon', html)
    assert html.count("<caption ") == 4  # the overview and one trend table per norm
    assert 'style="' not in html  # the CSP forbids inline styles
    assert "/organisaties/amstelstad/dienstverlening/verantwoording/2025-Q2/" in html
    assert "/benchmark/phone-answered/?periode=2025" in html


def test_dashboard_has_no_rows_for_periods_before_the_charter(measured: AmstelCharter) -> None:
    """The charter began in 2024: the trend tables of 2025-Q2 start there, not in 2023."""
    html = html_of(Client().get(DASHBOARD, {"periode": "2025-Q2"}))
    assert "1e kwartaal 2024" in html
    assert "2023" not in html  # no "niet gemeten" for a promise nobody had made yet


def test_dashboard_defaults_to_the_quarter_of_the_latest_figures(measured: AmstelCharter) -> None:
    html = html_of(Client().get(DASHBOARD))
    assert "Resultaten 2e kwartaal 2025" in html
    assert '<option value="2025-Q2" selected>' in html
    assert '<option value="2024-Q4"' not in html  # nothing measured before 2025


def test_dashboard_reads_only_the_aggregates(
    measured: AmstelCharter, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    with django_assert_max_num_queries(8) as captured:
        response = client.get(DASHBOARD, {"periode": "2025"})
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "charters_compliancemonth" in sql
    assert "charters_contact" not in sql and "charters_case" not in sql


def test_dashboard_refuses_a_bad_period_politely(measured: AmstelCharter) -> None:
    response = Client().get(DASHBOARD, {"periode": "2025-Q9"})
    html = html_of(response)
    assert response.status_code == 400
    assert "Kies een bestaand jaar, kwartaal of maand" in html
    assert 'aria-invalid="true"' in html
    assert "Resultaten 2e kwartaal 2025" in html  # the latest figures are still shown


def test_dashboard_without_figures(amstelstad: Organisation) -> None:
    response = Client().get(DASHBOARD)
    assert response.status_code == 200
    assert "geen gemeten beloften" in html_of(response)


def test_dashboard_of_an_unknown_organisation_is_404(db: None) -> None:
    assert Client().get("/organisaties/nergensdorp/dienstverlening/").status_code == 404


def test_organisation_page_links_to_the_dashboard(amstelstad: Organisation) -> None:
    html = html_of(Client().get("/organisaties/amstelstad/"))
    assert f'href="{DASHBOARD}"' in html
    assert "Hoe goed houden we ons aan onze beloften?" in html


# --- charts -----------------------------------------------------------------------------------


def test_chart_is_an_svg_image_without_inline_styles(measured: AmstelCharter) -> None:
    response = Client().get(f"{DASHBOARD}grafiek/phone.svg", {"periode": "2025-Q2"})
    svg = html_of(response)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "max-age=300" in response["Cache-Control"]
    assert "style=" not in svg and "<style" not in svg
    assert 'role="img"' in svg
    assert '<title id="chart-title">Telefoon binnen 25 seconden opgenomen</title>' in svg
    # Text stays text: labels are readable, no glyph outlines, no external fonts.
    assert "K1 2025" in svg and "75%" in svg and "<text" in svg
    assert "http://" not in svg.replace("http://www.w3.org/", "")
    assert "font-face" not in svg and "@import" not in svg


def test_chart_of_an_unknown_norm_or_period(measured: AmstelCharter) -> None:
    assert Client().get(f"{DASHBOARD}grafiek/onbekend.svg").status_code == 404
    assert Client().get(f"{DASHBOARD}grafiek/phone.svg", {"periode": "x"}).status_code == 400
    assert Client().get(f"{DASHBOARD}grafiek/phone.svg").status_code == 200


def test_each_chart_is_drawn_once_per_data_version(
    measured: AmstelCharter, amstelstad: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every later request of a chart, from any visitor, is answered without reading or drawing
    again; an import (a new data version) gives a chart of the new figures."""
    from burgerlink.charters.reporting import selectors

    chart = f"{DASHBOARD}grafiek/phone.svg"
    first = html_of(Client().get(chart, {"periode": "2025-Q2"}))

    def no_figures(*args: object, **kwargs: object) -> object:
        raise AssertionError("a chart read the figures again")

    with monkeypatch.context() as patched:
        patched.setattr(selectors, "service_dashboard", no_figures)
        again = Client().get(chart, {"periode": "2025-Q2"})
        assert again.status_code == 200
        assert again["Content-Type"].startswith("image/svg+xml")
        assert html_of(again) == first
    # New records in April: the chart of the new data version shows them.
    add_contacts(measured.v2["phone"], APRIL, [MISSED] * 4)
    refresh_compliance_months(
        organisation=amstelstad, record_kind="contact", now=datetime(2025, 6, 1, tzinfo=UTC)
    )
    after = html_of(Client().get(chart, {"periode": "2025-Q2"}))
    assert "75%" in first and "75%" not in after and "38%" in after


# --- accountability reports -------------------------------------------------------------------


def test_quarter_report_html(measured: AmstelCharter) -> None:
    response = Client().get(f"{DASHBOARD}verantwoording/2025-Q2/")
    html = html_of(response)
    assert response.status_code == 200
    assert "Verantwoording servicebeloften Gemeente Amstelstad, 2e kwartaal 2025" in html
    assert "Van de 4 gemeten gevallen zijn er 3 op tijd afgehandeld" in html
    assert "Het streefpercentage is niet gehaald." in html
    assert "Compensatie als de belofte niet is nagekomen: een excuusbrief" in html
    assert "Nog 1 gevallen lopen binnen de termijn" not in html  # the open e-mail is overdue now
    assert f"{DASHBOARD}verantwoording/2025-Q2.pdf" in html
    assert (
        f"{DASHBOARD}verantwoording/2025-Q1/" in html and f"{DASHBOARD}verantwoording/2025/" in html
    )
    assert 'style="' not in html


def test_year_report_and_refusals(measured: AmstelCharter) -> None:
    assert Client().get(f"{DASHBOARD}verantwoording/2025/").status_code == 200
    for bad in ("2025-03", "2025-Q7", "morgen", "1989"):
        assert Client().get(f"{DASHBOARD}verantwoording/{bad}/").status_code == 404, bad
        assert Client().get(f"{DASHBOARD}verantwoording/{bad}.pdf").status_code == 404, bad


def test_report_pdf_is_tagged(measured: AmstelCharter) -> None:
    response = Client().get(f"{DASHBOARD}verantwoording/2025-Q2.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="amstelstad-verantwoording-2025-Q2.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-1.7")
    pdf = pdf_text(response.content)
    assert b"/StructTreeRoot" in pdf and b"/MarkInfo" in pdf  # tagged for screen readers
    assert b"pdfuaid" in pdf  # declares PDF/UA-1
    assert b"/Lang (nl)" in pdf


# --- open data --------------------------------------------------------------------------------


def test_open_data_csv(measured: AmstelCharter) -> None:
    ComplianceMonth.objects.filter(norm_code="email").update(met=0)
    measured.v2["email"].title_nl = "=HYPERLINK(1)"
    measured.v2["email"].title_en = "@SUM(1+1)"
    measured.v2["email"].save()
    response = Client().get(f"{DASHBOARD}open-data.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"] == 'attachment; filename="amstelstad-dienstverlening.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == FIELD_NAMES
    phone_march = next(r for r in rows if r["code"] == "phone" and r["month"] == "2025-03")
    assert phone_march == {
        "organisation": "amstelstad",
        "month": "2025-03",
        "code": "phone",
        "title_nl": "Telefoon binnen 25 seconden opgenomen",
        "title_en": "Phone answered within 25 seconds",
        "record_kind": "contact",
        "channel": "phone",
        "case_type": "",
        "target_share": "0.8000",
        "n": "10",
        "met": "9",
        "missed": "1",
        "open": "0",
        "share_met": "0.9000",
    }
    email = next(r for r in rows if r["code"] == "email")
    assert email["title_nl"] == "'=HYPERLINK(1)"  # no formula in a spreadsheet
    assert email["title_en"] == "'@SUM(1+1)"
    assert email["share_met"] == "0.0000"
    assert [r["month"] for r in rows] == sorted(r["month"] for r in rows)


def test_open_data_json_describes_its_fields(measured: AmstelCharter) -> None:
    response = Client().get(f"{DASHBOARD}open-data.json", {"periode": "2025-Q2"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert [field["name"] for field in document["fields"]] == FIELD_NAMES
    assert all(field["description"] for field in document["fields"])
    assert {(row["code"], row["month"]) for row in document["rows"]} == {
        ("phone", "2025-04"),
        ("permit", "2025-04"),
        ("email", "2025-05"),
    }
    permit = next(row for row in document["rows"] if row["code"] == "permit")
    assert permit["share_met"] == 1.0 and permit["case_type"] == "omgevingsvergunning-regulier"
    assert Client().get(f"{DASHBOARD}open-data.json", {"periode": "nope"}).status_code == 400


def test_open_data_never_scans_records(
    measured: AmstelCharter, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(4) as captured:
        Client().get(f"{DASHBOARD}open-data.csv")
    assert not any("charters_contact" in q["sql"] for q in captured.captured_queries)


# --- staff panel --------------------------------------------------------------------------------


def test_staff_dashboard_shows_this_quarter(
    amstelstad: Organisation, charter: AmstelCharter, anna_admin: User
) -> None:
    from django.utils import timezone

    today = timezone.localdate().replace(day=1)
    add_contacts(charter.v2["phone"], today, [MET, MET, MISSED, MISSED])
    refresh_compliance_months(organisation=amstelstad, record_kind="contact")
    html = html_of(client_for(anna_admin).get("/medewerkers/amstelstad/"))
    assert "Servicebeloften dit kwartaal" in html
    assert "Telefoon binnen 25 seconden opgenomen" in html
    assert "50,0%" in html and "doel niet gehaald" in html
    assert f'href="{DASHBOARD}?periode=' in html


def test_staff_dashboard_panel_without_figures(amstelstad: Organisation, anna_admin: User) -> None:
    response = client_for(anna_admin).get("/medewerkers/amstelstad/")
    assert response.status_code == 200
    assert "Nog geen gemeten beloften" in html_of(response)


def test_dashboard_in_english_uses_english_titles_and_periods(measured: AmstelCharter) -> None:
    client = Client()
    client.cookies["burgerlink_language"] = "en"
    html = html_of(client.get(DASHBOARD, {"periode": "2025-Q2"}))
    assert '<html lang="en">' in html
    assert "Phone answered within 25 seconds" in html
    assert "Q1 2025" in html and "1e kwartaal 2025" not in html


def test_report_pdf_fits_its_columns_on_the_page(
    measured: AmstelCharter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table cell of the accountability PDF ends within the page's content box."""
    from weasyprint import HTML

    from burgerlink.charters.reporting import views

    pages: list[str] = []
    monkeypatch.setattr(views, "html_to_pdf", lambda html, css="": pages.append(html) or b"%PDF")
    assert Client().get(f"{DASHBOARD}verantwoording/2025-Q2.pdf").status_code == 200
    document = HTML(string=pages[0]).render()

    def boxes(box: object) -> Iterator[object]:
        yield box
        for child in getattr(box, "children", []):
            yield from boxes(child)

    cells = 0
    for page in document.pages:
        right_edge = page.width - page._page_box.margin_right
        for box in boxes(page._page_box):
            if getattr(box, "element_tag", "") in ("td", "th"):
                cells += 1
                edge = box.position_x + box.margin_width()
                assert edge <= right_edge + 0.5, (box.element_tag, edge, right_edge)
    assert cells > 20
