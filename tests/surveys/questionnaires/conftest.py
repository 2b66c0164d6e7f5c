"""Fixtures of the questionnaire tests: the installed platform templates and the catalogue."""

from __future__ import annotations

import pytest
from django.apps import apps

from burgerlink.surveys.models import QuestionnaireVersion
from burgerlink.surveys.questionnaires.install import (
    BURGERPEILING,
    CONTACT,
    LIFE_EVENT,
    read_catalogue,
)
from burgerlink.surveys.questionnaires.templates import Catalogue


def template_version(code: str) -> QuestionnaireVersion:
    """Version 1 of a platform template installed by the data migration."""
    return QuestionnaireVersion.objects.select_related("questionnaire").get(
        questionnaire__organisation__isnull=True, questionnaire__code=code, number=1
    )


@pytest.fixture
def life_event_template(db: None) -> QuestionnaireVersion:
    """The life-event template."""
    return template_version(LIFE_EVENT)


@pytest.fixture
def contact_template(db: None) -> QuestionnaireVersion:
    """The short survey after a contact."""
    return template_version(CONTACT)


@pytest.fixture
def burgerpeiling_template(db: None) -> QuestionnaireVersion:
    """The Burgerpeiling."""
    return template_version(BURGERPEILING)


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    """The seeded catalogue as the builders see it."""
    return read_catalogue(apps)
