"""Writes of the compensation area: the ledger of missed promises, claims and their retention.

Every write runs in one transaction; staff actions are audited; e-mails go out after commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from burgerlink.charters.compensation import mail, rules, selectors
from burgerlink.charters.compensation.iban import is_valid_iban, normalise_iban
from burgerlink.charters.compensation.selectors import CLAIM_SUBMIT_ACTION, Claimable
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
from burgerlink.core import notify
from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.core.services import client_fingerprint, record_audit

RECORD_MODELS: dict[str, type[Contact] | type[Case]] = {"contact": Contact, "case": Case}
COMPENSATED_KINDS = [kind for kind in CompensationKind.values if kind != CompensationKind.NONE]
BULK_BATCH_SIZE = 2000

# Abuse defence of the public form (no CAPTCHA): at most this many claims per client per window.
CLAIMS_PER_CLIENT = 10
RATE_WINDOW = timedelta(hours=1)
# Undecided claims keep their personal data at most this long after submission.
UNDECIDED_RETENTION = timedelta(days=730)
# What the audit log keeps as the claimant once the rate-limit window has passed.
ANONYMOUS_CLAIMANT = "burger"
MARKABLE_STATUSES = (EntryStatus.OFFERED, EntryStatus.PAID, EntryStatus.DECLINED)


def retention_days() -> int:
    """Return how many days a decided claim keeps its personal data (``CLAIM_RETENTION_DAYS``)."""
    return int(getattr(settings, "CLAIM_RETENTION_DAYS", 365))


def client_label(ip_address: str) -> str:
    """Return how the audit log names an anonymous claimant: a keyed hash, never the address."""
    return f"{ANONYMOUS_CLAIMANT}:{client_fingerprint(ip_address)[:16]}"


def _record_model(record_kind: str) -> type[Contact] | type[Case]:
    try:
        return RECORD_MODELS[record_kind]
    except KeyError:
        raise ValueError(f"record_kind must be 'contact' or 'case', not {record_kind!r}") from None


# --- the ledger ---------------------------------------------------------------------------


@transaction.atomic
def register_missed_promises(
    *, organisation: Organisation, record_kind: str, batch_id: int | None = None
) -> int:
    """Create a ledger entry (owed) for every missed record whose norm promises compensation.

    Runs after each import (``batch_id``) or over all records (``None``). Set-based: one query
    finds the missed records without an entry, with their norm's compensation; the entries are
    inserted in batches, and a concurrent run that inserted one first is ignored (unique per
    organisation, record kind and source id). Idempotent. Entries still owed also follow their
    record's measured lateness (an entry a citizen's claim created while the record was still
    open gets its final lateness here). Returns the number of entries created.
    """
    model = _record_model(record_kind)
    # The few norms that compensate first: a list of ids lets the database use the index of
    # missed records instead of joining every missed record to its norm.
    compensating = list(
        CharterNorm.objects.filter(
            organisation=organisation, compensation_kind__in=COMPENSATED_KINDS
        ).values_list("pk", flat=True)
    )
    records = model.objects.filter(
        organisation=organisation, verdict=Verdict.MISSED, norm_id__in=compensating
    )
    if batch_id is not None:
        records = records.filter(batch_id=batch_id)
    has_entry = CompensationEntry.objects.filter(
        organisation=organisation, record_kind=record_kind, source_id=OuterRef("source_id")
    )
    rows = list(
        records.filter(~Exists(has_entry)).values_list(
            "source_id",
            "norm_id",
            "lateness_seconds",
            "norm__compensation_kind",
            "norm__compensation_amount",
            "norm__compensation_cap",
        )
    )
    entries = [
        CompensationEntry(
            organisation=organisation,
            norm_id=norm_id,
            record_kind=record_kind,
            source_id=source_id,
            lateness_seconds=max(0, lateness or 0),
            amount=rules.amount_owed(kind=kind, amount=amount, cap=cap, lateness_seconds=lateness),
            status=EntryStatus.OWED,
        )
        for source_id, norm_id, lateness, kind, amount, cap in rows
    ]
    CompensationEntry.objects.bulk_create(
        entries, batch_size=BULK_BATCH_SIZE, ignore_conflicts=True
    )
    _follow_measured_lateness(organisation, record_kind, batch_id)
    return len(entries)


def _follow_measured_lateness(
    organisation: Organisation, record_kind: str, batch_id: int | None
) -> int:
    """Bring owed entries up to date with their missed record's lateness; return how many."""
    model = _record_model(record_kind)
    measured = model.objects.filter(
        organisation=organisation, source_id=OuterRef("source_id"), verdict=Verdict.MISSED
    )
    if batch_id is not None:
        measured = measured.filter(batch_id=batch_id)
    stale = list(
        CompensationEntry.objects.filter(
            organisation=organisation, record_kind=record_kind, status=EntryStatus.OWED
        )
        .annotate(record_lateness=Subquery(measured.values("lateness_seconds")[:1]))
        .filter(record_lateness__isnull=False)
        .exclude(lateness_seconds=F("record_lateness"))
        .select_related("norm")
    )
    now = timezone.now()
    for entry in stale:
        entry.lateness_seconds = max(0, entry.record_lateness)
        entry.amount = _amount_for(entry.norm, entry.lateness_seconds)
        entry.updated_at = now
    CompensationEntry.objects.bulk_update(
        stale, ["lateness_seconds", "amount", "updated_at"], batch_size=BULK_BATCH_SIZE
    )
    return len(stale)


def _amount_for(norm: CharterNorm, lateness_seconds: int) -> Decimal | None:
    return rules.amount_owed(
        kind=norm.compensation_kind,
        amount=norm.compensation_amount,
        cap=norm.compensation_cap,
        lateness_seconds=lateness_seconds,
    )


@transaction.atomic
def mark_entry(
    entry: CompensationEntry, status: str, *, by: User | None = None
) -> CompensationEntry:
    """Record that a compensation was offered, paid (or given) or declined; audited.

    Setting the status an entry already has changes nothing and is not audited.
    """
    if status not in MARKABLE_STATUSES:
        raise ValidationError(_("Kies aangeboden, betaald of gegeven, of afgewezen."))
    entry = CompensationEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == status:
        return entry
    previous = entry.get_status_display()
    entry.status = status
    entry.save(update_fields=["status", "updated_at"])
    record_audit(
        action=f"compensation.entry.{status}",
        actor=by,
        organisation=entry.organisation,
        obj=entry,
        summary=f"{entry.source_id}: {previous} → {entry.get_status_display()}",
    )
    return entry


# --- claims -------------------------------------------------------------------------------


class ClaimOutcome(StrEnum):
    """What became of a citizen's claim form."""

    RECEIVED = "received"
    NOT_FOUND = "not_found"  # unknown, kept, within term or no compensation: one answer
    DUPLICATE = "duplicate"
    IBAN_REQUIRED = "iban_required"
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class ClaimResult:
    """The outcome of ``submit_claim`` and, when received, the new claim."""

    outcome: ClaimOutcome
    claim: Claim | None = None


def _entry_for(organisation: Organisation, claimable: Claimable) -> CompensationEntry:
    """Return the ledger entry of a claimable promise, creating it (owed) when missing."""
    if claimable.entry is not None:
        return claimable.entry
    entry, _created = CompensationEntry.objects.get_or_create(
        organisation=organisation,
        record_kind=claimable.record_kind,
        source_id=claimable.source_id,
        defaults={
            "norm": claimable.norm,
            "lateness_seconds": claimable.lateness_seconds,
            "amount": _amount_for(claimable.norm, claimable.lateness_seconds),
            "status": EntryStatus.OWED,
        },
    )
    return entry


def submit_claim(
    *,
    organisation: Organisation,
    reference: str,
    email: str,
    name: str = "",
    iban: str = "",
    message: str = "",
    client_ip: str,
    base_url: str,
    language: str = "nl",
    now: datetime | None = None,
) -> ClaimResult:
    """Take a citizen's claim for compensation, made without an account (public).

    Stores a claim only for a missed promise with compensation that has no claim yet; every
    other reference gets ``NOT_FOUND``, so the answer never reveals whether a record exists. A
    bank account is kept only when the compensation is money. The claimant gets an e-mail with
    the status link after commit. ``client_ip`` is used only as a keyed hash, to allow at most
    ``CLAIMS_PER_CLIENT`` claims per client per hour. ``base_url`` is the site's root address;
    ``language`` the one the citizen used (``nl`` or ``en``), for every e-mail about the claim.
    """
    now = now or timezone.now()
    label = client_label(client_ip)
    iban = normalise_iban(iban)
    if iban and not is_valid_iban(iban):
        raise ValidationError(_("Dit IBAN klopt niet."))
    with transaction.atomic():
        if selectors.recent_submissions(label, since=now - RATE_WINDOW) >= CLAIMS_PER_CLIENT:
            return ClaimResult(ClaimOutcome.RATE_LIMITED)
        claimable = selectors.find_claimable(organisation, reference, now=now)
        if claimable is None:
            return ClaimResult(ClaimOutcome.NOT_FOUND)
        monetary = rules.is_monetary(claimable.norm.compensation_kind)
        if monetary and not iban:
            return ClaimResult(ClaimOutcome.IBAN_REQUIRED)
        entry = _entry_for(organisation, claimable)
        # Lock the entry so that two simultaneous claims for it cannot both pass the check.
        entry = CompensationEntry.objects.select_for_update().get(pk=entry.pk)
        if Claim.objects.filter(entry=entry).exists():
            return ClaimResult(ClaimOutcome.DUPLICATE)
        claim = Claim.objects.create(
            organisation=organisation,
            entry=entry,
            reference=entry.source_id,
            email=email.strip(),
            name=name.strip(),
            iban=iban if monetary else "",
            message=message.strip(),
            public_token=secrets.token_urlsafe(24),
            language=notify.language_of(language),
            purge_after=timezone.localdate(now) + UNDECIDED_RETENTION,
        )
        record_audit(
            action=CLAIM_SUBMIT_ACTION,
            actor_label=label,
            organisation=organisation,
            obj=claim,
            summary=f"{entry.get_record_kind_display()} {entry.source_id}",
        )
        mail.send_after_commit(
            "claim_received", organisation=organisation, claim=claim, base_url=base_url
        )
    return ClaimResult(ClaimOutcome.RECEIVED, claim)


def _decide(claim: Claim, *, status: str, note: str, by: User | None, base_url: str) -> Claim:
    claim = Claim.objects.select_for_update().select_related("organisation").get(pk=claim.pk)
    if claim.status != ClaimStatus.RECEIVED:
        raise ValidationError(_("Over deze claim is al besloten."))
    now = timezone.now()
    claim.status = status
    claim.decision_note = note
    claim.decided_at = now
    claim.decided_by = by
    claim.purge_after = timezone.localdate(now) + timedelta(days=retention_days())
    claim.save(update_fields=["status", "decision_note", "decided_at", "decided_by", "purge_after"])
    record_audit(
        action=f"compensation.claim.{'grant' if status == ClaimStatus.GRANTED else 'reject'}",
        actor=by,
        organisation=claim.organisation,
        obj=claim,
        summary=f"{claim.reference}: {note}" if note else claim.reference,
    )
    mail.send_after_commit(
        "claim_decided", organisation=claim.organisation, claim=claim, base_url=base_url
    )
    return claim


@transaction.atomic
def grant_claim(*, claim: Claim, note: str = "", by: User | None, base_url: str = "") -> Claim:
    """Grant a received claim (staff, audited); an owed ledger entry becomes offered.

    The claimant hears the outcome by e-mail; the personal data is erased
    ``CLAIM_RETENTION_DAYS`` after this decision.
    """
    claim = _decide(claim, status=ClaimStatus.GRANTED, note=note.strip(), by=by, base_url=base_url)
    if claim.entry_id is not None:
        entry = CompensationEntry.objects.get(pk=claim.entry_id)
        if entry.status == EntryStatus.OWED:
            mark_entry(entry, EntryStatus.OFFERED, by=by)
    return claim


@transaction.atomic
def reject_claim(*, claim: Claim, note: str, by: User | None, base_url: str = "") -> Claim:
    """Reject a received claim with a reason the claimant reads (staff, audited).

    The ledger entry keeps its status: the promise was still missed; staff decline the
    compensation itself in the ledger when that is the decision.
    """
    note = note.strip()
    if not note:
        raise ValidationError(_("Schrijf op waarom de claim wordt afgewezen."))
    return _decide(claim, status=ClaimStatus.REJECTED, note=note, by=by, base_url=base_url)


# --- retention ----------------------------------------------------------------------------


@transaction.atomic
def purge_expired_claims(today: date | None = None) -> int:
    """Erase the personal data of claims whose retention has ended; return how many.

    A claim's ``purge_after`` is ``CLAIM_RETENTION_DAYS`` after the decision, or two years after
    submission while undecided; from the day after it, name, e-mail address, IBAN and message
    are blanked and ``purged_at`` is set. The reference, status and decision stay for the
    ledger. Also drops the client hash from the audit lines of submissions once the rate-limit
    window has passed: it serves nothing after that.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    expired = Claim.objects.filter(purge_after__lt=today, purged_at__isnull=True)
    per_organisation = list(
        expired.values("organisation_id").annotate(n=Count("id")).order_by("organisation_id")
    )
    purged = expired.update(email="", name="", iban="", message="", purged_at=now)
    for row in per_organisation:
        record_audit(
            action="compensation.claims.purge",
            actor_label="systeem",
            organisation=Organisation.objects.get(pk=row["organisation_id"]),
            summary=_("Persoonsgegevens van %(n)d claim(s) gewist.") % {"n": row["n"]},
        )
    AuditEvent.objects.filter(
        action=CLAIM_SUBMIT_ACTION,
        actor_label__startswith=f"{ANONYMOUS_CLAIMANT}:",
        at__lt=now - RATE_WINDOW,
    ).update(actor_label=ANONYMOUS_CLAIMANT)
    return purged
