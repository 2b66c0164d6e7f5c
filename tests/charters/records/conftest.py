"""A published charter for Amstelstad with norms on phone, e-mail and permits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from burgerlink.charters.models import Charter, CharterNorm, CharterVersion, VersionStatus
from burgerlink.core.models import Channel, Organisation


def add_norm(version: CharterVersion, code: str, **fields: object) -> CharterNorm:
    """Add a norm to a version with sensible defaults."""
    values: dict[str, object] = {
        "title_nl": code,
        "promise_nl": code,
        "target_share": Decimal("0.80"),
        "organisation": version.organisation,
    }
    values.update(fields)
    return CharterNorm.objects.create(version=version, code=code, **values)


@pytest.fixture
def charter(amstelstad: Organisation) -> CharterVersion:
    """Version 1 (from 2025-01-01): phone 25 s, e-mail 2 working days, permits 8 weeks (legal)."""
    charter = Charter.objects.create(organisation=amstelstad)
    version = CharterVersion.objects.create(
        charter=charter,
        organisation=amstelstad,
        number=1,
        status=VersionStatus.PUBLISHED,
        valid_from=date(2025, 1, 1),
    )
    channels = {c.code: c for c in Channel.objects.all()}
    add_norm(
        version, "phone-answered", channel=channels["phone"], metric="elapsed_seconds", threshold=25
    )
    add_norm(
        version, "email-answered", channel=channels["email"], metric="working_days", threshold=2
    )
    add_norm(
        version,
        "permit-regular",
        case_type="omgevingsvergunning-regulier",
        metric="legal_term",
        threshold=8,
        term_unit="weeks",
        calendar="legal",
        compensation_kind="penalty_per_day",
    )
    return version
