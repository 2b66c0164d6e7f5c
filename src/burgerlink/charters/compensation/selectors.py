"""Reads of the compensation ledger and citizens' claims, always scoped to one organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Max, QuerySet, Sum

from burgerlink.charters.models import (
    Case,
    CharterNorm,
    Claim,
    ClaimStatus,
    CompensationEntry,
    CompensationKind,
    Contact,
    EntryStatus,
    Verdict,
)
from burgerlink.core.models import AuditEvent, Organisation

# Claims must not be used to probe for references: anything longer than a source id, or with
# characters no source system writes, names no record and never reaches the database.
MAX_REFERENCE_LENGTH = 64
# The audit action of a citizen's claim; its rows also count submissions for the rate limit.
CLAIM_SUBMIT_ACTION = "compensation.claim.submit"


@dataclass(frozen=True)
class Claimable:
    """A missed promise with compensation that a citizen may claim.

    ``entry`` is the ledger entry when one exists; otherwise the claim creates it (for a record
    still open past its deadline, with the lateness so far).
    """

    record_kind: str
    source_id: str
    norm: CharterNorm
    lateness_seconds: int
    entry: CompensationEntry | None


def clean_reference(reference: str) -> str | None:
    """Return the reference as a source id could hold it, or None when it cannot name a record."""
    cleaned = reference.strip()
    if not cleaned or len(cleaned) > MAX_REFERENCE_LENGTH or not cleaned.isprintable():
        return None
    return cleaned


def find_claimable(
    organisation: Organisation, reference: str, *, now: datetime
) -> Claimable | None:
    """Return the claimable missed promise behind ``reference``, or None.

    None covers every case the public form answers with one neutral message: no such record,
    the promise was kept, the record is still within its term, or its norm promises no
    compensation. A record still open after its deadline is a missed promise already (as in the
    compliance reports), with the lateness counted up to ``now``.
    """
    cleaned = clean_reference(reference)
    if cleaned is None:
        return None
    # Source systems write references in upper case more often than citizens type them.
    candidates = list(dict.fromkeys([cleaned, cleaned.upper()]))
    entry = (
        CompensationEntry.objects.filter(organisation=organisation, source_id__in=candidates)
        .select_related("norm")
        .order_by("record_kind", "source_id")
        .first()
    )
    if entry is not None:
        return Claimable(
            entry.record_kind, entry.source_id, entry.norm, entry.lateness_seconds, entry
        )
    models: tuple[tuple[str, type[Case] | type[Contact]], ...] = (
        ("case", Case),
        ("contact", Contact),
    )
    for record_kind, model in models:
        records = model.objects.filter(
            organisation=organisation, source_id__in=candidates, norm__isnull=False
        ).exclude(norm__compensation_kind=CompensationKind.NONE)
        for record in records.select_related("norm").order_by("source_id"):
            norm = record.norm
            if norm is None:  # excluded by the query; this narrows the type
                continue
            if record.verdict == Verdict.MISSED:
                lateness = max(0, record.lateness_seconds or 0)
            elif (
                record.verdict == Verdict.OPEN
                and record.deadline is not None
                and record.deadline < now
            ):
                lateness = int((now - record.deadline).total_seconds())
            else:
                continue
            return Claimable(record_kind, record.source_id, norm, lateness, None)
    return None


def recent_submissions(client_label: str, *, since: datetime) -> int:
    """Return how many claims the client with this audit label submitted since ``since``.

    The audit log is the record of submissions: it holds a keyed hash of the client's address,
    never the address itself (see ``services.client_label``).
    """
    return AuditEvent.objects.filter(
        action=CLAIM_SUBMIT_ACTION, actor_label=client_label, at__gte=since
    ).count()


def claim_by_token(organisation: Organisation, token: str) -> Claim | None:
    """Return the claim with public status code ``token`` at this organisation, or None."""
    if not token or len(token) > 64 or not token.isascii():
        return None
    return (
        Claim.objects.filter(organisation=organisation, public_token=token)
        .select_related("entry__norm")
        .first()
    )


def claims(organisation: Organisation, status: str | None = None) -> QuerySet[Claim]:
    """Return the organisation's claims, newest first, optionally of one status."""
    queryset = Claim.objects.filter(organisation=organisation).select_related("entry__norm")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def claim_counts(organisation: Organisation) -> dict[str, int]:
    """Return the number of claims per status (every status present, zero when none)."""
    counts = dict.fromkeys(ClaimStatus.values, 0)
    for row in (
        Claim.objects.filter(organisation=organisation)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["status"]] = row["n"]
    return counts


def entries(organisation: Organisation, status: str | None = None) -> QuerySet[CompensationEntry]:
    """Return the organisation's ledger entries, newest first, optionally of one status."""
    queryset = CompensationEntry.objects.filter(organisation=organisation).select_related("norm")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


@dataclass
class StatusTotal:
    """Number of entries and their amount (money only; non-monetary entries count as 0)."""

    count: int = 0
    amount: Decimal = Decimal("0.00")


@dataclass
class NormTotals:
    """Totals of one charter norm (by its code, stable across charter versions) per status."""

    code: str
    title: str
    by_status: dict[str, StatusTotal] = field(default_factory=dict)

    @property
    def cells(self) -> list[StatusTotal]:
        """The totals in the order of ``EntryStatus`` (for table columns)."""
        return [self.by_status[status] for status in EntryStatus.values]

    @property
    def total(self) -> StatusTotal:
        """All entries of this norm together."""
        return StatusTotal(
            count=sum(t.count for t in self.by_status.values()),
            amount=sum((t.amount for t in self.by_status.values()), Decimal("0.00")),
        )


@dataclass
class LedgerTotals:
    """The ledger summed per status and per norm."""

    by_status: dict[str, StatusTotal]
    by_norm: list[NormTotals]

    @property
    def cells(self) -> list[StatusTotal]:
        """The totals in the order of ``EntryStatus``."""
        return [self.by_status[status] for status in EntryStatus.values]

    @property
    def total(self) -> StatusTotal:
        """The whole ledger."""
        return StatusTotal(
            count=sum(t.count for t in self.by_status.values()),
            amount=sum((t.amount for t in self.by_status.values()), Decimal("0.00")),
        )


def ledger_totals(organisation: Organisation) -> LedgerTotals:
    """Return the number and amount of entries per status, overall and per norm code (one query)."""
    by_status = {status: StatusTotal() for status in EntryStatus.values}
    by_norm: dict[str, NormTotals] = {}
    rows = (
        CompensationEntry.objects.filter(organisation=organisation)
        .values("norm__code", "status")
        .annotate(n=Count("id"), amount=Sum("amount"), title=Max("norm__title_nl"))
        .order_by("norm__code", "status")
    )
    for row in rows:
        amount = row["amount"] or Decimal("0.00")
        overall = by_status.setdefault(row["status"], StatusTotal())
        overall.count += row["n"]
        overall.amount += amount
        norm = by_norm.setdefault(
            row["norm__code"],
            NormTotals(
                code=row["norm__code"],
                title=row["title"] or row["norm__code"],
                by_status={status: StatusTotal() for status in EntryStatus.values},
            ),
        )
        norm.by_status[row["status"]] = StatusTotal(count=row["n"], amount=amount)
    return LedgerTotals(by_status=by_status, by_norm=list(by_norm.values()))


@dataclass(frozen=True)
class PanelSummary:
    """What the dashboard panel shows."""

    open_claims: int
    owed_count: int
    owed_amount: Decimal


def panel_summary(organisation: Organisation) -> PanelSummary:
    """Return the open claims and what is still owed, for the staff dashboard."""
    owed = CompensationEntry.objects.filter(
        organisation=organisation, status=EntryStatus.OWED
    ).aggregate(n=Count("id"), amount=Sum("amount"))
    return PanelSummary(
        open_claims=Claim.objects.filter(
            organisation=organisation, status=ClaimStatus.RECEIVED
        ).count(),
        owed_count=owed["n"] or 0,
        owed_amount=owed["amount"] or Decimal("0.00"),
    )
