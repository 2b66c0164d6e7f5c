"""Push contacts and cases in batches with an organisation token (or a staff session)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import model_validator

from burgerlink.charters.models import Case, Contact, Extension, ImportBatch, Suspension
from burgerlink.charters.records.services import push_records
from burgerlink.core.api_support import (
    TOKEN_OR_STAFF,
    IsoDate,
    IsoDateTime,
    actor_of,
    authorised_organisation,
    error_responses,
    model_field,
)
from burgerlink.core.files import ImportRejectedError
from burgerlink.core.permissions import Perm

router = Router(tags=["service quality"])
MAX_ITEMS = 10_000


class ContactIn(Schema):
    """One contact (klantcontact); date-times must carry a time zone."""

    source_id: str = model_field(
        Contact, "source_id", min_length=1, max_length=64, pattern=r"^[^\x00-\x1f]+$"
    )
    channel: str = Field(..., min_length=1, max_length=40, description="Channel code, e.g. phone.")
    received_at: IsoDateTime = model_field(Contact, "received_at")
    handled_at: IsoDateTime | None = model_field(Contact, "handled_at", None)
    wait_seconds: int | None = model_field(Contact, "wait_seconds", None, ge=0, le=86_400 * 7)
    answered: bool | None = model_field(Contact, "answered", None)
    reclassified_as: str | None = model_field(Contact, "reclassified_as", None, max_length=40)


class ContactsIn(Schema):
    """A batch of contacts."""

    contacts: list[ContactIn] = Field(..., min_length=1, max_length=MAX_ITEMS)


class SuspensionIn(Schema):
    """A suspension of the decision term (Awb 4:15)."""

    start: IsoDate = model_field(Suspension, "start")
    end: IsoDate | None = model_field(Suspension, "end", None)
    reason: str = model_field(Suspension, "reason", "", max_length=200)

    @model_validator(mode="after")
    def end_not_before_start(self) -> SuspensionIn:
        """A suspension cannot end before it starts."""
        if self.end is not None and self.end < self.start:
            raise ValueError("end must not be before start")
        if not 1900 <= self.start.year <= 2199 or (self.end and not 1900 <= self.end.year <= 2199):
            raise ValueError("dates must lie within 1900–2199")
        return self


class ExtensionIn(Schema):
    """An extension of the decision term (Awb 4:14)."""

    amount: int = model_field(Extension, "amount", ge=1, le=520)
    unit: str = model_field(Extension, "unit", pattern=r"^(weeks|calendar_days)$")
    reason: str = model_field(Extension, "reason", "", max_length=200)


class CaseIn(Schema):
    """One case (zaak) with its suspensions and extensions (they replace the stored ones)."""

    source_id: str = model_field(
        Case, "source_id", min_length=1, max_length=64, pattern=r"^[^\x00-\x1f]+$"
    )
    case_type: str = model_field(
        Case, "case_type", min_length=1, max_length=80, pattern=r"^[a-z0-9-]+$"
    )
    received_at: IsoDateTime = model_field(Case, "received_at")
    complete_at: IsoDateTime | None = model_field(Case, "complete_at", None)
    decided_at: IsoDateTime | None = model_field(Case, "decided_at", None)
    suspensions: list[SuspensionIn] | None = None
    extensions: list[ExtensionIn] | None = None


class CasesIn(Schema):
    """A batch of cases."""

    cases: list[CaseIn] = Field(..., min_length=1, max_length=MAX_ITEMS)


class ImportOut(Schema):
    """What a push did."""

    batch_id: int
    status: str
    rows_total: int
    created: int
    updated: int
    unchanged: int


PUSH_ERRORS = error_responses(400, 401, 403, 404, 422)


def _iso(value: Any) -> str:
    return "" if value is None else value.isoformat()


def _result(batch: ImportBatch) -> ImportOut:
    return ImportOut(
        batch_id=batch.pk,
        status=batch.status,
        rows_total=batch.rows_total,
        created=batch.rows_created,
        updated=batch.rows_updated,
        unchanged=batch.rows_unchanged,
    )


def _rejected(prefix: str, rejected: ImportRejectedError) -> Any:
    from django.core.exceptions import ValidationError

    messages: dict[str, list[str]] = {}
    for error in rejected.batch.errors:
        row = int(error["row"])
        key = f"body.{prefix}.{row - 1}.{error['column']}" if row else f"body.{prefix}"
        messages.setdefault(key, []).append(str(error["message"]))
    return ValidationError(messages)


@router.post(
    "/organisations/{slug}/contacts",
    response={201: ImportOut, **PUSH_ERRORS},
    auth=TOKEN_OR_STAFF,
)
def push_contacts(request: HttpRequest, slug: str, payload: ContactsIn) -> Status[ImportOut]:
    """Push up to 10,000 contacts; all-or-nothing, idempotent by source_id."""
    organisation = authorised_organisation(request, slug, Perm.IMPORT_RECORDS)
    user, label = actor_of(request)
    items = payload.contacts
    columns = {
        "source_id": [i.source_id for i in items],
        "channel": [i.channel for i in items],
        "received_at": [_iso(i.received_at) for i in items],
        "handled_at": [_iso(i.handled_at) for i in items],
        "wait_seconds": ["" if i.wait_seconds is None else str(i.wait_seconds) for i in items],
        "answered": ["" if i.answered is None else ("ja" if i.answered else "nee") for i in items],
        "reclassified_as": [i.reclassified_as or "" for i in items],
    }
    try:
        batch = push_records(
            organisation=organisation,
            kind="contacts",
            columns=columns,
            by=user,
            by_label=label or "api",
        )
    except ImportRejectedError as rejected:
        raise _rejected("contacts", rejected) from rejected
    return Status(201, _result(batch))


@router.post(
    "/organisations/{slug}/cases",
    response={201: ImportOut, **PUSH_ERRORS},
    auth=TOKEN_OR_STAFF,
)
def push_cases(request: HttpRequest, slug: str, payload: CasesIn) -> Status[ImportOut]:
    """Push up to 10,000 cases with their suspensions and extensions; all-or-nothing."""
    organisation = authorised_organisation(request, slug, Perm.IMPORT_RECORDS)
    user, label = actor_of(request)
    items = payload.cases
    columns = {
        "source_id": [i.source_id for i in items],
        "case_type": [i.case_type for i in items],
        "received_at": [_iso(i.received_at) for i in items],
        "complete_at": [_iso(i.complete_at) for i in items],
        "decided_at": [_iso(i.decided_at) for i in items],
    }
    intervals = {
        "suspensions": [
            (i.source_id, s.start, s.end, s.reason) for i in items for s in (i.suspensions or [])
        ],
        "suspension_cases": [i.source_id for i in items if i.suspensions is not None],
        "extension_items": [
            (i.source_id, e.amount * (7 if e.unit == "weeks" else 1), e.reason)
            for i in items
            for e in (i.extensions or [])
        ],
        "extension_cases": [i.source_id for i in items if i.extensions is not None],
    }
    try:
        batch = push_records(
            organisation=organisation,
            kind="cases",
            columns=columns,
            extra=intervals,
            by=user,
            by_label=label or "api",
        )
    except ImportRejectedError as rejected:
        raise _rejected("cases", rejected) from rejected
    return Status(201, _result(batch))
