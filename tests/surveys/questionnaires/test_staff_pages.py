"""Staff pages of questionnaires: roles, the list, starting from a template, the editor, preview."""

from __future__ import annotations

import re
from typing import Any

import pytest

from burgerlink.core.models import Organisation, User
from burgerlink.surveys.definition import parse
from burgerlink.surveys.models import Questionnaire, QuestionnaireVersion, VersionStatus
from burgerlink.surveys.questionnaires import services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = "/medewerkers/amstelstad/onderzoek/vragenlijsten/"
START = LIST + "nieuw/"


def version_url(version: QuestionnaireVersion, suffix: str = "") -> str:
    return f"{LIST}versies/{version.pk}/{suffix}"


def html(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def draft(
    amstelstad: Organisation, life_event_template: QuestionnaireVersion
) -> QuestionnaireVersion:
    """Amstelstad's draft for moving house."""
    questionnaire = services.start_from_template(
        amstelstad, life_event_template, title="Verhuizen", life_events=["verhuizen"], by=None
    )
    return questionnaire.versions.get()


def test_researcher_may_and_communications_officer_may_not(
    amstelstad: Organisation,
    bram_researcher: User,
    carla_comms: User,
    draft: QuestionnaireVersion,
) -> None:
    researcher = client_for(bram_researcher)
    for url in (LIST, START, version_url(draft), version_url(draft, "voorbeeld/")):
        assert researcher.get(url).status_code == 200, url
    communications = client_for(carla_comms)
    for url in (LIST, START, version_url(draft), version_url(draft, "voorbeeld/")):
        assert communications.get(url).status_code == 403, url
    response = communications.post(
        version_url(draft, "vragen/nieuw/"), {"type": "yesno", "code": "X", "text_nl": "X"}
    )
    assert response.status_code == 403
    assert communications.post(START, {"template": "leeg", "title": "X"}).status_code == 403
    assert Questionnaire.objects.filter(organisation=amstelstad).count() == 1


def test_menu_link_and_dashboard_panel(
    amstelstad: Organisation, bram_researcher: User, carla_comms: User, draft: QuestionnaireVersion
) -> None:
    page = html(client_for(bram_researcher).get("/medewerkers/amstelstad/"))
    assert f'href="{LIST}"' in page
    assert ">Onderzoek</a>" in page
    assert "1 vragenlijst; 1 versie in concept, 0 in gebruik." in page
    page = html(client_for(carla_comms).get("/medewerkers/amstelstad/"))
    assert f'href="{LIST}"' not in page
    assert "versie in concept" not in page


def test_list_shows_own_questionnaires_and_templates(
    bram_researcher: User, draft: QuestionnaireVersion, heidedorp: Organisation
) -> None:
    services.start_empty(heidedorp, title="Geheim van Heidedorp", by=None)
    page = html(client_for(bram_researcher).get(LIST))
    assert "Verhuizen" in page
    assert "Geheim van Heidedorp" not in page
    for title in ("Levensgebeurtenissen: de overheid in de keten", "Burgerpeiling"):
        assert title in page
    assert "Kort onderzoek na een contact" in page


def test_start_from_the_life_event_template_with_chosen_events(
    amstelstad: Organisation, bram_researcher: User, life_event_template: QuestionnaireVersion
) -> None:
    client = client_for(bram_researcher)
    form = html(client.get(f"{START}?sjabloon={life_event_template.pk}"))
    assert re.search(f'value="{life_event_template.pk}" id="id_template_0" checked', form)
    assert "<legend>Werk en inkomen</legend>" in form  # life events grouped by theme
    assert "(keten: UWV, Gemeente, Belastingdienst, Dienst Toeslagen)" in form
    assert 'name="life_events" value="verhuizen"' in form
    response = client.post(
        START,
        {
            "template": str(life_event_template.pk),
            "title": "Verhuizen en werk",
            "life_events": ["verhuizen", "werkloos"],
        },
    )
    questionnaire = Questionnaire.objects.get(organisation=amstelstad)
    version = questionnaire.versions.get()
    assert response.status_code == 302
    assert response["Location"] == version_url(version)
    screen = parse(version.definition).question("SCREEN_EVENT")
    assert screen is not None
    assert {option.key for option in screen.options} == {"verhuizen", "werkloos"}


def test_start_form_errors_are_clear(
    bram_researcher: User, contact_template: QuestionnaireVersion
) -> None:
    client = client_for(bram_researcher)
    response = client.post(START, {"template": str(contact_template.pk), "title": ""})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in html(response)
    response = client.post(
        START,
        {"template": str(contact_template.pk), "title": "Na contact", "life_events": ["verhuizen"]},
    )
    assert response.status_code == 400
    assert "alleen bij het sjabloon levensgebeurtenissen" in html(response)
    assert not Questionnaire.objects.filter(organisation__isnull=False).exists()


def test_edit_a_draft_in_the_browser(bram_researcher: User, draft: QuestionnaireVersion) -> None:
    client = client_for(bram_researcher)
    page = html(client.get(version_url(draft)))
    assert "GRADE_ORG_GEMEENTE" in page
    assert "CONTACT_GEMEENTE is ja" in page  # the routing summary
    assert "CONTACT_UWV" not in page
    assert 'action="' + version_url(draft, "vragen/nieuw/") + '"' in page

    added = client.post(
        version_url(draft, "vragen/nieuw/"),
        {
            "type": "single",
            "code": "AMS_HOW",
            "text_nl": "Hoe hoorde u van ons?",
            "text_en": "How did you hear of us?",
            "options": "1=Via de website | Through the website\n2=Via vrienden",
            "required": "on",
            "dont_know": "on",
            "role": "",
            "condition_var": "SCREEN_CONTACT",
            "condition_op": "eq",
            "condition_value": "1",
            "page": "__nieuw__",
            "new_page_title": "Vragen van Amstelstad",
        },
    )
    assert added.status_code == 302
    assert added["Location"] == version_url(draft) + "#vraag-AMS_HOW"
    draft.refresh_from_db()
    definition = parse(draft.definition)
    question = definition.question("AMS_HOW")
    assert question is not None
    assert [(o.code, o.label.nl, o.label.en) for o in question.options] == [
        (1, "Via de website", "Through the website"),
        (2, "Via vrienden", ""),
    ]
    assert question.required and question.dont_know
    assert question.condition is not None and question.condition.var == "SCREEN_CONTACT"
    assert definition.pages[-1].title.nl == "Vragen van Amstelstad"

    clash = client.post(
        version_url(draft, "vragen/nieuw/"),
        {"type": "yesno", "code": "GRADE_GOV", "text_nl": "Nog een", "page": "ervaring"},
    )
    assert clash.status_code == 400
    assert "De code GRADE_GOV wordt al gebruikt in deze versie" in html(clash)
    bad = client.post(
        version_url(draft, "vragen/nieuw/"),
        {"type": "single", "code": "ams how", "text_nl": "X", "options": "Ja", "page": "ervaring"},
    )
    assert bad.status_code == 400
    text = html(bad)
    assert "Regel 1: schrijf een antwoordoptie als code=tekst" in text

    edit_url = version_url(draft, "vragen/AMS_HOW/")
    form = html(client.get(edit_url))
    assert "1=Via de website | Through the website" in form
    saved = client.post(
        edit_url,
        {
            "type": "single",
            "text_nl": "Hoe kwam u bij ons terecht?",
            "options": "1=Via de website\n2=Via vrienden\n3=Anders",
            "condition_var": "",
            "role": "aspect",
        },
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    question = parse(draft.definition).question("AMS_HOW")
    assert question is not None
    assert question.text.nl == "Hoe kwam u bij ons terecht?"
    assert len(question.options) == 3 and question.condition is None and question.role == "aspect"

    moved = client.post(version_url(draft, "vragen/AMS_HOW/verplaatsen/"), {"richting": "omhoog"})
    assert moved.status_code == 302
    draft.refresh_from_db()
    # The only question of the last page moved up onto the background page; its page went.
    last = parse(draft.definition).pages[-1]
    assert (last.key, last.questions[-1].code) == ("achtergrond", "AMS_HOW")

    refused = client.post(version_url(draft, "vragen/CONTACT_GEMEENTE/verwijderen/"), follow=True)
    assert (
        "CONTACT_GEMEENTE kan niet weg: de routering van pagina cijfers-organisaties, GRADE_ORG_GEMEENTE gebruikt deze vraag"
        in html(refused)
    )
    removed = client.post(version_url(draft, "vragen/AMS_HOW/verwijderen/"))
    assert removed.status_code == 302
    draft.refresh_from_db()
    assert parse(draft.definition).question("AMS_HOW") is None
    assert client.get(version_url(draft, "vragen/AMS_HOW/verwijderen/")).status_code == 405


def test_a_fielded_version_is_read_only_in_the_browser(
    bram_researcher: User, draft: QuestionnaireVersion
) -> None:
    services.field_version(draft)
    client = client_for(bram_researcher)
    page = html(client.get(version_url(draft)))
    assert "Vraag toevoegen" not in page
    assert "verandert niet meer" in page
    response = client.post(
        version_url(draft, "vragen/nieuw/"),
        {"type": "yesno", "code": "AMS_X", "text_nl": "X", "page": "ervaring"},
        follow=True,
    )
    assert "in gebruik en verandert niet meer" in html(response)
    assert parse(QuestionnaireVersion.objects.get(pk=draft.pk).definition).question("AMS_X") is None

    detail = f"{LIST}{draft.questionnaire.pk}/"
    assert "Nieuwe versie maken" in html(client.get(detail))
    response = client.post(detail + "nieuwe-versie/")
    second = draft.questionnaire.versions.get(number=2)
    assert response["Location"] == version_url(second)
    assert second.status == VersionStatus.DRAFT


def test_preview_renders_every_page_and_question(
    bram_researcher: User, draft: QuestionnaireVersion, life_event_template: QuestionnaireVersion
) -> None:
    client = client_for(bram_researcher)
    page = html(client.get(version_url(draft, "voorbeeld/")))
    definition = parse(draft.definition)
    for each in definition.pages:
        assert each.title.nl in page
    for question in definition.questions():
        assert f"<code>{question.code}</code>" in page
    assert "<legend>Keuzevrijheid contactkanaal: " in page  # a matrix row is its own fieldset
    assert "<script" not in page and "style=" not in page
    english = html(client.get(version_url(draft, "voorbeeld/") + "?taal=en"))
    assert "What mark do you give government as a whole?" in english
    # Platform templates can be previewed (and not edited) from every organisation.
    template = html(client.get(version_url(life_event_template, "voorbeeld/")))
    assert "CONTACT_UWV" in template
    assert "Vraag toevoegen" not in html(client.get(version_url(life_event_template)))
    response = client.post(version_url(life_event_template, "vragen/GRADE_GOV/verwijderen/"))
    assert response.status_code == 404


def test_another_organisations_questionnaire_is_not_found(
    amstelstad: Organisation, henk_heidedorp: User, heidedorp: Organisation, bram_researcher: User
) -> None:
    theirs = services.start_empty(heidedorp, title="Heidedorp", by=None).versions.get()
    client = client_for(bram_researcher)
    assert client.get(version_url(theirs)).status_code == 404
    assert client.get(f"{LIST}{theirs.questionnaire.pk}/").status_code == 404
    assert client.post(version_url(theirs, "vragen/OPEN_REMARK/verwijderen/")).status_code == 404
    assert client.post(version_url(theirs, "weggooien/")).status_code == 404
    assert QuestionnaireVersion.objects.filter(pk=theirs.pk).exists()


def test_pages_have_no_inline_styles_or_scripts(
    bram_researcher: User, draft: QuestionnaireVersion
) -> None:
    client = client_for(bram_researcher)
    for url in (LIST, START, version_url(draft), version_url(draft, "vragen/GOT_NEEDED/")):
        page = html(client.get(url))
        assert not re.search(r"<script|style=", page), url
