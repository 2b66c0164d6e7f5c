"""Fixtures of the fieldwork tests: a questionnaire of Amstelstad, a survey and an open wave."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone

from burgerlink.core.models import Organisation, User
from burgerlink.surveys.fieldwork import services
from burgerlink.surveys.models import (
    Questionnaire,
    QuestionnaireVersion,
    Survey,
    TemplateKind,
    Wave,
)

AGE_GROUPS = {"18-34": 0.3, "35-64": 0.5, "65+": 0.2}
WEIGHTING = {"age_group": AGE_GROUPS, "district": {"noord": 0.4, "zuid": 0.6}}


def text(nl: str, en: str = "") -> dict[str, str]:
    """A bilingual text of the definition."""
    return {"nl": nl, "en": en or nl}


DEFINITION: dict[str, Any] = {
    "title": text("Uw ervaring met de gemeente", "Your experience with the municipality"),
    "pages": [
        {
            "key": "oordeel",
            "title": text("Uw oordeel"),
            "questions": [
                {
                    "code": "OVERALL",
                    "type": "grade",
                    "text": text("Welk rapportcijfer geeft u de gemeente?"),
                    "required": True,
                    "role": "overall",
                    "dont_know": True,
                },
                {
                    "code": "CHANNEL",
                    "type": "single",
                    "text": text("Hoe had u contact?"),
                    "options": [
                        {"code": 1, "label": text("Balie")},
                        {"code": 2, "label": text("Telefoon")},
                        {"code": 3, "label": text("Website")},
                    ],
                },
                {
                    "code": "CHANNELS_USED",
                    "type": "multiple",
                    "text": text("Welke kanalen gebruikte u?"),
                    "options": [
                        {"code": 1, "label": text("Balie")},
                        {"code": 2, "label": text("Telefoon")},
                        {"code": 3, "label": text("Website")},
                    ],
                },
                {
                    "code": "ASPECTS",
                    "type": "matrix",
                    "text": text("Hoe beoordeelt u"),
                    "options": [{"code": c, "label": text(str(c))} for c in range(1, 6)],
                    "rows": [
                        {"code": "ASP_SPEED", "label": text("de snelheid"), "role": "aspect"},
                        {"code": "ASP_CLEAR", "label": text("de duidelijkheid"), "role": "aspect"},
                    ],
                },
            ],
        },
        {
            "key": "meer",
            "title": text("Meer over uw contact"),
            "questions": [
                {
                    "code": "WAIT_DAYS",
                    "type": "number",
                    "text": text("Hoeveel dagen wachtte u?"),
                    "minimum": 0,
                    "maximum": 365,
                },
                {"code": "CONTACT_DATE", "type": "date", "text": text("Wanneer?")},
                {"code": "GOT_NEEDED", "type": "yesno", "text": text("Kreeg u wat u nodig had?")},
                {"code": "REMARKS", "type": "text", "text": text("Opmerkingen"), "role": "open"},
            ],
        },
    ],
}


def csv_file(content: str, encoding: str = "utf-8") -> BytesIO:
    """A CSV upload with this content."""
    return BytesIO(content.encode(encoding))


@pytest.fixture
def questionnaire(amstelstad: Organisation) -> Questionnaire:
    """Amstelstad's own questionnaire."""
    return Questionnaire.objects.create(
        organisation=amstelstad,
        code="ervaring",
        title_nl="Ervaring met de gemeente",
        kind=TemplateKind.CUSTOM,
    )


@pytest.fixture
def version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    """A draft version of it."""
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        organisation=questionnaire.organisation,
        number=1,
        definition=DEFINITION,
    )


@pytest.fixture
def survey(amstelstad: Organisation, questionnaire: Questionnaire) -> Survey:
    """A survey of that questionnaire."""
    return Survey.objects.create(
        organisation=amstelstad, questionnaire=questionnaire, title="Tevredenheid 2026"
    )


def make_wave(
    survey: Survey,
    version: QuestionnaireVersion,
    *,
    by: User | None = None,
    days_open: int = 1,
    days_left: int = 30,
    **extra: Any,
) -> Wave:
    """A wave that opened ``days_open`` days ago and closes in ``days_left`` days."""
    now = timezone.now()
    options: dict[str, Any] = {
        "name": "meting 2026",
        "anonymous": True,
        "weighting": WEIGHTING,
        "reminder_days": [7, 14],
        "retention_days": 90,
    }
    options.update(extra)
    return services.create_wave(
        survey=survey,
        version=version,
        opens_at=now - timedelta(days=days_open),
        closes_at=now + timedelta(days=days_left),
        by=by,
        **options,
    )


@pytest.fixture
def wave(survey: Survey, version: QuestionnaireVersion) -> Wave:
    """An open wave with weighting on age group and district, reminders after 7 and 14 days."""
    return make_wave(survey, version)


SAMPLE = (
    "email;postal_address;language;age_group;district\n"
    "anna@example.org;;nl;18-34;noord\n"
    "bert@example.org;;en;65+;zuid\n"
    ";C. de Vries | Kerkstraat 1 | 1234 AB Amstelstad;;35-64;noord\n"
)


@pytest.fixture
def sample(wave: Wave) -> Wave:
    """The wave with a sample of two e-mail addresses (one English) and one postal address."""
    services.import_sample(wave, csv_file(SAMPLE), by=None)
    return wave
