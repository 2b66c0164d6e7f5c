"""Amstelstad's charter in two versions, and factories for measured records.

Rows are created directly with the ORM (verdicts set by hand): the charter and import services
are other areas' work, and these tests are about counting, not measuring.

The charter:

* version 1, 2024-01-01 – 2025-04-01: ``phone`` (answered within 25 s, target 80%),
  ``email`` (answered within 2 working days, target 80%, an apology as compensation),
  ``permit`` (cases, 8 weeks, target 90%, a penalty per day).
* version 2 from 2025-04-01: the same codes; ``phone`` now has a target of 85%.
* a draft version 3 that must never show up anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import translation

from burgerlink.charters.models import (
    Case,
    Charter,
    CharterNorm,
    CharterVersion,
    Contact,
    ModelNorm,
    Verdict,
    VersionStatus,
)
from burgerlink.core.models import Channel, Organisation

MET, MISSED, OPEN, UNMEASURED = Verdict.MET, Verdict.MISSED, Verdict.OPEN, Verdict.UNMEASURED
_SOURCE_IDS = count(1)


@pytest.fixture(autouse=True)
def in_dutch() -> Iterator[None]:
    """Run each test in Dutch and restore the language after it.

    A request in English leaves English active in the thread; without this, tests that read
    texts directly would depend on the order in which tests run.
    """
    with translation.override("nl"):
        yield


def add_norm(version: CharterVersion, code: str, **fields: object) -> CharterNorm:
    """Add a norm to a version with sensible defaults (a contact norm on e-mail)."""
    values: dict[str, object] = {
        "title_nl": f"Norm {code}",
        "title_en": f"Norm {code} (en)",
        "promise_nl": f"Wij beloven {code}.",
        "metric": "working_days",
        "threshold": Decimal("2"),
        "target_share": Decimal("0.80"),
        "organisation": version.organisation,
    }
    values.update(fields)
    return CharterNorm.objects.create(version=version, code=code, **values)


def add_version(
    organisation: Organisation,
    number: int,
    valid_from: date | None,
    valid_to: date | None = None,
    status: str = VersionStatus.PUBLISHED,
    charter: Charter | None = None,
) -> CharterVersion:
    """A charter version (the charter is created for the first one)."""
    charter = charter or Charter.objects.get_or_create(organisation=organisation)[0]
    return CharterVersion.objects.create(
        charter=charter,
        organisation=organisation,
        number=number,
        status=status,
        valid_from=valid_from,
        valid_to=valid_to,
    )


@dataclass
class AmstelCharter:
    """The norms of Amstelstad's charter, by version and code."""

    v1: dict[str, CharterNorm]
    v2: dict[str, CharterNorm]
    draft: dict[str, CharterNorm]


def standard_norms(
    version: CharterVersion, *, phone_target: str = "0.80"
) -> dict[str, CharterNorm]:
    """Phone, e-mail and permit norms in ``version``, linked to the model norms."""
    channels = {c.code: c for c in Channel.objects.all()}
    models = {m.code: m for m in ModelNorm.objects.all()}
    return {
        "phone": add_norm(
            version,
            "phone",
            title_nl="Telefoon binnen 25 seconden opgenomen",
            title_en="Phone answered within 25 seconds",
            channel=channels["phone"],
            metric="elapsed_seconds",
            threshold=Decimal("25"),
            target_share=Decimal(phone_target),
            model_norm=models["phone-answered"],
            bsc_norms=[1, 2],
            position=1,
        ),
        "email": add_norm(
            version,
            "email",
            title_nl="E-mail binnen 2 werkdagen beantwoord",
            channel=channels["email"],
            compensation_kind="apology",
            compensation_nl="een excuusbrief",
            model_norm=models["email-answered"],
            bsc_norms=[4],
            position=2,
        ),
        "permit": add_norm(
            version,
            "permit",
            title_nl="Omgevingsvergunning binnen 8 weken",
            case_type="omgevingsvergunning-regulier",
            metric="legal_term",
            threshold=Decimal("8"),
            term_unit="weeks",
            calendar="legal",
            target_share=Decimal("0.90"),
            compensation_kind="penalty_per_day",
            model_norm=models["permit-regular"],
            position=3,
        ),
    }


@pytest.fixture
def charter(amstelstad: Organisation) -> AmstelCharter:
    """Amstelstad's charter: v1 (2024-01-01 – 2025-04-01), v2 (from 2025-04-01) and a draft."""
    v1 = add_version(amstelstad, 1, date(2024, 1, 1), date(2025, 4, 1), VersionStatus.SUPERSEDED)
    v2 = add_version(amstelstad, 2, date(2025, 4, 1))
    draft = add_version(amstelstad, 3, date(2026, 1, 1), status=VersionStatus.DRAFT)
    draft_norms = {"secret": add_norm(draft, "secret", title_nl="Concept-belofte")}
    return AmstelCharter(
        v1=standard_norms(v1),
        v2=standard_norms(v2, phone_target="0.85"),
        draft=draft_norms,
    )


def received_in(period: date) -> datetime:
    """A moment in the month ``period`` (mid-month, so time zones cannot move it)."""
    return datetime(period.year, period.month, 15, 10, 0, tzinfo=UTC)


def add_contacts(
    norm: CharterNorm | None,
    period: date,
    verdicts: Sequence[int],
    *,
    deadline: datetime | None = None,
    organisation: Organisation | None = None,
    prefix: str = "C",
) -> list[Contact]:
    """Contacts received in ``period`` with the given verdicts, written in one bulk insert."""
    organisation = organisation or (norm.organisation if norm else None)
    assert organisation is not None
    channel = norm.channel if norm and norm.channel else Channel.objects.get(code="phone")
    received = received_in(period)
    rows = [
        Contact(
            organisation=organisation,
            source_id=f"{prefix}-{next(_SOURCE_IDS)}",
            received_at=received,
            channel=channel,
            norm=norm,
            verdict=verdict,
            deadline=deadline if deadline is not None else received + timedelta(days=3),
            lateness_seconds=60 if verdict == MISSED else None,
            period=period,
        )
        for verdict in verdicts
    ]
    return Contact.objects.bulk_create(rows)


def add_cases(
    norm: CharterNorm,
    period: date,
    verdicts: Sequence[int],
    *,
    deadline: datetime | None = None,
    prefix: str = "Z",
) -> list[Case]:
    """Cases received in ``period`` with the given verdicts, written in one bulk insert."""
    received = received_in(period)
    rows = [
        Case(
            organisation=norm.organisation,
            source_id=f"{prefix}-{next(_SOURCE_IDS)}",
            received_at=received,
            case_type=norm.case_type,
            norm=norm,
            verdict=verdict,
            deadline=deadline if deadline is not None else received + timedelta(weeks=8),
            lateness_seconds=86_400 if verdict == MISSED else None,
            period=period,
        )
        for verdict in verdicts
    ]
    return Case.objects.bulk_create(rows)
