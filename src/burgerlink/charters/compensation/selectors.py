"""Reads of the compensation ledger and citizens' claims, always scoped to one organisation."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case as SqlCase,
)
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from burgerlink.charters.charter.display import product_label
from burgerlink.charters.models import (
    Case,
    CharterNorm,
    Claim,
    ClaimCode,
    ClaimStatus,
    CompensationEntry,
    CompensationKind,
    Contact,
    EntryStatus,
    Verdict,
)
from burgerlink.core.language import in_language
from burgerlink.core.models import Organisation

# Claims must not be used to probe for references: anything longer than a source id, or with
# characters no source system writes, names no record and never reaches the database.
MAX_REFERENCE_LENGTH = 64
# The audit action of a citizen's claim.
CLAIM_SUBMIT_ACTION = "compensation.claim.submit"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The register's default order: the most recent contacts and cases first.
DEFAULT_SORT = "-ontvangen"


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
    received_at: datetime | None = None
    deadline: datetime | None = None


def clean_reference(reference: str) -> str | None:
    """Return the reference as a source id could hold it, or None when it cannot name a record."""
    cleaned = reference.strip()
    if not cleaned or len(cleaned) > MAX_REFERENCE_LENGTH or not cleaned.isprintable():
        return None
    return cleaned


def _candidates(reference: str) -> list[str]:
    """The spellings a reference is looked up by; a string that names nothing gives ``[""]``."""
    cleaned = clean_reference(reference)
    if cleaned is None:
        return [""]
    # Source systems write references in upper case more often than citizens type them.
    return list(dict.fromkeys([cleaned, cleaned.upper()]))


def find_claimable(
    organisation: Organisation, reference: str, *, now: datetime
) -> Claimable | None:
    """Return the claimable missed promise behind ``reference``, or None.

    None covers every case the public form answers with one neutral message: no such record,
    the promise was kept, the record is still within its term, or its norm promises no
    compensation. A record still open after its deadline is a missed promise already (as in the
    compliance reports), with the lateness counted up to ``now``. Always runs the same three
    queries (entry, cases, contacts), whatever it finds, so its time tells nothing.
    """
    candidates = _candidates(reference)
    entry = (
        CompensationEntry.objects.filter(organisation=organisation, source_id__in=candidates)
        .select_related("norm")
        .order_by("record_kind", "source_id")
        .first()
    )
    models: tuple[tuple[str, type[Case] | type[Contact]], ...] = (
        ("case", Case),
        ("contact", Contact),
    )
    found: Claimable | None = None
    for record_kind, model in models:
        records = list(
            model.objects.filter(
                organisation=organisation, source_id__in=candidates, norm__isnull=False
            )
            .exclude(norm__compensation_kind=CompensationKind.NONE)
            .select_related("norm")
            .order_by("source_id")
        )
        for record in records:
            norm = record.norm
            if found is not None or norm is None:
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
            found = Claimable(
                record_kind,
                record.source_id,
                norm,
                lateness,
                None,
                record.received_at,
                record.deadline,
            )
    if entry is not None:
        return Claimable(
            entry.record_kind,
            entry.source_id,
            entry.norm,
            entry.lateness_seconds,
            entry,
            entry.received_at,
            entry.deadline,
        )
    return found


@dataclass(frozen=True)
class ClaimCheck:
    """The outcome of ``check_claim``: the promise a claim may be made for, or None."""

    claimable: Claimable | None


# Compared against when a reference has no claim code, so a missing code costs the same work.
_NO_CODE = "0" * 64


def check_claim(
    organisation: Organisation,
    reference: str,
    *,
    now: datetime,
    digest: Callable[[str], str],
) -> ClaimCheck:
    """Return whether a claim may be made for ``reference``, and for what.

    It may when the claim code is the one issued for the reference (``digest`` returns the
    hash of the code given for a reference, compared with the stored one), the reference names
    a claimable missed promise and no claim exists for it yet. Every call runs the same five
    queries and one hash comparison, whichever condition fails, so neither the answer nor its
    timing tells which one did.
    """
    candidates = _candidates(reference)
    stored = (
        ClaimCode.objects.filter(organisation=organisation, reference__in=candidates)
        .order_by("reference")
        .values_list("reference", "code_hash")
        .first()
    )
    code_reference, code_hash = stored if stored is not None else (candidates[0], _NO_CODE)
    code_matches = hmac.compare_digest(digest(code_reference), code_hash) and stored is not None
    claimable = find_claimable(organisation, reference, now=now)
    claimed = Claim.objects.filter(organisation=organisation, reference__in=candidates).exists()
    if not code_matches or claimable is None or claimed or claimable.source_id != code_reference:
        return ClaimCheck(None)
    return ClaimCheck(claimable)


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


# --- the register at the scale of a year ---------------------------------------------------


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows: search, filters and sort order (every field optional)."""

    reference: str = ""
    norm: str = ""  # a norm code (stable across charter versions)
    group: str = ""  # "channel:<code>" or "product:<case type>"
    status: str = ""
    received_from: date | None = None
    received_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    sort: str = DEFAULT_SORT

    @property
    def is_empty(self) -> bool:
        """True when nothing narrows the register down."""
        return not any(
            (
                self.reference,
                self.norm,
                self.group,
                self.status,
                self.received_from,
                self.received_to,
                self.amount_min is not None,
                self.amount_max is not None,
            )
        )

    def as_params(self) -> dict[str, str]:
        """The filter as JSON-safe text (kept with an export, rebuilt by ``from_params``)."""
        return {
            "reference": self.reference,
            "norm": self.norm,
            "group": self.group,
            "status": self.status,
            "received_from": self.received_from.isoformat() if self.received_from else "",
            "received_to": self.received_to.isoformat() if self.received_to else "",
            "amount_min": "" if self.amount_min is None else str(self.amount_min),
            "amount_max": "" if self.amount_max is None else str(self.amount_max),
            "sort": self.sort,
        }

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> RegisterFilter:
        """The filter ``as_params`` wrote; missing keys mean "not narrowed"."""

        def text(key: str) -> str:
            return str(params.get(key) or "")

        def day(key: str) -> date | None:
            return date.fromisoformat(text(key)) if text(key) else None

        def amount(key: str) -> Decimal | None:
            return Decimal(text(key)) if text(key) else None

        return cls(
            reference=text("reference"),
            norm=text("norm"),
            group=text("group"),
            status=text("status"),
            received_from=day("received_from"),
            received_to=day("received_to"),
            amount_min=amount("amount_min"),
            amount_max=amount("amount_max"),
            sort=text("sort") or DEFAULT_SORT,
        )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def register_entries(
    organisation: Organisation, filters: RegisterFilter
) -> QuerySet[CompensationEntry]:
    """Return the organisation's entries that ``filters`` selects, unordered and unannotated.

    The same queryset serves the page, the counts, the bulk actions and the export, so each of
    them works on exactly what the member sees. Dates are days in Dutch time, both inclusive.
    """
    queryset = CompensationEntry.objects.filter(organisation=organisation)
    if filters.reference:
        queryset = queryset.filter(source_id__icontains=filters.reference.strip())
    if filters.norm:
        queryset = queryset.filter(norm__code=filters.norm)
    if filters.group:
        kind, _sep, code = filters.group.partition(":")
        if kind == "channel":
            queryset = queryset.filter(norm__channel__code=code, norm__case_type="")
        else:
            queryset = queryset.filter(norm__case_type=code)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.received_from is not None:
        queryset = queryset.filter(received_at__gte=_local_midnight(filters.received_from))
    if filters.received_to is not None:
        queryset = queryset.filter(
            received_at__lt=_local_midnight(filters.received_to + timedelta(days=1))
        )
    if filters.amount_min is not None:
        queryset = queryset.filter(amount__gte=filters.amount_min)
    if filters.amount_max is not None:
        queryset = queryset.filter(amount__lte=filters.amount_max)
    return queryset


# Sort keys as they appear in the address (``sorteer=-bedrag``) and what they order by.
STATUS_ORDER = SqlCase(
    *(When(status=value, then=Value(index)) for index, value in enumerate(EntryStatus.values)),
    default=Value(len(EntryStatus.values)),
    output_field=IntegerField(),
)
CLAIM_ORDER = SqlCase(
    When(claim_status__isnull=True, then=Value(0)),
    *(
        When(claim_status=value, then=Value(index + 1))
        for index, value in enumerate(ClaimStatus.values)
    ),
    default=Value(len(ClaimStatus.values) + 1),
    output_field=IntegerField(),
)
SORTS: dict[str, Any] = {
    "kenmerk": F("source_id"),
    "norm": F("norm__title_nl"),
    "ontvangen": F("received_at"),
    "te-laat": F("lateness_seconds"),
    "bedrag": F("amount"),
    "status": STATUS_ORDER,
    "claim": CLAIM_ORDER,
}


def sort_key(sort: str) -> tuple[str, bool]:
    """Return (column, descending) of a sort parameter; unknown ones give the default."""
    descending = sort.startswith("-")
    column = sort.removeprefix("-")
    if column not in SORTS:
        return sort_key(DEFAULT_SORT)
    return column, descending


def register_rows(queryset: QuerySet[CompensationEntry], sort: str) -> QuerySet[CompensationEntry]:
    """Return ``queryset`` with what a row shows (norm, channel, claim) in ``sort`` order.

    One query for a page: the norm and its channel are joined, the claim (an entry has at most
    one) comes as two subqueries. Empty values sort last either way; ties by newest id.
    """
    column, descending = sort_key(sort)
    first_claim = Claim.objects.filter(entry=OuterRef("pk")).order_by("pk")
    expression = SORTS[column]
    ordering = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return (
        queryset.select_related("norm", "norm__channel")
        .annotate(
            claim_id=Subquery(first_claim.values("pk")[:1]),
            claim_status=Subquery(first_claim.values("status")[:1]),
        )
        .order_by(ordering, "-pk")
    )


@dataclass(frozen=True)
class Selection:
    """How many entries a filter selects and what their money adds up to."""

    count: int
    amount: Decimal


def selection_summary(queryset: QuerySet[CompensationEntry]) -> Selection:
    """Return the number of entries and the sum of their amounts (one query)."""
    totals = queryset.aggregate(n=Count("id"), amount=Sum("amount"))
    return Selection(count=totals["n"] or 0, amount=totals["amount"] or Decimal("0.00"))


@dataclass(frozen=True)
class Choice:
    """One option of a filter: the value in the address and the label people read."""

    value: str
    label: str


@dataclass(frozen=True)
class RegisterChoices:
    """The options of the register's norm and channel-or-product filters."""

    norms: list[Choice]
    groups: list[Choice]


def register_choices(organisation: Organisation) -> RegisterChoices:
    """Return the norms with compensation (by code, newest title) and their channels or products.

    One query over the organisation's compensating norms of every charter version.
    """
    norms: dict[str, CharterNorm] = {}
    for norm in (
        CharterNorm.objects.filter(organisation=organisation)
        .exclude(compensation_kind=CompensationKind.NONE)
        .select_related("channel")
        .order_by("code", "-version__number")
    ):
        norms.setdefault(norm.code, norm)
    groups: dict[str, tuple[tuple[int, int, str], str]] = {}
    for norm in norms.values():
        if norm.case_type:
            label = product_label(norm.case_type)
            groups[f"product:{norm.case_type}"] = ((1, 0, label), label)
        elif norm.channel is not None:
            groups[f"channel:{norm.channel.code}"] = (
                (0, norm.channel.position, norm.channel.name),
                norm.channel.name,
            )
    return RegisterChoices(
        norms=sorted(
            (Choice(code, norm.title) for code, norm in norms.items()), key=lambda c: c.label
        ),
        groups=[
            Choice(value, label)
            for value, (_key, label) in sorted(groups.items(), key=lambda item: item[1][0])
        ],
    )


@dataclass
class StatusTotal:
    """Number of entries and their amount (money only; non-monetary entries count as 0)."""

    count: int = 0
    amount: Decimal = Decimal("0.00")
    label: str = ""


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
    labels = dict(EntryStatus.choices)
    by_status = {status: StatusTotal(label=str(labels[status])) for status in EntryStatus.values}
    by_norm: dict[str, NormTotals] = {}
    rows = (
        CompensationEntry.objects.filter(organisation=organisation)
        .values("norm__code", "status")
        .annotate(
            n=Count("id"),
            amount=Sum("amount"),
            title_nl=Max("norm__title_nl"),
            title_en=Max("norm__title_en"),
        )
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
                title=in_language(row["title_nl"] or row["norm__code"], row["title_en"] or ""),
                by_status={
                    status: StatusTotal(label=str(labels[status])) for status in EntryStatus.values
                },
            ),
        )
        norm.by_status[row["status"]] = StatusTotal(
            count=row["n"], amount=amount, label=str(labels[row["status"]])
        )
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
