"""A small contact survey's results read correctly: the grade is the contact's, filters that
cannot apply are not offered, an empty priority matrix is a sentence saying why, and no
rendered sentence has a hole where a figure should be (every results page, Dutch and English).
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import numpy as np
import pytest
from django.conf import settings
from django.test import Client

from burgerlink.core.models import Organisation, User
from burgerlink.surveys.models import (
    QuestionnaireVersion,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
    TemplateKind,
    Wave,
)
from burgerlink.surveys.questionnaires import services as questionnaire_services
from tests.conftest import client_for
from tests.surveys.results.conftest import closed_wave, store_answers

BASE = "/medewerkers/amstelstad/onderzoek/resultaten/"


def contact_wave(organisation: Organisation, size: int = 25) -> Wave:
    """The platform's contact template, fielded, with ``size`` completed responses.

    Most respondents say "don't know" to the statements; with 25 responses fewer than 30
    answer any aspect: too few for a priority matrix.
    """
    template = QuestionnaireVersion.objects.filter(
        questionnaire__organisation__isnull=True, questionnaire__kind=TemplateKind.CONTACT
    ).latest("number")
    questionnaire = questionnaire_services.start_from_template(
        organisation, template, title="Tevredenheid na een contact", by=None
    )
    version = questionnaire.versions.get()
    questionnaire_services.field_version(version, by=None)
    channel = version.definition["pages"][0]["questions"][0]["options"][0]["code"]
    survey = Survey.objects.create(
        organisation=organisation, questionnaire=questionnaire, title="Na een contact"
    )
    wave = closed_wave(survey, "eerste meting")
    rng = np.random.default_rng(size)
    for i in range(size):
        response = Response.objects.create(
            wave=wave,
            organisation=organisation,
            version=wave.version,
            status=ResponseStatus.COMPLETED,
            channel=ResponseChannel.OPEN_LINK,
            background={},
            completed_at=wave.closes_at - timedelta(days=1),
        )
        answered = i % 3 == 0  # a third answer the statements
        mood = int(rng.integers(0, 3))
        store_answers(
            response,
            {
                "CONTACT_CHANNEL": channel,
                "GRADE_CONTACT": 5 + mood + int(rng.integers(0, 3)),
                "GOT_NEEDED": bool(rng.random() < 0.3 + 0.2 * mood),
                "SPEED": 1 + mood + int(rng.integers(0, 3)) if answered else 98,
                "FRIENDLY": 2 + int(rng.integers(0, 4)) if answered else 98,
                "CLARITY": 1 + mood + int(rng.integers(0, 2)) if answered else 98,
                "EXPERTISE": 2 + int(rng.integers(0, 4)) if answered else 98,
                "OPEN_REMARK": "Prima geholpen." if i % 2 else "Duurde lang.",
            },
        )
    return wave


def visible_text(html: str) -> str:
    """The page's text as a reader meets it (the content area, tags removed)."""
    content = re.split(r'id="inhoud"[^>]*>', html, maxsplit=1)[-1]
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", content)).split())


HOLES = [
    r"=(?!\s*[\d–−-])",  # "R² = van de spreiding": a figure missing after "="
    r"\(\s*[);,]",  # "()" or "( ;"
    r"\s[.,;:](?:\s|$)",  # "… van  ." a word missing before punctuation
    r"(?:^|[\s(=:])None(?=[\s).;]|$)",  # Python's None (not "None, primary school")
    r"\bnan\b",
    r"\bNaN\b",
    r"%\(",  # an untranslated placeholder
    r"\{\{|\{%",
    r"\bn\s*=\s*\)",
]


def holes(text: str) -> list[str]:
    """Places where a sentence misses the figure or word it was written around."""
    return [
        text[max(0, match.start() - 40) : match.end() + 40]
        for pattern in HOLES
        for match in re.finditer(pattern, text)
    ]


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_small_contact_survey_reads_as_one(
    amstelstad: Organisation, bram_researcher: User
) -> None:
    wave = contact_wave(amstelstad)
    html = page(client_for(bram_researcher), f"{BASE}{wave.pk}/")
    text = visible_text(html)
    # the grade is the contact's, not "government as a whole" on three levels
    assert "Overheid als geheel" not in text
    assert "drie niveaus" not in text
    assert "Welk rapportcijfer geeft u dit contact?" in text
    table = html[html.index('id="tabel-niveaus"') : html.index("</table>")]
    assert "Welk rapportcijfer geeft u dit contact?" in table
    # no life events, organisations or background groups to filter on: no filters
    assert 'name="levensgebeurtenis"' not in html
    assert 'name="organisatie"' not in html
    assert 'name="achtergrond"' not in html
    assert "Filters toepassen" not in html
    # too few answers for a priority matrix: a sentence why instead of an empty chart
    assert "Er is geen prioriteitenmatrix" in text
    assert "minstens 30 respondenten" in text
    assert "prioriteiten.svg" not in html
    assert holes(text) == []


def test_the_contact_survey_with_enough_answers_has_its_matrix(
    amstelstad: Organisation, bram_researcher: User
) -> None:
    wave = contact_wave(amstelstad, size=120)
    html = page(client_for(bram_researcher), f"{BASE}{wave.pk}/")
    assert "prioriteiten.svg" in html
    assert "Er is geen prioriteitenmatrix" not in html
    text = visible_text(html)
    assert holes(text) == [], holes(text)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_results_page_has_a_sentence_with_a_hole(
    amstelstad: Organisation,
    life_event_wave: Wave,
    bram_researcher: User,
    language: str,
) -> None:
    contact = contact_wave(amstelstad)
    client = client_for(bram_researcher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    urls = [BASE, f"{BASE}benchmark/"]
    for wave in (life_event_wave, contact):
        urls += [f"{BASE}{wave.pk}/", f"{BASE}{wave.pk}/open-antwoorden/"]
    urls += [
        f"{BASE}{life_event_wave.pk}/keten/verhuizen/",
        f"{BASE}{life_event_wave.pk}/?achtergrond=sex:other",  # a suppressed selection
    ]
    for url in urls:
        text = visible_text(page(client, url))
        assert holes(text) == [], (url, holes(text))
