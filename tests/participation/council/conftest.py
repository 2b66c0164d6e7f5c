"""Fixtures of the council area's tests: a participation officer and an imported sample."""

from __future__ import annotations

import io

import pytest

from burgerlink.core.models import Membership, Organisation, Role, User
from burgerlink.participation.council.services import import_council_file
from burgerlink.participation.models import CouncilImport
from tests.conftest import make_user
from tests.participation.council import popolo_sample


@pytest.fixture
def petra(amstelstad: Organisation) -> User:
    """Participation officer of Amstelstad (may import council data)."""
    user = make_user("petra_participatie")
    Membership.objects.create(user=user, organisation=amstelstad, role=Role.PARTICIPATION_OFFICER)
    return user


@pytest.fixture
def sample(amstelstad: Organisation) -> CouncilImport:
    """The sample council imported into Amstelstad."""
    return import_council_file(
        organisation=amstelstad, stream=io.BytesIO(popolo_sample.as_bytes()), filename="raad.json"
    )
