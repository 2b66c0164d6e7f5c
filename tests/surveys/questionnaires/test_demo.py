"""The demo step: templates present, one draft for Amstelstad, idempotent."""

from __future__ import annotations

import pytest

from burgerlink.core.models import Organisation
from burgerlink.surveys.definition import parse
from burgerlink.surveys.models import Questionnaire
from burgerlink.surveys.questionnaires.demo import DEMO_CODE, load_demo

pytestmark = pytest.mark.django_db


def test_demo_step_is_idempotent(amstelstad: Organisation) -> None:
    Questionnaire.objects.filter(organisation__isnull=True, code="burgerpeiling").delete()
    lines: list[str] = []
    load_demo(lines.append)
    load_demo(lines.append)
    assert lines[0] == "Sjablonen geïnstalleerd: burgerpeiling."
    assert Questionnaire.objects.filter(organisation__isnull=True).count() == 3
    own = Questionnaire.objects.get(organisation=amstelstad)
    assert own.code == DEMO_CODE
    definition = parse(own.versions.get().definition)
    question = definition.question("AMS_APPOINTMENT")
    assert question is not None and question.condition is not None
    assert question.condition.var == "CONTACT_CHANNEL"
