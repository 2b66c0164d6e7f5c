"""Amstelstad's published charter with a norm for every compensation kind, and record factories.

The rows are created directly with the ORM: the charter services are another area's work.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from burgerlink.charters.models import (
    BatchKind,
    Case,
    Charter,
    CharterNorm,
    CharterVersion,
    Contact,
    ImportBatch,
    Verdict,
    VersionStatus,
)
from burgerlink.core.models import Channel, Organisation

DAY = 86_400
RECEIVED = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def add_norm(version: CharterVersion, code: str, **fields: object) -> CharterNorm:
    """Add a norm to a version with sensible defaults."""
    values: dict[str, object] = {
        "title_nl": f"Norm {code}",
        "promise_nl": f"Wij beloven {code}.",
        "metric": "working_days",
        "threshold": Decimal("2"),
        "target_share": Decimal("0.80"),
        "organisation": version.organisation,
    }
    values.update(fields)
    return CharterNorm.objects.create(version=version, code=code, **values)


@pytest.fixture
def norms(amstelstad: Organisation) -> dict[str, CharterNorm]:
    """Norms of Amstelstad's published charter, by code.

    * ``email``: contacts by e-mail, an apology (non-monetary)
    * ``phone``: contacts by phone, no compensation
    * ``letter``: contacts by letter, a flower voucher (gift)
    * ``permit``: cases, the statutory penalty per day (Wet dwangsom)
    * ``complaint``: cases, a fixed €25
    * ``parking``: cases, its own €10 per day up to €50
    """
    charter = Charter.objects.create(organisation=amstelstad)
    version = CharterVersion.objects.create(
        charter=charter,
        organisation=amstelstad,
        number=1,
        status=VersionStatus.PUBLISHED,
        valid_from=date(2025, 1, 1),
    )
    channels = {channel.code: channel for channel in Channel.objects.all()}
    return {
        "email": add_norm(
            version,
            "email",
            channel=channels["email"],
            compensation_kind="apology",
            compensation_nl="Een excuusbrief van de directeur",
        ),
        "phone": add_norm(
            version, "phone", channel=channels["phone"], metric="elapsed_seconds", threshold=25
        ),
        "letter": add_norm(version, "letter", channel=channels["letter"], compensation_kind="gift"),
        "permit": add_norm(
            version,
            "permit",
            case_type="omgevingsvergunning",
            metric="legal_term",
            threshold=Decimal("8"),
            term_unit="weeks",
            calendar="legal",
            compensation_kind="penalty_per_day",
        ),
        "complaint": add_norm(
            version,
            "complaint",
            case_type="klacht",
            compensation_kind="amount",
            compensation_amount=Decimal("25.00"),
        ),
        "parking": add_norm(
            version,
            "parking",
            case_type="parkeervergunning",
            compensation_kind="penalty_per_day",
            compensation_amount=Decimal("10.00"),
            compensation_cap=Decimal("50.00"),
        ),
    }


def make_batch(organisation: Organisation, kind: str = BatchKind.CONTACTS) -> ImportBatch:
    """An import batch the records below can belong to."""
    return ImportBatch.objects.create(organisation=organisation, kind=kind)


def make_contact(
    norm: CharterNorm,
    source_id: str,
    verdict: int = Verdict.MISSED,
    *,
    lateness: int | None = None,
    deadline: datetime | None = None,
    batch: ImportBatch | None = None,
) -> Contact:
    """A contact measured against ``norm``; missed ones are one day late unless told."""
    if verdict == Verdict.MISSED and lateness is None:
        lateness = DAY
    assert norm.channel is not None
    return Contact.objects.create(
        organisation=norm.organisation,
        source_id=source_id,
        received_at=RECEIVED,
        channel=norm.channel,
        norm=norm,
        deadline=deadline or RECEIVED + timedelta(days=2),
        verdict=verdict,
        lateness_seconds=lateness,
        period=date(2025, 3, 1),
        batch=batch,
    )


def make_case(
    norm: CharterNorm,
    source_id: str,
    verdict: int = Verdict.MISSED,
    *,
    lateness: int | None = None,
    deadline: datetime | None = None,
    batch: ImportBatch | None = None,
) -> Case:
    """A case measured against ``norm``; missed ones are one day late unless told."""
    if verdict == Verdict.MISSED and lateness is None:
        lateness = DAY
    return Case.objects.create(
        organisation=norm.organisation,
        source_id=source_id,
        received_at=RECEIVED,
        case_type=norm.case_type,
        norm=norm,
        deadline=deadline or RECEIVED + timedelta(weeks=8),
        verdict=verdict,
        lateness_seconds=lateness,
        period=date(2025, 3, 1),
        batch=batch,
    )


def code_for(organisation: Organisation, reference: str) -> str:
    """Issue the claim code of ``reference``, as the organisation prints it on its letter."""
    from burgerlink.charters.compensation.services import issue_claim_codes

    return issue_claim_codes(organisation=organisation, references=[reference])[0].claim_code
