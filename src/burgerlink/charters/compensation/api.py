"""API endpoints of the charters app's compensation area: the ledger, without personal data."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import AwareDatetime

from burgerlink.charters.compensation import selectors
from burgerlink.charters.compensation.rules import days_late
from burgerlink.core.api_support import TOKEN_OR_STAFF, authorised_organisation, error_responses
from burgerlink.core.permissions import Perm

router = Router(tags=["service quality"])
READ_ERRORS = error_responses(401, 403, 404, 422)


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
    days_late: int = Field(description="Every started day counts.")
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
            days_late=days_late(entry.lateness_seconds),
            amount=entry.amount,
            compensation_kind=entry.norm.compensation_kind,
            status=entry.status,
            created_at=entry.created_at,
        )
        for entry in entries
    ]
