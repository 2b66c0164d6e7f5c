"""Fixtures of the results tests: surveys, waves and responses made with the ORM.

* ``small_wave``: a hand-made questionnaire with a few responses whose answers are known, for
  exact checks (pivot, 98/99, exports).
* ``life_event_wave``: Amstelstad's survey from the platform's life-event template with 400
  synthetic completed responses (the demo's generator), for pages, charts, drivers and the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from burgerlink.core.models import Organisation
from burgerlink.surveys.models import (
    Answer,
    Invitee,
    InviteeStatus,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
    TemplateKind,
    VersionStatus,
    Wave,
)
from burgerlink.surveys.questionnaires import services as questionnaire_services
from burgerlink.surveys.results import dataset, selectors
from burgerlink.surveys.results.demo import write_synthetic_wave
from burgerlink.surveys.results.synthetic import EVENT_SHARES, POPULATION, synthesise

EVENTS = list(EVENT_SHARES)


def text(nl: str, en: str = "") -> dict[str, str]:
    """A bilingual text."""
    return {"nl": nl, "en": en or nl}


SMALL_DEFINITION: dict[str, Any] = {
    "title": text("Kleine vragenlijst"),
    "pages": [
        {
            "key": "een",
            "title": text("Alles"),
            "questions": [
                {
                    "code": "EVENT",
                    "type": "single",
                    "role": "screening",
                    "text": text("Wat maakte u mee?"),
                    "options": [
                        {"code": 1, "label": text("Verhuizen", "Moving"), "key": "verhuizen"},
                        {"code": 2, "label": text("Geboorte", "Birth"), "key": "geboorte"},
                    ],
                },
                {
                    "code": "OVERALL",
                    "type": "grade",
                    "role": "overall",
                    "dont_know": True,
                    "text": text("Welk cijfer geeft u de overheid?"),
                },
                {
                    "code": "GRADE_ORG_GEMEENTE",
                    "type": "grade",
                    "role": "organisation",
                    "key": "gemeente",
                    "dont_know": True,
                    "text": text("Welk cijfer geeft u de gemeente?"),
                },
                {
                    "code": "ASPECTS",
                    "type": "matrix",
                    "not_applicable": True,
                    "text": text("Hoe ging het?"),
                    "options": [{"code": c, "label": text(f"punt {c}")} for c in range(1, 6)],
                    "rows": [
                        {"code": "SPEED", "role": "aspect", "label": text("Snelheid")},
                        {"code": "CLEAR", "role": "aspect", "label": text("Duidelijkheid")},
                    ],
                },
                {
                    "code": "BSC",
                    "type": "matrix",
                    "not_applicable": True,
                    "text": text("Hoe deed de overheid het?"),
                    "options": [
                        {"code": 1, "label": text("Goed")},
                        {"code": 0, "label": text("Niet goed")},
                    ],
                    "rows": [
                        {
                            "code": "BSC_1",
                            "role": "bsc",
                            "key": "1",
                            "label": text("Keuzevrijheid contactkanaal: u kiest"),
                        },
                    ],
                },
                {
                    "code": "WEEKS",
                    "type": "number",
                    "text": text("Hoeveel weken duurde het?"),
                    "minimum": 0,
                    "maximum": 520,
                },
                {
                    "code": "CHANNELS",
                    "type": "multiple",
                    "text": text("Hoe had u contact?"),
                    "options": [
                        {"code": 1, "label": text("Balie")},
                        {"code": 2, "label": text("Telefoon")},
                        {"code": 3, "label": text("Website")},
                    ],
                },
                {
                    "code": "VISIT_DATE",
                    "type": "date",
                    "text": text("Wanneer was uw bezoek?"),
                },
                {
                    "code": "OPEN_GOOD",
                    "type": "text",
                    "role": "open",
                    "text": text("Wat ging goed?"),
                },
                {
                    "code": "BG_AGE",
                    "type": "single",
                    "role": "background",
                    "key": "age_group",
                    "text": text("Uw leeftijd?"),
                    "options": [
                        {"code": 1, "label": text("Jong"), "key": "young"},
                        {"code": 2, "label": text("Oud"), "key": "old"},
                    ],
                },
            ],
        }
    ],
}

# The small wave's responses: (answers, background, channel); completed unless said otherwise.
SMALL_RESPONSES: list[tuple[dict[str, Any], dict[str, str], str]] = [
    (
        {
            "EVENT": 1,
            "OVERALL": 8,
            "GRADE_ORG_GEMEENTE": 7,
            "SPEED": 4,
            "CLEAR": 99,
            "BSC_1": 1,
            "WEEKS": 98,
            "CHANNELS": [1, 3],
            "VISIT_DATE": "2026-03-31",
            "OPEN_GOOD": "Vriendelijke medewerker aan de balie.",
            "BG_AGE": 1,
        },
        {"age_group": "young"},
        ResponseChannel.WEB,
    ),
    (
        {"EVENT": 2, "OVERALL": 98, "GRADE_ORG_GEMEENTE": 98, "SPEED": 2, "CLEAR": 3, "BSC_1": 0},
        {},
        ResponseChannel.PAPER,
    ),
    (
        {"EVENT": 1, "OVERALL": 6, "SPEED": 5, "BSC_1": 99, "WEEKS": 2.5, "BG_AGE": 2},
        {"age_group": "old"},
        ResponseChannel.OPEN_LINK,
    ),
]


@pytest.fixture(autouse=True)
def fresh_results_cache() -> Iterator[None]:
    """Every test computes its own results (ids are reused between rolled-back tests)."""
    dataset.clear_cache()
    yield
    dataset.clear_cache()


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    """Exports go to a temporary media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def store_answers(response: Response, answers: dict[str, Any]) -> None:
    """Store answers the way the respondent's pages do (number, text or choices)."""
    rows = []
    for code, value in answers.items():
        if isinstance(value, list):
            rows.append(Answer(response=response, code=code, choices=value))
        elif isinstance(value, str):
            rows.append(Answer(response=response, code=code, text=value))
        else:
            rows.append(Answer(response=response, code=code, number=float(value)))
    Answer.objects.bulk_create(rows)


def fielded_survey(organisation: Organisation, definition: dict[str, Any], title: str) -> Survey:
    """A survey of ``organisation`` with a fielded version of ``definition``."""
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        code=title.lower().replace(" ", "-"),
        title_nl=title,
        kind=TemplateKind.CUSTOM,
    )
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        organisation=organisation,
        number=1,
        status=VersionStatus.FIELDED,
        definition=definition,
        fielded_at=timezone.now(),
    )
    return Survey.objects.create(
        organisation=organisation, questionnaire=questionnaire, title=title
    )


def closed_wave(survey: Survey, name: str, *, days_ago: int = 30, **extra: Any) -> Wave:
    """A wave of the survey that closed ``days_ago`` days ago."""
    now = timezone.now()
    return Wave.objects.create(
        survey=survey,
        organisation=survey.organisation,
        version=survey.questionnaire.versions.get(),
        name=name,
        opens_at=now - timedelta(days=days_ago + 30),
        closes_at=now - timedelta(days=days_ago),
        **extra,
    )


@pytest.fixture
def small_wave(amstelstad: Organisation) -> Wave:
    """Three completed responses with known answers, one in progress, and a sample."""
    survey = fielded_survey(amstelstad, SMALL_DEFINITION, "Kleine meting")
    wave = closed_wave(survey, "meting 2026", population_size=5000)
    for answers, background, channel in SMALL_RESPONSES:
        response = Response.objects.create(
            wave=wave,
            organisation=amstelstad,
            version=wave.version,
            status=ResponseStatus.COMPLETED,
            channel=channel,
            background=background,
            completed_at=wave.closes_at - timedelta(days=3),
        )
        store_answers(response, answers)
    unfinished = Response.objects.create(
        wave=wave, organisation=amstelstad, version=wave.version, background={}
    )
    store_answers(unfinished, {"EVENT": 2, "OVERALL": 1})
    Invitee.objects.create(
        wave=wave,
        organisation=amstelstad,
        token="geheim-token-van-piet-0001",
        email="piet.jansen@example.org",
        postal_address="Dorpsstraat 1\n1234 AB Amstelstad",
        status=InviteeStatus.COMPLETED,
    )
    return wave


def template_version() -> QuestionnaireVersion:
    """The platform's life-event template (installed by migration 0002)."""
    return QuestionnaireVersion.objects.filter(
        questionnaire__organisation__isnull=True, questionnaire__kind=TemplateKind.LIFE_EVENT
    ).latest("number")


def life_event_survey(organisation: Organisation, title: str = "Levensgebeurtenissen") -> Survey:
    """An organisation's survey started from the platform's life-event template, fielded."""
    questionnaire = questionnaire_services.start_from_template(
        organisation, template_version(), title=title, life_events=EVENTS, by=None
    )
    questionnaire_services.field_version(questionnaire.versions.get(), by=None)
    return Survey.objects.create(
        organisation=organisation, questionnaire=questionnaire, title=title
    )


def chains() -> dict[str, list[str]]:
    """The chains of the test events, from the catalogue."""
    return {event: selectors.chain_order(event) for event in EVENTS}


def synthetic_wave(
    survey: Survey, name: str, size: int, *, seed: int = 7, days_ago: int = 30, shift: float = 0.0
) -> Wave:
    """A closed wave with ``size`` synthetic completed responses, weighted to the population."""
    wave = closed_wave(
        survey,
        name,
        days_ago=days_ago,
        population_size=40_000,
        weighting={key: dict(value) for key, value in POPULATION.items()},
    )
    data = synthesise(
        dataset.wave_catalogue(wave), size, chains=chains(), seed=seed, shift=shift, events=EVENTS
    )
    write_synthetic_wave(wave, data, wave.opens_at, wave.closes_at)
    return wave


@pytest.fixture
def life_event_wave(amstelstad: Organisation) -> Wave:
    """Amstelstad's life-event survey: a wave last year (250) and one last month (400)."""
    survey = life_event_survey(amstelstad)
    synthetic_wave(survey, "meting vorig jaar", 250, seed=3, days_ago=400, shift=-0.4)
    return synthetic_wave(survey, "meting dit jaar", 400, seed=5)
