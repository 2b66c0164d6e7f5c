"""Fixtures of the respondent's tests: an open anonymous wave of Amstelstad and an invitee."""

from __future__ import annotations

import pytest

from burgerlink.core.models import Organisation
from burgerlink.surveys.models import Invitee, Wave
from tests.surveys.respond.factories import make_invitee, make_wave

TOKEN = "tok-anna-0001"


@pytest.fixture
def wave(amstelstad: Organisation) -> Wave:
    """An anonymous wave, open now, with the test questionnaire."""
    return make_wave(amstelstad)


@pytest.fixture
def invitee(wave: Wave) -> Invitee:
    """Anna, invited in Dutch, with age group and district as background."""
    return make_invitee(
        wave, TOKEN, background={"age_group": "35-49", "district": "Noord", "note": {"x": 1}}
    )
