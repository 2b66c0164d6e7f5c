"""API endpoints of the charters app's compensation area: the ledger, without personal data."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime

from burgerlink.charters.compensation import selectors, services
from burgerlink.charters.compensation.rules import days_late
from burgerlink.charters.compensation.services import MAX_CODES_PER_CALL
from burgerlink.charters.models import LatenessUnit
from burgerlink.core.api_support import (
    TOKEN_OR_STAFF,
    actor_of,
    authorised_organisation,
    error_responses,
)
from burgerlink.core.permissions import Perm

router = Router(tags=["service quality"])
READ_ERRORS = error_responses(401, 403, 404, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)  # 400: a body that is not JSON


class EntryQuery(Schema):
    """Filter for the compensation ledger."""

    status: Literal["owed", "offered", "paid", "declined"] | None = Field(
        None, description="Only entries with this status."
    )
    limit: int = Field(100, ge=1, le=1000)


class CompensationEntryOut(Schema):
    """A missed promise with compensation and what became of it (no data about the citizen)."""

    record_kind: str = Field(description="contact or case.")
    source_id: str = Field(description="The record's reference in the source system.")
    norm_code: str = Field(description="Code of the charter norm (stable across versions).")
    lateness_seconds: int
    lateness: int = Field(
        description="Lateness in the unit of the norm; every started unit counts."
    )
    lateness_unit: LatenessUnit = Field(
        description="The unit of the norm (working days on the norm's calendar)."
    )
    days_late: int = Field(
        description="Started calendar days late: what a penalty per day (Wet dwangsom) counts."
    )
    amount: Decimal | None = Field(description="Euro; empty for non-monetary compensation.")
    compensation_kind: str
    status: str = Field(description="owed, offered, paid or declined.")
    created_at: AwareDatetime


@router.get(
    "/organisations/{slug}/compensation",
    response={200: list[CompensationEntryOut], **READ_ERRORS},
    auth=TOKEN_OR_STAFF,
)
def list_compensation_entries(
    request: HttpRequest, slug: str, query: Query[EntryQuery]
) -> list[CompensationEntryOut]:
    """The organisation's compensation ledger, newest first."""
    organisation = authorised_organisation(request, slug, Perm.HANDLE_CLAIMS)
    entries = selectors.entries(organisation, query.status)[: query.limit]
    return [
        CompensationEntryOut(
            record_kind=entry.record_kind,
            source_id=entry.source_id,
            norm_code=entry.norm.code,
            lateness_seconds=entry.lateness_seconds,
            lateness=entry.lateness,
            lateness_unit=LatenessUnit(entry.lateness_unit),
            days_late=days_late(entry.lateness_seconds),
            amount=entry.amount,
            compensation_kind=entry.norm.compensation_kind,
            status=entry.status,
            created_at=entry.created_at,
        )
        for entry in entries
    ]


class ClaimCodesIn(Schema):
    """References of the organisation's own system that need a claim code."""

    references: list[str] = Field(
        min_length=1,
        max_length=MAX_CODES_PER_CALL,
        description="Up to 1,000 references, as the organisation's system writes them.",
    )


class NewReferencesIn(Schema):
    """How many new references (each with a claim code) the platform should issue."""

    count: int = Field(ge=1, le=MAX_CODES_PER_CALL)


class ClaimCodeOut(Schema):
    """A reference and its claim code: print both on the receipt, letter or e-mail."""

    reference: str
    claim_code: str = Field(
        description="Shown once: only a keyed hash is stored. Issuing again replaces it."
    )


@router.post(
    "/organisations/{slug}/compensation/claim-codes",
    response={201: list[ClaimCodeOut], **WRITE_ERRORS},
    auth=TOKEN_OR_STAFF,
)
def issue_claim_codes(
    request: HttpRequest, slug: str, payload: ClaimCodesIn
) -> Status[list[ClaimCodeOut]]:
    """Issue a claim code for each reference (replacing an earlier code); audited."""
    organisation = authorised_organisation(request, slug, Perm.HANDLE_CLAIMS)
    user, label = actor_of(request)
    issued = services.issue_claim_codes(
        organisation=organisation, references=payload.references, by=user, actor_label=label
    )
    return Status(
        201, [ClaimCodeOut(reference=i.reference, claim_code=i.claim_code) for i in issued]
    )


@router.post(
    "/organisations/{slug}/compensation/references",
    response={201: list[ClaimCodeOut], **WRITE_ERRORS},
    auth=TOKEN_OR_STAFF,
)
def issue_references(
    request: HttpRequest, slug: str, payload: NewReferencesIn
) -> Status[list[ClaimCodeOut]]:
    """Issue new random references (with a check character), each with its claim code."""
    organisation = authorised_organisation(request, slug, Perm.HANDLE_CLAIMS)
    user, label = actor_of(request)
    issued = services.issue_references(
        organisation=organisation, count=payload.count, by=user, actor_label=label
    )
    return Status(
        201, [ClaimCodeOut(reference=i.reference, claim_code=i.claim_code) for i in issued]
    )
