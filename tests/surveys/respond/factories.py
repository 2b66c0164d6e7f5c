"""Rows for the respondent's tests, made with the ORM: a small questionnaire, waves, invitees.

The questionnaire has a page of grades, a page with a matrix and a multiple choice, a page that
routing shows only to people who had contact, and a last page with an open question, a number,
a date and a long single choice (a drop-down list). Texts in Dutch and English.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from burgerlink.core.models import Organisation
from burgerlink.surveys.models import (
    Invitee,
    InviteeStatus,
    Questionnaire,
    QuestionnaireVersion,
    Survey,
    TemplateKind,
    VersionStatus,
    Wave,
)


def text(nl: str, en: str) -> dict[str, str]:
    """A text in both languages."""
    return {"nl": nl, "en": en}


MUNICIPALITIES = [
    "Amstelstad",
    "Heidedorp",
    "Zeehaven",
    "Bergen aan Zee",
    "Duinwijk",
    "Grachtendorp",
    "Hoogveen",
    "IJsselkade",
    "Kanaalstad",
    "Lindendaal",
    "Molenbroek",
    "Noorderpolder",
    "Oosterbeek",
]


def definition() -> dict[str, Any]:
    """The definition JSON of the test questionnaire (valid for ``definition.parse``)."""
    scale = [
        {"code": 1, "label": text("Heel slecht", "Very poor")},
        {"code": 2, "label": text("Slecht", "Poor")},
        {"code": 3, "label": text("Redelijk", "Fair")},
        {"code": 4, "label": text("Goed", "Good")},
        {"code": 5, "label": text("Heel goed", "Very good")},
    ]
    return {
        "title": text("Uw ervaring met de gemeente", "Your experience with the municipality"),
        "intro": text(
            "Vertel ons hoe het contact met de gemeente ging.",
            "Tell us how your contact with the municipality went.",
        ),
        "languages": ["nl", "en"],
        "pages": [
            {
                "key": "cijfers",
                "title": text("Rapportcijfers", "Grades"),
                "questions": [
                    {
                        "code": "OVERALL",
                        "type": "grade",
                        "role": "overall",
                        "required": True,
                        "dont_know": True,
                        "text": text(
                            "Welk rapportcijfer geeft u de overheid als geheel?",
                            "What grade do you give the government as a whole?",
                        ),
                    },
                    {
                        "code": "CHAIN",
                        "type": "grade",
                        "role": "chain",
                        "text": text(
                            "Welk cijfer geeft u de samenwerking tussen de organisaties?",
                            "What grade do you give the cooperation between organisations?",
                        ),
                    },
                    {
                        "code": "CONTACT",
                        "type": "yesno",
                        "required": True,
                        "text": text(
                            "Had u het afgelopen jaar contact met de gemeente?",
                            "Did you have contact with the municipality in the past year?",
                        ),
                    },
                ],
            },
            {
                "key": "aspecten",
                "title": text("Hoe ging het?", "How did it go?"),
                "questions": [
                    {
                        "code": "ASPECTS",
                        "type": "matrix",
                        "required": True,
                        "not_applicable": True,
                        "options": scale,
                        "text": text(
                            "Hoe beoordeelt u deze onderdelen?", "How do you rate these aspects?"
                        ),
                        "rows": [
                            {
                                "code": "ASPECT_SPEED",
                                "role": "aspect",
                                "label": text("De snelheid", "The speed"),
                            },
                            {
                                "code": "ASPECT_CLEAR",
                                "role": "aspect",
                                "label": text("De duidelijkheid", "The clarity"),
                            },
                        ],
                    },
                    {
                        "code": "CHANNELS",
                        "type": "multiple",
                        "dont_know": True,
                        "text": text("Hoe had u contact?", "How did you get in touch?"),
                        "options": [
                            {"code": 1, "label": text("Aan de balie", "At the desk")},
                            {"code": 2, "label": text("Telefoon", "Phone")},
                            {"code": 3, "label": text("Website", "Website")},
                            {"code": 4, "label": text("E-mail", "E-mail")},
                        ],
                    },
                ],
            },
            {
                "key": "contact",
                "title": text("Uw contact", "Your contact"),
                "condition": {"var": "CONTACT", "op": "eq", "value": 1},
                "questions": [
                    {
                        "code": "CONTACT_GRADE",
                        "type": "grade",
                        "role": "organisation",
                        "key": "gemeente",
                        "required": True,
                        "text": text(
                            "Welk cijfer geeft u het contact met de gemeente?",
                            "What grade do you give your contact with the municipality?",
                        ),
                    },
                    {
                        "code": "WAIT_DAYS",
                        "type": "number",
                        "minimum": 0,
                        "maximum": 365,
                        "text": text(
                            "Hoeveel dagen duurde het voor u antwoord kreeg?",
                            "How many days did it take to get an answer?",
                        ),
                    },
                    {
                        "code": "CONTACT_DATE",
                        "type": "date",
                        "text": text("Wanneer was het contact?", "When was the contact?"),
                    },
                ],
            },
            {
                "key": "slot",
                "title": text("Tot slot", "Finally"),
                "questions": [
                    {
                        "code": "MUNICIPALITY",
                        "type": "single",
                        "role": "background",
                        "key": "municipality",
                        "text": text("In welke gemeente woont u?", "Where do you live?"),
                        "options": [
                            {"code": n, "label": text(name, name)}
                            for n, name in enumerate(MUNICIPALITIES, start=1)
                        ],
                    },
                    {
                        "code": "IMPROVE",
                        "type": "text",
                        "role": "open",
                        "text": text(
                            "Wat kan de gemeente beter doen?",
                            "What could the municipality do better?",
                        ),
                    },
                ],
            },
        ],
    }


def make_wave(
    organisation: Organisation,
    *,
    anonymous: bool = True,
    open_link: str = "",
    opens_in: timedelta = -timedelta(days=1),
    closes_in: timedelta = timedelta(days=30),
    definition_json: dict[str, Any] | None = None,
    weighting: dict[str, Any] | None = None,
) -> Wave:
    """A survey with a fielded version and one wave (open now unless told otherwise)."""
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        code=f"ervaring-{Questionnaire.objects.count() + 1}",
        title_nl="Uw ervaring",
        title_en="Your experience",
        kind=TemplateKind.CONTACT,
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        organisation=organisation,
        number=1,
        status=VersionStatus.FIELDED,
        definition=definition_json or definition(),
        fielded_at=timezone.now(),
    )
    survey = Survey.objects.create(
        organisation=organisation, questionnaire=questionnaire, title="Klanttevredenheid"
    )
    now = timezone.now()
    return Wave.objects.create(
        survey=survey,
        organisation=organisation,
        version=version,
        name="Meting 2026",
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        anonymous=anonymous,
        open_link=open_link,
        weighting=weighting or {},
    )


def make_invitee(
    wave: Wave,
    token: str,
    *,
    language: str = "nl",
    background: dict[str, Any] | None = None,
) -> Invitee:
    """An invited person with a token."""
    return Invitee.objects.create(
        wave=wave,
        organisation=wave.organisation,
        token=token,
        email=f"{token}@example.org",
        language=language,
        background=background or {},
        status=InviteeStatus.INVITED,
        invited_at=timezone.now(),
    )
