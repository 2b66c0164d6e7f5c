"""Fixtures of the charter tests: the model-norm library and a charter with two versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from burgerlink.charters.charter import services
from burgerlink.charters.models import CharterVersion, CompensationKind, ModelNorm
from burgerlink.core.models import Organisation

V1_FROM = date(2025, 1, 1)
V2_FROM = date(2025, 7, 1)


@pytest.fixture
def library(db: None) -> dict[str, ModelNorm]:
    """The seeded model-norm library by code."""
    return {norm.code: norm for norm in ModelNorm.objects.all()}


def compose(version: CharterVersion, library: dict[str, ModelNorm]) -> None:
    """Four library norms with the organisation's own choices."""
    services.add_norm_from_model(
        version, library["phone-answered"], None, promise_en="A person answers within 25 s."
    )
    services.add_norm_from_model(
        version,
        library["email-answered"],
        None,
        threshold=Decimal("3"),
        promise_nl="Mailt u ons, dan krijgt u binnen 3 werkdagen antwoord.",
    )
    services.add_norm_from_model(
        version,
        library["complaint-handled"],
        None,
        compensation_kind=CompensationKind.APOLOGY,
        compensation_nl="U krijgt een excuusbrief.",
    )
    services.add_norm_from_model(
        version,
        library["permit-regular"],
        None,
        compensation_kind=CompensationKind.PENALTY_PER_DAY,
        compensation_amount=Decimal("23"),
        compensation_cap=Decimal("1442"),
        compensation_nl="Een dwangsom per dag dat wij te laat beslissen.",
    )


@pytest.fixture
def two_versions(
    amstelstad: Organisation, library: dict[str, ModelNorm]
) -> tuple[CharterVersion, CharterVersion]:
    """Amstelstad: version 1 from 1 January 2025, version 2 from 1 July 2025 (e-mail: 2 days)."""
    first = services.start_charter(amstelstad)
    compose(first, library)
    services.publish_version(first, V1_FROM)
    second = services.new_draft_from(first)
    email = second.norms.get(code="email-answered")
    services.update_norm(
        email,
        threshold=Decimal("2"),
        promise_nl="Mailt u ons, dan krijgt u binnen 2 werkdagen antwoord.",
    )
    services.publish_version(second, V2_FROM)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second
