"""Service quality in a real browser (issue #3): compose and publish a charter, import records,
read the public dashboard, and claim compensation for a missed promise.

A quality manager of the demo world (``kees.kwaliteit``) composes Amstelstad's first charter from
the model-norm library, gives the e-mail promise a fixed compensation and publishes it from
1 January of last year. They import a small file of calls and e-mails from March and May of that
year, then a file with errors. The public dashboard and the accountability report show the
figures; the quality manager issues a claim code for a late e-mail, a citizen in a browser of
their own claims compensation with it, and the quality manager grants the claim and marks the
other late e-mail as paid in the register, by keyboard, also on a 320 px screen. Every page on
the way is checked with axe-core.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from burgerlink.charters.models import (
    CharterVersion,
    Claim,
    ClaimStatus,
    CompensationEntry,
    Contact,
    EntryStatus,
    VersionStatus,
)
from tests.e2e.conftest import axe_check, visit

SLUG = "amstelstad"
DASHBOARD = f"/medewerkers/{SLUG}/"
IBAN = "NL91 ABNA 0417 1643 00"


def sign_in_as(page: Page, username: str, password: str) -> None:
    """Sign in through the login form by keyboard and land on the staff dashboard."""
    visit(page, "/medewerkers/")
    assert "/inloggen/" in page.url
    page.get_by_label("Gebruikersnaam", exact=True).focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{DASHBOARD}")
    axe_check(page)


def menu_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Medewerkersmenu").get_by_role(
        "link", name=name, exact=True
    )


def press(page: Page, button: Locator) -> None:
    """Focus a button, press Enter, and check the page that loads."""
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)


def follow(page: Page, link: Locator, url: str | re.Pattern[str]) -> None:
    """Click a link and check the page it opens."""
    link.click()
    page.wait_for_url(url)
    axe_check(page)


def first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def contacts_csv(year: int) -> tuple[bytes, dict[str, int]]:
    """Calls and e-mails in the first week of March of ``year`` (CET), one call in May (CEST).

    In March: five calls, one of which waited too long, and four e-mails, two of which were
    answered well after two working days. Returns the file and the expected counts.
    """
    monday = first_monday(year, 3)  # before the change to summer time: +01:00
    tuesday = monday + timedelta(days=1)
    may = first_monday(year, 5)  # summer time: +02:00

    def at(day: date, clock: str, offset: str = "+01:00") -> str:
        return f"{day.isoformat()}T{clock}{offset}"

    rows = ["source_id,channel,received_at,handled_at,wait_seconds,answered"]
    for number, wait in enumerate((5, 12, 18, 24, 95), start=1):
        received = at(monday, f"09:0{number}:00")
        rows.append(f"TEL-{number:03d},phone,{received},,{wait},ja")
    rows += [
        f"MAIL-001,email,{at(monday, '09:00:00')},{at(monday, '15:00:00')},,",
        f"MAIL-002,email,{at(monday, '10:00:00')},{at(tuesday, '11:00:00')},,",
        f"MAIL-003,email,{at(monday, '11:00:00')},{at(monday + timedelta(days=14), '10:00:00')},,",
        f"MAIL-004,email,{at(tuesday, '12:00:00')},{at(tuesday + timedelta(days=10), '16:00:00')},,",
        f"TEL-100,phone,{at(may, '10:00:00', '+02:00')},,10,ja",
    ]
    expected = {"rows": len(rows) - 1, "phone": 5, "phone_met": 4, "email": 4, "email_met": 2}
    return ("\n".join(rows) + "\n").encode(), expected


def test_a_quality_manager_publishes_a_charter_and_a_citizen_claims_compensation(
    page: Page, load_demo: Callable[..., None], new_visitor: Callable[[], Page]
) -> None:
    load_demo()  # the core world: Amstelstad and its staff, no charter yet
    year = timezone.localdate().year - 1
    quarter = f"{year}-Q1"

    # --- a. compose and publish the charter --------------------------------------------------
    sign_in_as(page, "kees.kwaliteit", settings.DEMO_PASSWORD)
    follow(page, menu_link(page, "Kwaliteitshandvest"), f"**{DASHBOARD}handvest/")
    expect(page.locator("main")).to_contain_text("Er is nog geen handvest.")
    page.get_by_label("Titel van het handvest").fill("Onze servicebeloften")
    press(page, page.get_by_role("button", name="Handvest starten"))
    expect(page.locator(".messages")).to_contain_text("Het handvest is gestart")
    expect(page.locator("h1")).to_contain_text("Versie 1 van het handvest")
    version_url = page.url

    follow(
        page,
        page.get_by_role("link", name="Normen kiezen uit de bibliotheek"),
        re.compile(r"/versies/\d+/bibliotheek/$"),
    )
    # No choice at all: an error summary, nothing added.
    press(page, page.get_by_role("button", name="Gekozen normen toevoegen"))
    expect(page.locator("#form-errors")).to_contain_text("Kies ten minste één modelnorm.")
    for title in (
        "Telefoon binnen 25 seconden opgenomen",
        "E-mail binnen 2 werkdagen beantwoord",
    ):
        checkbox = page.get_by_label(title, exact=True)
        checkbox.focus()
        page.keyboard.press("Space")
        expect(checkbox).to_be_checked()
    press(page, page.get_by_role("button", name="Gekozen normen toevoegen"))
    assert page.url == version_url
    expect(page.locator(".messages")).to_contain_text("2 normen toegevoegd.")
    norms = page.get_by_role("table", name="Normen in versie 1")
    expect(norms.locator("tbody tr")).to_have_count(2)

    # The e-mail promise gets a fixed amount as compensation.
    follow(
        page,
        page.get_by_role("link", name="Aanpassen email-answered"),
        re.compile(r"/normen/\d+/$"),
    )
    expect(page.locator("h1")).to_have_text("Norm aanpassen: E-mail binnen 2 werkdagen beantwoord")
    page.get_by_label("Belofte in gewone taal", exact=True).fill(
        "Mailt u ons, dan krijgt u binnen 2 werkdagen antwoord."
    )
    page.get_by_label("Compensatie", exact=True).select_option("amount")
    page.get_by_label("Bedrag (euro)").fill("10")
    page.get_by_label("Compensatie in gewone taal (niet verplicht)", exact=True).fill(
        "Krijgt u later antwoord, dan maken wij € 10 naar u over."
    )
    press(page, page.get_by_role("button", name="Norm bewaren"))
    assert page.url == version_url
    expect(page.locator(".messages")).to_contain_text("is bewaard")
    expect(norms.locator("tbody tr", has_text="email-answered")).to_contain_text("€")

    page.get_by_label("Geldig vanaf").fill(date(year, 1, 1).isoformat())
    press(page, page.get_by_role("button", name="Publiceren", exact=True))
    page.wait_for_url(f"**{DASHBOARD}handvest/")
    expect(page.locator(".messages")).to_contain_text("Versie 1 is gepubliceerd")
    version = CharterVersion.objects.get(organisation__slug=SLUG)
    assert version.status == VersionStatus.PUBLISHED and version.valid_from == date(year, 1, 1)

    # Posters per channel, as PDF.
    posters = page.get_by_role("link", name=re.compile(r"^Poster .* \(PDF\)$"))
    expect(posters).to_have_count(2)
    for index in range(2):
        href = posters.nth(index).get_attribute("href")
        assert href
        poster = page.request.get(href)
        assert poster.status == 200, href
        assert poster.headers["content-type"] == "application/pdf"
        assert poster.body().startswith(b"%PDF")

    follow(
        page,
        page.get_by_role("link", name="Openbare pagina van het handvest"),
        f"**/organisaties/{SLUG}/kwaliteitshandvest/",
    )
    main = page.locator("main")
    expect(main).to_contain_text(f"Versie 1, geldig vanaf 1 januari {year}.")
    expect(main).to_contain_text("Mailt u ons, dan krijgt u binnen 2 werkdagen antwoord.")
    expect(main).to_contain_text("Krijgt u later antwoord, dan maken wij € 10 naar u over.")
    coverage = page.get_by_role(
        "table", name="Welke normen van de BurgerServiceCode dit handvest dekt"
    )
    # Phone serves BurgerServiceCode norms 1 and 2, e-mail 4 and 5: four of ten covered.
    expect(coverage.locator("tbody tr")).to_have_count(10)
    expect(coverage.locator("tbody tr", has_text="niet gedekt")).to_have_count(6)
    for number in (1, 2, 4, 5):
        row = coverage.locator("tbody tr").nth(number - 1)
        expect(row.locator("td").first).to_have_text("gedekt")

    # --- b. import a file of contacts, then a file with errors --------------------------------
    visit(page, DASHBOARD)
    follow(page, menu_link(page, "Gegevens importeren"), f"**{DASHBOARD}imports/")
    expect(page.locator("main")).to_contain_text("Nog geen imports.")
    content, expected = contacts_csv(year)
    page.get_by_label("Soort gegevens").select_option("contacts")
    page.get_by_label("Bestand").set_input_files(
        {"name": "contacten-maart.csv", "mimeType": "text/csv", "buffer": content}
    )
    press(page, page.get_by_role("button", name="Importeren"))
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator(".messages")).to_have_text(
        f"Geïmporteerd: {expected['rows']} nieuw, 0 bijgewerkt, 0 ongewijzigd."
    )
    expect(page.locator("h1")).to_have_text("Import van klantcontacten")
    facts = page.locator("main dl")
    expect(facts).to_contain_text("contacten-maart.csv")
    expect(facts.locator("div", has_text="Rijen")).to_contain_text(str(expected["rows"]))
    expect(facts.locator("div", has_text="Nieuw")).to_contain_text(str(expected["rows"]))
    assert Contact.objects.filter(organisation__slug=SLUG).count() == expected["rows"]
    late = set(
        CompensationEntry.objects.filter(organisation__slug=SLUG).values_list(
            "source_id", flat=True
        )
    )
    assert late == {"MAIL-003", "MAIL-004"}  # the late call promises no compensation

    follow(page, page.get_by_role("link", name="Terug naar importeren"), f"**{DASHBOARD}imports/")
    broken = (
        "source_id,channel,received_at,handled_at,wait_seconds,answered\n"
        f"TEL-900,phone,{year}-04-01T09:00:00+02:00,,12,ja\n"
        f"TEL-901,postduif,{year}-04-01T09:05:00+02:00,,12,ja\n"
        f"TEL-902,phone,gisteren,,12,misschien\n"
    ).encode()
    page.get_by_label("Bestand").set_input_files(
        {"name": "contacten-fout.csv", "mimeType": "text/csv", "buffer": broken}
    )
    press(page, page.get_by_role("button", name="Importeren"))
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator(".messages")).to_have_text("Niets geïmporteerd: het bestand bevat fouten.")
    errors = page.get_by_role("table", name="Fouten per rij en kolom")
    rows = errors.locator("tbody tr")
    expect(rows.filter(has_text="channel")).to_have_count(1)
    expect(rows.filter(has_text="received_at")).to_have_count(1)
    expect(rows.filter(has_text="answered")).to_have_count(1)
    cells = [row.split("\t") for row in rows.all_inner_texts()]
    by_column = {cells_of[1]: cells_of[0] for cells_of in cells}
    assert by_column == {"channel": "3", "received_at": "4", "answered": "4"}, cells
    assert Contact.objects.filter(organisation__slug=SLUG).count() == expected["rows"]

    # --- c. the public dashboard and the accountability report -------------------------------
    visit(page, f"/organisaties/{SLUG}/dienstverlening/")
    # The latest data is from May: the second quarter is shown first; choose the first.
    period = page.get_by_label("Periode", exact=True)
    expect(period).to_have_value(f"{year}-Q2")
    period.select_option(quarter)
    press(page, page.get_by_role("button", name="Toon deze periode"))
    assert page.url.endswith(f"/dienstverlening/?periode={quarter}")
    overview = page.get_by_role("table", name=f"Beloften en resultaten, 1e kwartaal {year}")
    phone_row = overview.locator("tbody tr", has_text="Telefoon binnen 25 seconden opgenomen")
    email_row = overview.locator("tbody tr", has_text="E-mail binnen 2 werkdagen beantwoord")
    expect(phone_row.locator("td").nth(3)).to_have_text(str(expected["phone"]))
    expect(phone_row.locator("td").nth(2)).to_have_text("80,0%")
    expect(email_row.locator("td").nth(3)).to_have_text(str(expected["email"]))
    expect(email_row.locator("td").nth(2)).to_have_text("50,0%")

    email = page.locator("section[aria-labelledby='norm-email-answered']")
    chart = email.locator("figure img")
    expect(chart).to_have_attribute("alt", re.compile("^Staafdiagram van E-mail"))
    src = chart.get_attribute("src")
    assert src and f"periode={quarter}" in src
    image = page.request.get(src)
    assert image.status == 200
    assert image.headers["content-type"].startswith("image/svg+xml")
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", chart.element_handle()), (
        "the chart did not load"
    )
    trend = email.get_by_role("table", name=re.compile("^Ontwikkeling per periode"))
    quarter_row = trend.locator("tbody tr", has_text=f"1e kwartaal {year}")
    expect(quarter_row.locator("td")).to_have_text(
        ["4", "2", "2", "0", "50,0%", "85%", re.compile(r"\S")]
    )

    follow(
        page,
        page.get_by_role("link", name=f"Verantwoording 1e kwartaal {year}", exact=True),
        f"**/dienstverlening/verantwoording/{quarter}/",
    )
    expect(page.locator("h1")).to_have_text(
        f"Verantwoording servicebeloften Gemeente Amstelstad, 1e kwartaal {year}"
    )
    summary = page.get_by_role("table", name=f"Beloften en resultaten, 1e kwartaal {year}")
    email_summary = summary.locator("tbody tr", has_text="E-mail binnen 2 werkdagen beantwoord")
    # target, realised, n, missed, compensations registered
    expect(email_summary.locator("td").nth(2)).to_have_text("4")
    expect(email_summary.locator("td").nth(3)).to_have_text("2")
    expect(email_summary.locator("td").nth(4)).to_have_text("2")

    # --- d. the organisation gives the citizen a claim code with the reference -----------------
    visit(page, DASHBOARD)
    follow(page, menu_link(page, "Claims"), f"**{DASHBOARD}compensatie/claims/")
    follow(
        page,
        page.get_by_role("link", name="Claimcodes uitgeven"),
        f"**{DASHBOARD}compensatie/claimcodes/",
    )
    page.get_by_label("Kenmerken (niet verplicht)", exact=True).fill("MAIL-003")
    press(page, page.get_by_role("button", name="Claimcodes uitgeven"))
    issued = page.get_by_role("table", name="Uitgegeven claimcodes")
    expect(issued.locator("tbody tr")).to_have_count(1)
    claim_code = issued.locator("tbody tr td code").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", claim_code), claim_code

    # --- e. a citizen claims compensation -----------------------------------------------------
    citizen = new_visitor()
    visit(citizen, f"/organisaties/{SLUG}/compensatie/")
    expect(citizen.locator("main")).to_contain_text(
        "Mailt u ons, dan krijgt u binnen 2 werkdagen antwoord."
    )
    citizen.get_by_label("Kenmerk").fill("mail-003")  # typed in lower case
    citizen.get_by_label("Claimcode").fill(claim_code.lower())
    citizen.get_by_label("E-mailadres").fill("burger@example.org")
    citizen.get_by_label("Naam (niet verplicht)", exact=True).fill("Bea Burger")
    press(citizen, citizen.get_by_role("button", name="Claim versturen"))
    # The compensation is money: the bank account is needed.
    expect(citizen.locator("#form-errors")).to_contain_text("Vul uw IBAN in")
    expect(citizen.get_by_label("IBAN (rekeningnummer)", exact=False)).to_have_attribute(
        "aria-invalid", "true"
    )
    citizen.get_by_label("IBAN (rekeningnummer)", exact=False).fill(IBAN)
    press(citizen, citizen.get_by_role("button", name="Claim versturen"))
    expect(citizen.locator("h1")).to_have_text("Uw claim is ontvangen")
    claim = Claim.objects.get()
    assert claim.reference == "MAIL-003" and claim.iban == IBAN.replace(" ", "")
    expect(citizen.locator("main code")).to_have_text(claim.public_token)
    status_page = f"**/organisaties/{SLUG}/compensatie/status/{claim.public_token}/"
    follow(citizen, citizen.get_by_role("link", name="Bekijk de status van uw claim"), status_page)
    status = citizen.locator("main dl div", has_text="Status")
    expect(status.locator("dd")).to_have_text("Ontvangen")
    # Two weeks late on a promise in working days: counted in working days, not days.
    late = citizen.locator("main dl div", has_text="Te laat")
    expect(late.locator("dd")).to_have_text(re.compile(r"^\d+ werkdagen$"))

    # A reference that is not claimable gets the same neutral answer as any other refusal.
    visit(citizen, f"/organisaties/{SLUG}/compensatie/")
    citizen.get_by_label("Kenmerk").fill("ZAAK-12345")
    citizen.get_by_label("Claimcode").fill(claim_code)
    citizen.get_by_label("E-mailadres").fill("burger@example.org")
    press(citizen, citizen.get_by_role("button", name="Claim versturen"))
    expect(citizen.locator("#uitkomst")).to_contain_text(
        "Met dit kenmerk en deze claimcode kunnen wij geen claim aannemen."
    )
    assert Claim.objects.count() == 1

    # --- the quality manager grants the claim ---------------------------------------------------
    visit(page, DASHBOARD)
    follow(page, menu_link(page, "Claims"), f"**{DASHBOARD}compensatie/claims/")
    listed = page.locator("main table tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("E-mail binnen 2 werkdagen beantwoord")
    expect(listed.locator("td").last).to_have_text("Ontvangen")
    follow(
        page,
        listed.get_by_role("link", name="MAIL-003"),
        f"**{DASHBOARD}compensatie/claims/{claim.pk}/",
    )
    expect(page.locator("main")).to_contain_text("NL91 ABNA 0417 1643 00")
    page.get_by_label("Toelichting voor de burger").fill(
        "Excuses, het bedrag volgt binnen een week."
    )
    press(page, page.get_by_role("button", name="Toekennen"))
    expect(page.locator(".messages")).to_have_text("De claim is toegekend.")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    assert CompensationEntry.objects.get(source_id="MAIL-003").status == EntryStatus.OFFERED

    # The citizen's status page follows.
    visit(citizen, f"/organisaties/{SLUG}/compensatie/status/{claim.public_token}/")
    expect(status.locator("dd")).to_have_text("Toegekend")
    expect(citizen.locator("main")).to_contain_text("€ 10,00")
    expect(citizen.locator("main")).to_contain_text("Excuses, het bedrag volgt binnen een week.")

    # --- f. the register: filter, then mark what was paid, by keyboard ---------------------------
    follow(page, menu_link(page, "Compensatie"), f"**{DASHBOARD}compensatie/")
    page.get_by_label("Status (niet verplicht)", exact=True).select_option("owed")
    press(page, page.get_by_role("button", name="Filteren"))
    expect(page.locator("#selection-count")).to_have_text(
        "1 compensatie in dit filter; in geld samen € 10,00."
    )
    register = page.get_by_role("table", name=re.compile("^Compensaties, pagina 1 van 1"))
    row = register.locator("tbody tr", has_text="MAIL-004")
    expect(row).to_contain_text("E-mail binnen 2 werkdagen beantwoord")
    expect(row).to_contain_text("E-mail")  # the channel, by its name
    expect(row).to_contain_text("werkdagen")
    expect(row).to_contain_text("Verschuldigd")
    # What the filter shows, exported in the background and listed with its download link.
    press(page, page.get_by_role("button", name="1 compensatie exporteren"))
    expect(page.locator(".messages")).to_contain_text("De export wordt gemaakt")
    expect(page.get_by_role("link", name="Download (Excel)")).to_be_visible()
    expect(page.locator("#selection-count")).to_have_text(
        "1 compensatie in dit filter; in geld samen € 10,00."
    )
    checkbox = page.get_by_label("Kies MAIL-004")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.get_by_label("Actie").select_option("paid")
    press(page, page.get_by_role("button", name="Toepassen op de gekozen compensaties"))
    expect(page.locator("#bulk-question")).to_have_text(
        "1 compensatie krijgt de status 'betaald of gegeven'."
    )
    assert CompensationEntry.objects.get(source_id="MAIL-004").status == EntryStatus.OWED
    press(page, page.get_by_role("button", name="Ja, wijzigen"))
    expect(page.locator(".messages")).to_contain_text("1 compensatie staat nu op")
    assert CompensationEntry.objects.get(source_id="MAIL-004").status == EntryStatus.PAID

    # On a phone (320 CSS pixels) the register stacks its rows: nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    visit(page, f"{DASHBOARD}compensatie/")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the register scrolls sideways at 320 px"
