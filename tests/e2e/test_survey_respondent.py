"""A respondent answers a whole questionnaire in a real browser, by keyboard only.

Tab moves between controls, Space and the arrow keys choose radio buttons and checkboxes, typing
fills text boxes and Enter submits. Every page on the way (start, each questionnaire page, an
error summary, the thank-you page) is checked with axe-core, and one page at 320 px wide.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from burgerlink.core.models import Organisation, User
from burgerlink.surveys.models import Answer, Invitee, InviteeStatus, Response, ResponseStatus
from tests.e2e.conftest import axe_check, visit
from tests.e2e.test_staff_journey import sign_in
from tests.surveys.respond.factories import make_invitee, make_wave

TOKEN = "tok-e2e-keyboard"
MAX_TABS = 80


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus (fails if the keyboard cannot reach it)."""
    handle = target.element_handle()
    assert handle is not None
    for _ in range(MAX_TABS):
        if page.evaluate("element => document.activeElement === element", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def choose_radio(page: Page, group: Locator, first: str, steps: int) -> None:
    """Tab into a radio group, select its first option with Space, then arrow ``steps`` on."""
    tab_to(page, group.get_by_label(first, exact=True))
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")


def submit(page: Page, name: str) -> None:
    """Tab to a button and press Enter; check the page that loads."""
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)


def progress(page: Page) -> str:
    return page.get_by_label("Pagina", exact=False).first.inner_text()


def test_a_respondent_answers_the_whole_survey_by_keyboard(
    page: Page, amstelstad: Organisation
) -> None:
    wave = make_wave(amstelstad)
    make_invitee(wave, TOKEN, background={"age_group": "35-49"})

    visit(page, f"/enquete/{TOKEN}/")
    expect(page.locator("h1")).to_have_text("Uw ervaring met de gemeente")
    assert not Response.objects.exists()  # opening the link starts nothing
    submit(page, "Begin met de vragenlijst")

    # Page 1: grades and yes/no. First Enter without answers: an error summary.
    expect(page.locator("h1")).to_have_text("Rapportcijfers")
    expect(page.locator("label[for=voortgang]")).to_have_text("Pagina 1 van 3")
    submit(page, "Volgende")
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Kies een antwoord bij ‘Welk rapportcijfer")
    overall = page.locator("#vraag-OVERALL")
    choose_radio(page, overall, "1", 6)
    expect(overall.get_by_label("7", exact=True)).to_be_checked()
    chain = page.locator("#vraag-CHAIN")
    choose_radio(page, chain, "1", 5)
    expect(chain.get_by_label("6", exact=True)).to_be_checked()
    contact = page.locator("#vraag-CONTACT")
    choose_radio(page, contact, "Ja", 0)
    expect(contact.get_by_label("Ja", exact=True)).to_be_checked()
    submit(page, "Volgende")

    # Page 2: a matrix (one radio group per row) and a multiple choice; the routed page that
    # "Ja" opened makes four pages in all.
    expect(page.locator("h1")).to_have_text("Hoe ging het?")
    expect(page.locator("label[for=voortgang]")).to_have_text("Pagina 2 van 4")
    speed = page.locator("fieldset.survey-matrix__row", has_text="De snelheid")
    choose_radio(page, speed, "Heel slecht", 3)
    expect(speed.get_by_label("Goed", exact=True)).to_be_checked()
    clarity = page.locator("fieldset.survey-matrix__row", has_text="De duidelijkheid")
    choose_radio(page, clarity, "Heel slecht", 4)
    expect(clarity.get_by_label("Heel goed", exact=True)).to_be_checked()
    for label in ("Telefoon", "Website"):
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.press("Space")
    expect(page.get_by_label("Website", exact=True)).to_be_checked()

    # Back to page 1 with "Vorige": the answers of both pages are kept.
    submit(page, "Vorige")
    expect(page.locator("#vraag-OVERALL").get_by_label("7", exact=True)).to_be_checked()
    submit(page, "Volgende")
    expect(page.get_by_label("Telefoon", exact=True)).to_be_checked()
    submit(page, "Volgende")

    # Page 3 (routed): a grade, a number and a date, typed.
    expect(page.locator("h1")).to_have_text("Uw contact")
    choose_radio(page, page.locator("#vraag-CONTACT_GRADE"), "1", 7)
    tab_to(page, page.get_by_label("Hoeveel dagen duurde het voor u antwoord kreeg?"))
    page.keyboard.type("12")
    submit(page, "Volgende")

    # Page 4: a drop-down list, an open question, and "Versturen".
    expect(page.locator("h1")).to_have_text("Tot slot")
    expect(page.locator("label[for=voortgang]")).to_have_text("Pagina 4 van 4")
    tab_to(page, page.get_by_label("In welke gemeente woont u?"))
    page.keyboard.type("Duinwijk")
    expect(page.get_by_label("In welke gemeente woont u?")).to_have_value("5")
    tab_to(page, page.get_by_label("Wat kan de gemeente beter doen?"))
    page.keyboard.type("Sneller antwoord op e-mail.")
    submit(page, "Versturen")

    expect(page.locator("h1")).to_have_text("Bedankt voor het invullen!")
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert response.background == {"age_group": "35-49"}
    answers = {a.code: a for a in Answer.objects.filter(response=response)}
    assert answers["OVERALL"].number == 7 and answers["CHAIN"].number == 6
    assert answers["CONTACT"].number == 1 and answers["ASPECT_SPEED"].number == 4
    assert answers["ASPECT_CLEAR"].number == 5 and answers["CHANNELS"].choices == [2, 3]
    assert answers["CONTACT_GRADE"].number == 8 and answers["WAIT_DAYS"].number == 12
    assert answers["MUNICIPALITY"].number == 5
    assert answers["IMPROVE"].text == "Sneller antwoord op e-mail."
    invitee = Invitee.objects.get()
    assert invitee.status == InviteeStatus.COMPLETED and invitee.response is None

    # The link once more: a clear message, nothing changed.
    visit(page, f"/enquete/{TOKEN}/", status=410)
    expect(page.locator("main")).to_contain_text("Deze vragenlijst is al ingevuld. Bedankt!")


def test_the_questionnaire_in_english_on_a_phone(page: Page, amstelstad: Organisation) -> None:
    wave = make_wave(amstelstad)
    make_invitee(wave, TOKEN)
    page.set_viewport_size({"width": 320, "height": 640})
    visit(page, f"/enquete/{TOKEN}/")
    submit(page, "English")
    expect(page.locator("h1")).to_have_text("Your experience with the municipality")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    submit(page, "Start the questionnaire")
    expect(page.locator("h1")).to_have_text("Grades")
    legend = page.locator("#vraag-OVERALL legend")
    expect(legend).to_contain_text("What grade do you give the government as a whole?")
    # Nothing sticks out sideways at 320 px.
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, width
    assert Response.objects.get().language == "en"


def test_staff_type_in_a_paper_questionnaire(
    page: Page, amstelstad: Organisation, bram_researcher: User
) -> None:
    wave = make_wave(amstelstad)
    sign_in(page, "bram_researcher")
    expect(page.locator("main")).to_contain_text("Respons in lopende metingen")
    page.get_by_role("link", name="Papieren vragenlijsten invoeren (Meting 2026)").click()
    page.wait_for_url(f"**/onderzoek/metingen/{wave.pk}/papier/")
    axe_check(page)
    expect(page.locator("h1")).to_have_text("Papieren vragenlijst invoeren")
    page.get_by_label("Formuliernummer").fill("17")
    page.locator("#vraag-OVERALL").get_by_label("8", exact=True).check()
    page.locator("#vraag-CONTACT").get_by_label("Nee", exact=True).check()
    page.get_by_label("Hoeveel dagen duurde het voor u antwoord kreeg?").fill("999")
    submit(page, "Opslaan en volgende invoeren")
    expect(page.locator("#form-errors")).to_contain_text("0 tot en met 365")
    page.get_by_label("Hoeveel dagen duurde het voor u antwoord kreeg?").fill("9")
    submit(page, "Opslaan en volgende invoeren")
    expect(page.locator(".messages")).to_contain_text("De papieren vragenlijst is opgeslagen")
    response = Response.objects.get()
    assert response.channel == "paper" and response.entered_by == bram_researcher
