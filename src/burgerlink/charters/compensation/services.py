"""Writes of the compensation area: the ledger of missed promises, claims and their retention.

Every write runs in one transaction; staff actions are audited; e-mails go out after commit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from burgerlink.charters.compensation import codes, mail, rules, selectors
from burgerlink.charters.compensation.exports import REGISTER as REGISTER_EXPORT
from burgerlink.charters.compensation.iban import is_valid_iban, normalise_iban
from burgerlink.charters.compensation.lateness import (
    Lateness,
    measure_lateness,
    needs_calendar,
    unit_for,
)
from burgerlink.charters.compensation.selectors import CLAIM_SUBMIT_ACTION, Claimable
from burgerlink.charters.models import (
    BulkAction,
    Case,
    CharterNorm,
    Claim,
    ClaimAttempt,
    ClaimCode,
    ClaimStatus,
    CodeOrigin,
    CompensationEntry,
    CompensationKind,
    Contact,
    EntryStatus,
    Verdict,
)
from burgerlink.core import notify
from burgerlink.core import selectors as core_selectors
from burgerlink.core.calendar import WorkingCalendar
from burgerlink.core.exports import services as export_services
from burgerlink.core.models import AuditEvent, Export, Organisation, User
from burgerlink.core.services import client_fingerprint, record_audit

RECORD_MODELS: dict[str, type[Contact] | type[Case]] = {"contact": Contact, "case": Case}
COMPENSATED_KINDS = [kind for kind in CompensationKind.values if kind != CompensationKind.NONE]
BULK_BATCH_SIZE = 2000

# Abuse defence of the public form (no CAPTCHA): every use of the form counts, per client and
# per reference, within the window. Five tries per reference an hour leave a citizen room for
# typing errors and an attacker no chance at a claim code (31^7 possibilities).
ATTEMPTS_PER_CLIENT = 20
ATTEMPTS_PER_REFERENCE = 5
RATE_WINDOW = timedelta(hours=1)
# Claim codes and references issued in one call (one printing run, one API request).
MAX_CODES_PER_CALL = 1000
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


# --- lateness in the unit of the norm -----------------------------------------------------


class NormCalendars:
    """The calendars a norm's working days are counted on, built once per run when needed."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self._built: dict[str, WorkingCalendar] = {}

    def for_norm(self, *, metric: str, calendar: str) -> WorkingCalendar:
        """Return the legal calendar for legal terms and legal norms, else the organisation's."""
        kind = "legal" if metric == "legal_term" or calendar == "legal" else "organisation"
        if kind not in self._built:
            self._built[kind] = (
                core_selectors.legal_calendar()
                if kind == "legal"
                else core_selectors.organisation_calendar(self.organisation)
            )
        return self._built[kind]


def lateness_of(
    *,
    metric: str,
    term_unit: str,
    calendar: str,
    seconds: int | None,
    deadline: datetime | None,
    calendars: NormCalendars,
) -> Lateness:
    """Return a record's lateness in the unit of its norm (see ``compensation.lateness``)."""
    unit = unit_for(metric, term_unit)
    working = (
        calendars.for_norm(metric=metric, calendar=calendar)
        if needs_calendar(unit) and seconds and seconds > 0
        else None
    )
    return measure_lateness(seconds, unit, deadline=deadline, calendar=working)


def _lateness_of_norm(
    norm: CharterNorm, seconds: int, deadline: datetime | None, calendars: NormCalendars
) -> Lateness:
    return lateness_of(
        metric=norm.metric,
        term_unit=norm.term_unit,
        calendar=norm.calendar,
        seconds=seconds,
        deadline=deadline,
        calendars=calendars,
    )


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
    compensating = {
        norm.pk: norm
        for norm in CharterNorm.objects.filter(
            organisation=organisation, compensation_kind__in=COMPENSATED_KINDS
        )
    }
    records = model.objects.filter(
        organisation=organisation, verdict=Verdict.MISSED, norm_id__in=list(compensating)
    )
    if batch_id is not None:
        records = records.filter(batch_id=batch_id)
    has_entry = CompensationEntry.objects.filter(
        organisation=organisation, record_kind=record_kind, source_id=OuterRef("source_id")
    )
    rows = records.filter(~Exists(has_entry)).values_list(
        "source_id", "norm_id", "lateness_seconds", "received_at", "deadline"
    )
    calendars = NormCalendars(organisation)
    entries = []
    for source_id, norm_id, seconds, received_at, deadline in rows:
        norm = compensating[norm_id]
        lateness = _lateness_of_norm(norm, seconds or 0, deadline, calendars)
        entries.append(
            CompensationEntry(
                organisation=organisation,
                norm_id=norm_id,
                record_kind=record_kind,
                source_id=source_id,
                received_at=received_at,
                deadline=deadline,
                lateness_seconds=max(0, seconds or 0),
                lateness=lateness.amount,
                lateness_unit=lateness.unit,
                amount=_amount_for(norm, seconds or 0),
                status=EntryStatus.OWED,
            )
        )
    CompensationEntry.objects.bulk_create(
        entries, batch_size=BULK_BATCH_SIZE, ignore_conflicts=True
    )
    _follow_measured_lateness(organisation, record_kind, batch_id, calendars)
    return len(entries)


def _follow_measured_lateness(
    organisation: Organisation,
    record_kind: str,
    batch_id: int | None,
    calendars: NormCalendars,
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
        .annotate(
            record_lateness=Subquery(measured.values("lateness_seconds")[:1]),
            record_deadline=Subquery(measured.values("deadline")[:1]),
        )
        .filter(record_lateness__isnull=False)
        .exclude(lateness_seconds=F("record_lateness"))
        .select_related("norm")
    )
    now = timezone.now()
    for entry in stale:
        entry.lateness_seconds = max(0, entry.record_lateness)
        entry.deadline = entry.record_deadline or entry.deadline
        lateness = _lateness_of_norm(entry.norm, entry.lateness_seconds, entry.deadline, calendars)
        entry.lateness, entry.lateness_unit = lateness.amount, lateness.unit
        entry.amount = _amount_for(entry.norm, entry.lateness_seconds)
        entry.updated_at = now
    CompensationEntry.objects.bulk_update(
        stale,
        ["lateness_seconds", "deadline", "lateness", "lateness_unit", "amount", "updated_at"],
        batch_size=BULK_BATCH_SIZE,
    )
    return len(stale)


def _amount_for(norm: CharterNorm, lateness_seconds: int) -> Decimal | None:
    return rules.amount_owed(
        kind=norm.compensation_kind,
        amount=norm.compensation_amount,
        cap=norm.compensation_cap,
        lateness_seconds=lateness_seconds,
    )


# What each status may be reached from. Paid is final: money left the account or the gift was
# given, so no action takes it back. A declined compensation may still be offered after all.
TRANSITIONS: dict[str, frozenset[str]] = {
    EntryStatus.OFFERED: frozenset({EntryStatus.OWED, EntryStatus.DECLINED}),
    EntryStatus.PAID: frozenset({EntryStatus.OWED, EntryStatus.OFFERED}),
    EntryStatus.DECLINED: frozenset({EntryStatus.OWED, EntryStatus.OFFERED}),
}


def _audit_status_change(
    entry: CompensationEntry, previous: str, *, by: User | None, reason: str = ""
) -> None:
    summary = f"{entry.source_id}: {previous} → {entry.get_status_display()}"
    record_audit(
        action=f"compensation.entry.{entry.status}",
        actor=by,
        organisation=entry.organisation,
        obj=entry,
        summary=f"{summary} ({reason})" if reason else summary,
    )


@transaction.atomic
def mark_entry(
    entry: CompensationEntry, status: str, *, by: User | None = None, reason: str = ""
) -> CompensationEntry:
    """Record that one compensation was offered, paid (or given) or declined; audited.

    Setting the status an entry already has changes nothing and is not audited; a change the
    status cannot make (``TRANSITIONS``) is refused, as is a decline without a reason.
    """
    if status not in MARKABLE_STATUSES:
        raise ValidationError(_("Kies aangeboden, betaald of gegeven, of afgewezen."))
    reason = reason.strip()
    if status == EntryStatus.DECLINED and not reason:
        raise ValidationError(_("Schrijf op waarom de compensatie wordt afgewezen."))
    entry = CompensationEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == status:
        return entry
    if entry.status not in TRANSITIONS[status]:
        raise ValidationError(
            _("Een compensatie die %(current)s is, kan niet meer op %(new)s.")
            % {"current": entry.get_status_display(), "new": EntryStatus(status).label}
        )
    previous = entry.get_status_display()
    entry.status = status
    entry.decline_reason = reason if status == EntryStatus.DECLINED else ""
    entry.save(update_fields=["status", "decline_reason", "updated_at"])
    _audit_status_change(entry, previous, by=by, reason=entry.decline_reason)
    return entry


@dataclass(frozen=True)
class BulkPlan:
    """What a bulk action would do: which entries change, and how many stay as they are."""

    status: str
    entry_ids: tuple[int, ...]
    unchanged: int

    @property
    def count(self) -> int:
        """How many entries will change."""
        return len(self.entry_ids)

    @property
    def digest(self) -> str:
        """A fingerprint of exactly which entries change (the confirmation carries it)."""
        text = f"{self.status}:" + ",".join(map(str, self.entry_ids))
        return hashlib.sha256(text.encode()).hexdigest()


def plan_bulk_change(
    entries: QuerySet[CompensationEntry], status: str, *, lock: bool = False
) -> BulkPlan:
    """Return what setting ``status`` on ``entries`` (already scoped and filtered) would change.

    One query over the entries' ids and statuses; with ``lock`` their rows stay locked until the
    transaction ends.
    """
    if status not in MARKABLE_STATUSES:
        raise ValidationError(_("Kies aangeboden, betaald of gegeven, of afgewezen."))
    rows = entries.order_by("pk").values_list("pk", "status")
    if lock:
        rows = rows.select_for_update(of=("self",))
    allowed = TRANSITIONS[status]
    ids: list[int] = []
    unchanged = 0
    for pk, current in rows:
        if current in allowed:
            ids.append(pk)
        else:
            unchanged += 1
    return BulkPlan(status=status, entry_ids=tuple(ids), unchanged=unchanged)


class BulkOutcome(StrEnum):
    """What became of a confirmed bulk action."""

    DONE = "done"
    ALREADY_DONE = "already_done"  # the same confirmation was sent before
    CHANGED = "changed"  # the entries changed since the confirmation: confirm again


@dataclass(frozen=True)
class BulkResult:
    """The outcome of ``apply_bulk_change``; ``plan`` is the new plan when it ``CHANGED``."""

    outcome: BulkOutcome
    changed: int
    plan: BulkPlan | None = None


@transaction.atomic
def apply_bulk_change(
    *,
    organisation: Organisation,
    entries: QuerySet[CompensationEntry],
    status: str,
    reason: str = "",
    key: uuid.UUID,
    digest: str,
    description: str,
    by: User | None,
) -> BulkResult:
    """Set ``status`` on the entries a confirmed bulk action names; audited, idempotent.

    ``entries`` is the selection or the filter, scoped to ``organisation``; ``digest`` the
    fingerprint of the plan the member confirmed. When the entries that would change are no
    longer the ones confirmed (an import, a colleague), nothing changes and the new plan is
    returned to confirm again. ``key`` comes from the confirmation form: the same key a second
    time changes nothing. A decline needs ``reason``, which every declined entry keeps.
    """
    reason = reason.strip()
    if status == EntryStatus.DECLINED and not reason:
        raise ValidationError(_("Schrijf op waarom de compensaties worden afgewezen."))
    done = BulkAction.objects.filter(key=key).first()
    if done is not None:
        return BulkResult(BulkOutcome.ALREADY_DONE, done.changed)
    # Lock the entries in question, so the plan cannot change under us.
    plan = plan_bulk_change(entries.filter(organisation=organisation), status, lock=True)
    if not hmac.compare_digest(plan.digest, digest):
        return BulkResult(BulkOutcome.CHANGED, 0, plan)
    now = timezone.now()
    changed = 0
    for start in range(0, plan.count, BULK_BATCH_SIZE):
        chunk = plan.entry_ids[start : start + BULK_BATCH_SIZE]
        changed += CompensationEntry.objects.filter(
            organisation=organisation, pk__in=chunk, status__in=TRANSITIONS[status]
        ).update(
            status=status,
            decline_reason=reason if status == EntryStatus.DECLINED else "",
            updated_at=now,
        )
    action = BulkAction.objects.create(
        organisation=organisation,
        key=key,
        status=status,
        reason=reason if status == EntryStatus.DECLINED else "",
        changed=changed,
        entry_ids=list(plan.entry_ids),
        description=description[:500],
        by=by,
    )
    summary = _("%(n)s compensatie(s) op '%(status)s' gezet; %(what)s") % {
        "n": changed,
        "status": EntryStatus(status).label,
        "what": description,
    }
    record_audit(
        action=f"compensation.entries.{status}",
        actor=by,
        organisation=organisation,
        obj=action,
        summary=f"{summary} ({reason})" if reason and status == EntryStatus.DECLINED else summary,
    )
    return BulkResult(BulkOutcome.DONE, changed)


# --- claim codes -------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    """A reference and its claim code, to print on the receipt, letter or e-mail."""

    reference: str
    claim_code: str


def _code_key() -> bytes:
    """The key of claim-code digests: derived from ``SECRET_KEY`` for this purpose only."""
    return hashlib.sha256(
        b"burgerlink.compensation.claim-code\x1f" + settings.SECRET_KEY.encode()
    ).digest()


def _digest(organisation_id: int, reference: str, code: str) -> str:
    return codes.code_digest(
        key=_code_key(), organisation_id=organisation_id, reference=reference, code=code
    )


def _store_codes(
    organisation: Organisation, references: list[str], origin: str
) -> list[IssuedCode]:
    issued = [IssuedCode(reference, codes.new_claim_code()) for reference in references]
    existing = {
        row.reference: row
        for row in ClaimCode.objects.filter(organisation=organisation, reference__in=references)
    }
    now = timezone.now()
    new_rows, replaced = [], []
    for item in issued:
        digest = _digest(organisation.pk, item.reference, item.claim_code)
        row = existing.get(item.reference)
        if row is None:
            new_rows.append(
                ClaimCode(
                    organisation=organisation,
                    reference=item.reference,
                    code_hash=digest,
                    origin=origin,
                )
            )
        else:
            row.code_hash, row.issued_at = digest, now
            replaced.append(row)
    ClaimCode.objects.bulk_create(new_rows, batch_size=BULK_BATCH_SIZE)
    ClaimCode.objects.bulk_update(replaced, ["code_hash", "issued_at"], batch_size=BULK_BATCH_SIZE)
    return issued


@transaction.atomic
def issue_claim_codes(
    *,
    organisation: Organisation,
    references: list[str],
    by: User | None = None,
    actor_label: str = "",
) -> list[IssuedCode]:
    """Issue a claim code for each of the organisation's own references; audited.

    The organisation prints each code with its reference. Only a keyed hash is kept, so the code
    is shown this once; issuing again for a reference replaces its code (the old one stops
    working). References are taken as the source system writes them (at most 64 printable
    characters, ``MAX_CODES_PER_CALL`` per call).
    """
    cleaned = []
    for reference in references:
        value = selectors.clean_reference(reference)
        if value is None:
            raise ValidationError(
                _("Een kenmerk heeft 1 tot %(n)d tekens, zonder regeleinden: %(reference)s")
                % {"n": selectors.MAX_REFERENCE_LENGTH, "reference": reference[:80]}
            )
        cleaned.append(value)
    cleaned = list(dict.fromkeys(cleaned))
    if not cleaned:
        raise ValidationError(_("Geef ten minste één kenmerk."))
    if len(cleaned) > MAX_CODES_PER_CALL:
        raise ValidationError(
            _("Geef ten hoogste %(n)d kenmerken tegelijk.") % {"n": MAX_CODES_PER_CALL}
        )
    issued = _store_codes(organisation, cleaned, CodeOrigin.ORGANISATION)
    record_audit(
        action="compensation.claimcodes.issue",
        actor=by,
        actor_label=actor_label,
        organisation=organisation,
        summary=_("Claimcodes uitgegeven voor %(n)d kenmerk(en): %(first)s")
        % {"n": len(issued), "first": ", ".join(item.reference for item in issued[:5])},
    )
    return issued


@transaction.atomic
def issue_references(
    *,
    organisation: Organisation,
    count: int,
    by: User | None = None,
    actor_label: str = "",
) -> list[IssuedCode]:
    """Issue ``count`` new references, each with its claim code; audited.

    For organisations whose own systems number nothing (a phone call, a counter visit): the
    platform draws random references with a check character (``compensation.codes``), never
    one that names a record or a code already, so no reference tells anything about another.
    """
    if not 1 <= count <= MAX_CODES_PER_CALL:
        raise ValidationError(
            _("Vraag 1 tot %(n)d kenmerken tegelijk aan.") % {"n": MAX_CODES_PER_CALL}
        )
    references: list[str] = []
    while len(references) < count:
        # In the order drawn: sorting them would line up references issued together.
        wanted = [codes.new_reference() for _n in range(count - len(references))]
        taken = {
            *references,
            *ClaimCode.objects.filter(organisation=organisation, reference__in=wanted).values_list(
                "reference", flat=True
            ),
            *Contact.objects.filter(organisation=organisation, source_id__in=wanted).values_list(
                "source_id", flat=True
            ),
            *Case.objects.filter(organisation=organisation, source_id__in=wanted).values_list(
                "source_id", flat=True
            ),
        }
        for reference in wanted:
            if reference not in taken:
                references.append(reference)
                taken.add(reference)
    issued = _store_codes(organisation, references, CodeOrigin.PLATFORM)
    record_audit(
        action="compensation.references.issue",
        actor=by,
        actor_label=actor_label,
        organisation=organisation,
        summary=_("%(n)d nieuwe kenmerk(en) met claimcode uitgegeven: %(first)s")
        % {"n": len(issued), "first": ", ".join(item.reference for item in issued[:5])},
    )
    return issued


# --- claims -------------------------------------------------------------------------------


class ClaimOutcome(StrEnum):
    """What became of a citizen's claim form."""

    RECEIVED = "received"
    # Unknown reference, wrong claim code, kept promise, within term, no compensation, or
    # already claimed: one answer, so the form tells nobody anything about a reference.
    NOT_CLAIMABLE = "not_claimable"
    IBAN_REQUIRED = "iban_required"  # only after the reference and its claim code matched
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class ClaimResult:
    """The outcome of ``submit_claim`` and, when received, the new claim."""

    outcome: ClaimOutcome
    claim: Claim | None = None


def reference_key(organisation: Organisation, reference: str) -> str:
    """A keyed hash of a reference for counting attempts (spellings of one reference share it)."""
    return client_fingerprint(f"claim-reference\x1f{organisation.pk}\x1f{codes.compact(reference)}")


def note_claim_attempt(
    *, organisation: Organisation, client_ip: str, reference: str, now: datetime | None = None
) -> bool:
    """Count one use of the public claim form; return whether it may go ahead.

    Every attempt counts, whatever its outcome (also a form with errors or a bot's): at most
    ``ATTEMPTS_PER_CLIENT`` per client and ``ATTEMPTS_PER_REFERENCE`` per reference in
    ``RATE_WINDOW``. Both are keyed hashes, as for login throttling; no address is stored.
    Refused attempts count too, so hammering keeps a client out.
    """
    now = now or timezone.now()
    client = client_fingerprint(client_ip)
    reference_hash = reference_key(organisation, reference) if reference.strip() else ""
    since = now - RATE_WINDOW
    recent = ClaimAttempt.objects.filter(at__gte=since)
    by_client = recent.filter(client=client).count()
    by_reference = (
        recent.filter(organisation=organisation, reference=reference_hash).count()
        if reference_hash
        else 0
    )
    ClaimAttempt.objects.create(organisation=organisation, client=client, reference=reference_hash)
    return by_client < ATTEMPTS_PER_CLIENT and by_reference < ATTEMPTS_PER_REFERENCE


def _entry_for(organisation: Organisation, claimable: Claimable) -> CompensationEntry:
    """Return the ledger entry of a claimable promise, creating it (owed) when missing."""
    if claimable.entry is not None:
        return claimable.entry
    lateness = _lateness_of_norm(
        claimable.norm,
        claimable.lateness_seconds,
        claimable.deadline,
        NormCalendars(organisation),
    )
    entry, _created = CompensationEntry.objects.get_or_create(
        organisation=organisation,
        record_kind=claimable.record_kind,
        source_id=claimable.source_id,
        defaults={
            "norm": claimable.norm,
            "received_at": claimable.received_at,
            "deadline": claimable.deadline,
            "lateness_seconds": claimable.lateness_seconds,
            "lateness": lateness.amount,
            "lateness_unit": lateness.unit,
            "amount": _amount_for(claimable.norm, claimable.lateness_seconds),
            "status": EntryStatus.OWED,
        },
    )
    return entry


def submit_claim(
    *,
    organisation: Organisation,
    reference: str,
    claim_code: str,
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

    Stores a claim only when ``claim_code`` is the code issued for ``reference`` and the
    reference names a missed promise with compensation that has no claim yet. Every other
    case gets ``NOT_CLAIMABLE`` after the same queries (``selectors.check_claim``), so neither
    the answer nor its timing tells whether a reference exists, is claimed or is claimable.
    Every call counts towards the rate limit first (``note_claim_attempt``). A bank account is
    kept only when the compensation is money. The claimant gets an e-mail with the status
    link after commit. ``base_url`` is the site's root address; ``language`` the one the
    citizen used (``nl`` or ``en``), for every e-mail about the claim.
    """
    now = now or timezone.now()
    iban = normalise_iban(iban)
    if iban and not is_valid_iban(iban):
        raise ValidationError(_("Dit IBAN klopt niet."))
    allowed = note_claim_attempt(
        organisation=organisation, client_ip=client_ip, reference=reference, now=now
    )
    if not allowed:
        return ClaimResult(ClaimOutcome.RATE_LIMITED)
    with transaction.atomic():
        check = selectors.check_claim(
            organisation,
            reference,
            now=now,
            digest=lambda ref: _digest(organisation.pk, ref, claim_code),
        )
        claimable = check.claimable
        if claimable is None:
            return ClaimResult(ClaimOutcome.NOT_CLAIMABLE)
        monetary = rules.is_monetary(claimable.norm.compensation_kind)
        if monetary and not iban:
            return ClaimResult(ClaimOutcome.IBAN_REQUIRED)
        entry = _entry_for(organisation, claimable)
        # Lock the entry so that two simultaneous claims for it cannot both pass the check.
        entry = CompensationEntry.objects.select_for_update().get(pk=entry.pk)
        if Claim.objects.filter(entry=entry).exists():
            return ClaimResult(ClaimOutcome.NOT_CLAIMABLE)
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
            actor_label=client_label(client_ip),
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
    ledger. Also drops the client hash from the audit lines of submissions, and the counted
    attempts of the claim form, once the rate-limit window has passed: they serve nothing after
    that.
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
    purge_claim_attempts(now)
    return purged


def purge_claim_attempts(now: datetime | None = None) -> int:
    """Forget the claim form's counted attempts once the rate-limit window has passed.

    Deletes the attempts (keyed hashes of the client's address and of the reference tried) and
    drops the client hash from the audit lines of submissions: after the window they serve
    nothing. Returns the number of attempts deleted. Runs every hour (``charters.privacy``).
    """
    since = (now or timezone.now()) - RATE_WINDOW
    AuditEvent.objects.filter(
        action=CLAIM_SUBMIT_ACTION,
        actor_label__startswith=f"{ANONYMOUS_CLAIMANT}:",
        at__lt=since,
    ).update(actor_label=ANONYMOUS_CLAIMANT)
    return int(ClaimAttempt.objects.filter(at__lt=since).delete()[0])


def request_register_export(
    *,
    organisation: Organisation,
    filters: selectors.RegisterFilter,
    query: str,
    file_format: str,
    by: User | None,
) -> Export:
    """Queue an export of what the register shows under ``filters`` (written in the background).

    ``query`` is the filter as the page's address writes it, kept for the audit line. The
    export kit refuses an empty selection or a format the register does not offer.
    """
    return export_services.request_export(
        organisation=organisation,
        kind=REGISTER_EXPORT,
        file_format=file_format,
        by=by,
        params={**filters.as_params(), "query": query},
        language=get_language() or "nl",
    )
