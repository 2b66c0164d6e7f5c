"""Every write of the petitions area: starting, moderating, signing, confirming, the desk, purges.

Staff actions are audited; e-mails go after commit (``core.notify``), the answer to all
signatories in a background task (``core.tasks``). Signing and confirming touch only the
signature's own row: the public counts are recomputed in batches (``counting.py``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from burgerlink.core.models import Organisation, User
from burgerlink.core.moderation import ModerationAction, ModerationState
from burgerlink.core.moderation import services as moderation_services
from burgerlink.core.pagecache import bump_data_version
from burgerlink.core.services import client_fingerprint, record_audit
from burgerlink.core.tasks import enqueue_after_commit
from burgerlink.participation.models import (
    Petition,
    PetitionEvent,
    PetitionRules,
    Signature,
    Stage,
)
from burgerlink.participation.petitions import addresses, counting, mail

UNCONFIRMED_DAYS = 30
PETITION_KIND = "participation.petition"
ANSWER_TASK = "burgerlink.participation.petitions.tasks.mail_answer"
DESK_ORDER = [Stage.COLLECTING, Stage.RECEIVED, Stage.ON_AGENDA, Stage.DEBATED, Stage.ANSWERED]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh secret for a link, and the SHA-256 that is stored instead of it."""
    token = secrets.token_urlsafe(24)
    return token, _hash(token)


def _event(petition: Petition, action: str, *, note: str = "", by: User | None = None) -> None:
    PetitionEvent.objects.create(petition=petition, action=action, note=note, by=by)


# --- rules ---------------------------------------------------------------------------------


def rules_of(organisation: Organisation) -> PetitionRules:
    """The organisation's petition rules (the defaults, unsaved, when it has set none)."""
    found = PetitionRules.objects.filter(organisation=organisation).first()
    return found or PetitionRules(organisation=organisation)


@transaction.atomic
def save_rules(
    *,
    organisation: Organisation,
    by: User,
    addressed_to: str,
    initiative_threshold: int,
    ordinance: str,
    response_threshold: int,
    default_duration_days: int,
    retention_days_after_answer: int,
) -> PetitionRules:
    """Store the organisation's petition rules (new petitions take their thresholds from them)."""
    rules, _created = PetitionRules.objects.update_or_create(
        organisation=organisation,
        defaults={
            "addressed_to": addressed_to,
            "initiative_threshold": initiative_threshold,
            "ordinance": ordinance,
            "response_threshold": response_threshold,
            "default_duration_days": default_duration_days,
            "retention_days_after_answer": retention_days_after_answer,
        },
    )
    record_audit(
        action="petitions.rules",
        actor=by,
        organisation=organisation,
        obj=rules,
        summary=f"petitieregels: burgerinitiatief {initiative_threshold}, reactie "
        f"{response_threshold}, looptijd {default_duration_days} dagen",
    )
    bump_data_version(organisation_id=organisation.pk)
    return rules


# --- starting and moderating ---------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    """A petition just submitted, and the secret of its status page (shown once, mailed)."""

    petition: Petition
    token: str


@transaction.atomic
def start_petition(
    *,
    organisation: Organisation,
    title: str,
    text: str,
    petitioner_name: str,
    petitioner_email: str,
    language: str,
    base_url: str,
) -> Started:
    """Submit a petition for moderation; the petitioner gets a mail with the status link."""
    rules = rules_of(organisation)
    token, token_hash = new_token()
    petition = Petition.objects.create(
        organisation=organisation,
        title=title.strip(),
        text=text.strip(),
        petitioner_name=petitioner_name.strip(),
        petitioner_email=petitioner_email.strip(),
        language=language if language in ("nl", "en") else "nl",
        author_token_hash=token_hash,
        closes_on=timezone.localdate() + timedelta(days=rules.default_duration_days),
        initiative_threshold=rules.initiative_threshold,
        response_threshold=rules.response_threshold,
    )
    _event(petition, "submitted")
    mail.to_petitioner("petition_received", petition=petition, token=token, base_url=base_url)
    return Started(petition, token)


def petition_for_author(token: str) -> Petition | None:
    """The petition whose status page this secret opens, if any."""
    return (
        Petition.objects.select_related("organisation")
        .filter(author_token_hash=_hash(token))
        .first()
    )


# What the petition desk offers a moderator (core.moderation's actions; it checks which fit).
Decision = ModerationAction


def moderate_petition(
    *, petition: Petition, decision: ModerationAction, reason: str, by: User
) -> Petition:
    """Publish, reject, hide or restore a petition through ``core.moderation``.

    The same decision as in the organisation's moderation queue: the kit checks the reason (a
    rejection or hiding needs one, shown to the author), changes the state and audits it, and
    ``on_moderated`` below does what a petition needs after that. A decision that does not fit
    the petition's state (rejecting a published petition) raises ``ValidationError``.
    """
    outcome = moderation_services.moderate(
        organisation=petition.organisation,
        selection=[moderation_services.item_key(PETITION_KIND, petition.pk)],
        action=decision,
        reason=reason,
        by=by,
    )
    if not outcome.done:
        raise ValidationError(_("Dit besluit past niet bij de huidige status van de petitie."))
    return Petition.objects.get(pk=petition.pk)


def on_moderated(petition: Petition, action: ModerationAction) -> None:
    """After a moderator's decision (from the desk or the queue): dates, history, the author's mail.

    Runs inside the moderation's transaction; the mail goes after commit with links to
    ``SITE_URL`` (there is no request in the queue's bulk decisions).
    """
    if action == ModerationAction.DISMISS_FLAGS:
        return
    if petition.moderation_state == ModerationState.PUBLISHED and petition.published_at is None:
        now = timezone.now()
        # The closing date counts from publication: moderation time is not taken from signers.
        duration = rules_of(petition.organisation).default_duration_days
        Petition.objects.filter(pk=petition.pk).update(
            published_at=now, closes_on=timezone.localdate() + timedelta(days=duration)
        )
        petition.refresh_from_db(fields=["published_at", "closes_on"])
    _event(petition, str(action), note=petition.moderation_reason, by=petition.moderated_by)
    if action in (ModerationAction.PUBLISH, ModerationAction.REJECT, ModerationAction.HIDE):
        mail.to_petitioner(
            "petition_moderated", petition=petition, token="", base_url=settings.SITE_URL
        )


# --- signing and confirming ----------------------------------------------------------------


class SignOutcome(StrEnum):
    """What became of a signing; ``MAILED`` is all a signer ever learns about an address."""

    MAILED = "mailed"
    CLOSED = "closed"
    DISPOSABLE = "disposable"
    RATE_LIMITED = "rate_limited"
    INVALID_EMAIL = "invalid_email"


def signing_open(petition: Petition, today: datetime | None = None) -> bool:
    """Whether the petition takes signatures now (published, collecting, not past its date)."""
    day = (today or timezone.now()).astimezone(timezone.get_current_timezone()).date()
    return (
        petition.moderation_state == ModerationState.PUBLISHED
        and petition.stage == Stage.COLLECTING
        and day <= petition.closes_on
    )


def _rate_limited(client: str, domain: str, now: datetime) -> bool:
    """Whether this client or this (small) mail domain signed too often in the window."""
    since = now - timedelta(minutes=settings.PETITION_RATE_WINDOW_MINUTES)
    recent = Signature.objects.filter(created_at__gte=since)
    client_limit = settings.PETITION_SIGNATURES_PER_CLIENT
    if client and recent.filter(client=client)[:client_limit].count() >= client_limit:
        return True
    if addresses.is_large_provider(domain):
        return False
    domain_limit = settings.PETITION_SIGNATURES_PER_DOMAIN
    return recent.filter(email_domain=domain)[:domain_limit].count() >= domain_limit


def sign_petition(
    *,
    petition: Petition,
    name: str,
    show_name: bool,
    email: str,
    place: str,
    language: str,
    client_ip: str,
    base_url: str,
    now: datetime | None = None,
) -> SignOutcome:
    """Sign (unconfirmed) and mail the confirmation link; the same answer for any address.

    A second signing with an address that has an unconfirmed signature sends a fresh link (the
    old one stops working); with a confirmed one, a mail saying it counted already. Two
    signings of one address at once give one row: the unique key decides.
    """
    now = now or timezone.now()
    if not signing_open(petition, now):
        return SignOutcome.CLOSED
    try:
        email_key = addresses.normalise(email)
    except ValueError:
        return SignOutcome.INVALID_EMAIL
    domain = addresses.domain_of(email_key)
    if addresses.is_disposable(domain):
        return SignOutcome.DISPOSABLE
    client = client_fingerprint(client_ip) if client_ip else ""
    if _rate_limited(client, domain, now):
        return SignOutcome.RATE_LIMITED
    token, token_hash = new_token()
    fields: dict[str, Any] = {
        "name": name.strip(),
        "show_name": show_name,
        "email": email.strip(),
        "place": " ".join(place.split()),
        "language": language if language in ("nl", "en") else "nl",
        "token_hash": token_hash,
        "client": client,
    }
    try:
        with transaction.atomic():
            Signature.objects.create(
                petition=petition,
                organisation_id=petition.organisation_id,
                email_key=email_key,
                email_domain=domain,
                **fields,
            )
            mail.confirmation(
                petition=petition,
                to=fields["email"],
                language=fields["language"],
                token=token,
                base_url=base_url,
            )
    except IntegrityError:
        _sign_again(petition, email_key, fields, token, base_url)
    return SignOutcome.MAILED


@transaction.atomic
def _sign_again(
    petition: Petition, email_key: str, fields: dict[str, Any], token: str, base_url: str
) -> None:
    existing = (
        Signature.objects.select_for_update().filter(petition=petition, email_key=email_key).first()
    )
    if existing is None:  # struck and purged meanwhile: nothing to do
        return
    language = str(fields["language"])
    if existing.confirmed_at is not None:
        mail.already_signed(petition=petition, to=str(fields["email"]), language=language)
        return
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save()
    mail.confirmation(
        petition=petition,
        to=str(fields["email"]),
        language=language,
        token=token,
        base_url=base_url,
    )


def signature_for_token(token: str) -> Signature | None:
    """The signature this confirmation secret belongs to (unconfirmed or not), if any."""
    if not token:
        return None
    return (
        Signature.objects.select_related("petition", "petition__organisation")
        .filter(token_hash=_hash(token))
        .first()
    )


class ConfirmOutcome(StrEnum):
    """What a press on the confirm button did."""

    CONFIRMED = "confirmed"
    ALREADY = "already"
    CLOSED = "closed"
    UNKNOWN = "unknown"


_CONFIRM_SQL = """
    UPDATE participation_signature SET confirmed_at = %s
    FROM participation_petition AS p
    WHERE participation_signature.token_hash = %s
      AND participation_signature.confirmed_at IS NULL
      AND participation_signature.struck_at IS NULL
      AND participation_signature.created_at >= %s
      AND p.id = participation_signature.petition_id
      AND p.moderation_state = %s AND p.stage = %s
    RETURNING petition_id
"""


def confirm_signature(*, token: str, now: datetime | None = None) -> ConfirmOutcome:
    """Confirm the signature behind ``token`` (a POST only); counts once however often pressed.

    One conditional UPDATE of the signature's own row, with every condition in it (unconfirmed,
    not struck, younger than 30 days, the petition published and collecting): of 200 presses at
    once exactly one finds it unconfirmed, and the common case costs one statement. Only when
    nothing was updated is the signature read, to say why.
    """
    now = now or timezone.now()
    if not token:
        return ConfirmOutcome.UNKNOWN
    limit = now - timedelta(days=UNCONFIRMED_DAYS)
    # Raw SQL for UPDATE ... RETURNING (PostgreSQL, and SQLite since 3.35): the ORM's update
    # neither joins nor returns the petition, which the recount needs.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _CONFIRM_SQL,
            [
                connection.ops.adapt_datetimefield_value(now),
                _hash(token),
                connection.ops.adapt_datetimefield_value(limit),
                ModerationState.PUBLISHED.value,
                Stage.COLLECTING.value,
            ],
        )
        row = cursor.fetchone()
        if row is not None:
            counting.recount_soon(int(row[0]))
            return ConfirmOutcome.CONFIRMED
    signature = signature_for_token(token)
    if signature is None or signature.struck_at is not None:
        return ConfirmOutcome.UNKNOWN
    if signature.confirmed_at is not None:
        return ConfirmOutcome.ALREADY
    if signature.created_at < limit:
        return ConfirmOutcome.UNKNOWN
    return ConfirmOutcome.CLOSED


# --- the petition desk ---------------------------------------------------------------------


@transaction.atomic
def move_stage(
    *,
    petition: Petition,
    stage: Stage,
    agenda_url: str,
    decision_url: str,
    note: str,
    by: User,
) -> Petition:
    """Record where the petition stands at the desk, with links to agenda item and decision.

    Answering goes through ``answer_petition`` (it mails every signatory).
    """
    if stage == Stage.ANSWERED:
        raise ValidationError(_("Een petitie beantwoordt u met het antwoordformulier."))
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.moderation_state != ModerationState.PUBLISHED:
        raise ValidationError(_("Alleen een gepubliceerde petitie gaat over de petitiebalie."))
    if petition.stage == Stage.ANSWERED:
        raise ValidationError(_("Deze petitie is al beantwoord."))
    petition.stage = stage
    petition.agenda_url = agenda_url.strip()
    petition.decision_url = decision_url.strip()
    petition.save()
    _event(petition, str(stage), note=note.strip(), by=by)
    record_audit(
        action="petitions.stage",
        actor=by,
        organisation=petition.organisation,
        obj=petition,
        summary=f"petitie {petition.pk}: {petition.get_stage_display()}",
    )
    if stage != Stage.COLLECTING:
        # The last signatures before the hand-over count: no wait for the next batch.
        counting.recount(petition.pk)
    return petition


@transaction.atomic
def answer_petition(*, petition: Petition, answer: str, by: User, base_url: str) -> Petition:
    """Publish the organisation's answer and mail it to every confirmed signatory (a task).

    The signatories' personal data is erased the organisation's retention period later.
    """
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Schrijf het antwoord van de organisatie."))
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.moderation_state != ModerationState.PUBLISHED:
        raise ValidationError(_("Alleen een gepubliceerde petitie kan worden beantwoord."))
    if petition.stage == Stage.ANSWERED:
        raise ValidationError(_("Deze petitie is al beantwoord."))
    now = timezone.now()
    days = rules_of(petition.organisation).retention_days_after_answer
    petition.stage = Stage.ANSWERED
    petition.answer = answer
    petition.answered_at = now
    petition.purge_after = now + timedelta(days=days)
    petition.save()
    counting.recount(petition.pk)
    _event(petition, "answered", by=by)
    record_audit(
        action="petitions.answer",
        actor=by,
        organisation=petition.organisation,
        obj=petition,
        summary=f"petitie {petition.pk} beantwoord; antwoord naar alle bevestigde ondertekenaars",
    )
    enqueue_after_commit(ANSWER_TASK, petition.pk, base_url)
    return petition


def mail_answer(*, petition_id: int, base_url: str) -> int:
    """Send the answer to every confirmed signatory not mailed yet (the task's body).

    Sent in rounds over one connection; each answer is claimed before it is sent and a
    signatory is marked once their round is stored, so a retry after a failure or a killed
    worker sends the rest and nobody twice.
    """
    petition = Petition.objects.select_related("organisation").get(pk=petition_id)
    sent_total = 0
    while True:
        batch = list(
            Signature.objects.filter(
                petition=petition,
                confirmed_at__isnull=False,
                struck_at__isnull=True,
                answer_sent=False,
            )
            .exclude(email="")
            .order_by("pk")
            .values_list("pk", "email", "language")[:500]
        )
        if not batch:
            break
        outcome = mail.answer_round(petition=petition, recipients=batch, base_url=base_url)
        done = outcome.sent + outcome.refused + outcome.earlier
        Signature.objects.filter(pk__in=done).update(answer_sent=True)
        sent_total += len(outcome.sent)
        if outcome.failure is not None:
            raise outcome.failure
    Petition.objects.filter(pk=petition.pk).update(answer_mailed_at=timezone.now())
    return sent_total


# --- suspicious signatures -----------------------------------------------------------------


@transaction.atomic
def strike_signatures(
    *,
    petition: Petition,
    by: User,
    reason: str,
    domain: str = "",
    client: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Strike the signatures of one cluster (a mail domain or a client, in a time window).

    Struck signatures stop counting and cannot be confirmed; the row stays for the record.
    """
    if not (domain or client):
        raise ValidationError(_("Kies een domein of een verbinding."))
    rows = Signature.objects.filter(petition=petition, struck_at__isnull=True)
    if domain:
        rows = rows.filter(email_domain=domain)
    if client:
        rows = rows.filter(client=client)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    struck = rows.update(struck_at=timezone.now(), struck_reason=reason.strip()[:200])
    what = f"domein {domain}" if domain else f"verbinding {client[:8]}"
    _event(petition, "struck", note=f"{struck} handtekeningen, {what}: {reason}", by=by)
    record_audit(
        action="petitions.strike",
        actor=by,
        organisation=petition.organisation,
        obj=petition,
        summary=f"petitie {petition.pk}: {struck} handtekeningen geschrapt ({what})",
    )
    counting.recount(petition.pk)
    return int(struck)


@transaction.atomic
def restore_signatures(*, petition: Petition, by: User) -> int:
    """Undo every strike of a petition (the moderator was wrong)."""
    restored = Signature.objects.filter(petition=petition, struck_at__isnull=False).update(
        struck_at=None, struck_reason=""
    )
    _event(petition, "restored", note=f"{restored}", by=by)
    record_audit(
        action="petitions.restore",
        actor=by,
        organisation=petition.organisation,
        obj=petition,
        summary=f"petitie {petition.pk}: {restored} geschrapte handtekeningen teruggezet",
    )
    counting.recount(petition.pk)
    return int(restored)


# --- retention -----------------------------------------------------------------------------


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete signatures left unconfirmed for 30 days (the scheduled job)."""
    limit = (now or timezone.now()) - timedelta(days=UNCONFIRMED_DAYS)
    deleted, _per_model = Signature.objects.filter(
        confirmed_at__isnull=True, created_at__lt=limit
    ).delete()
    return int(deleted)


def blank_signatures(rows: QuerySet[Signature]) -> int:
    """Blank the personal fields of signatures; the place and the moments stay for the counts."""
    return int(
        rows.exclude(email_key="", name="").update(
            name="", email="", email_key="", email_domain="", client="", token_hash=""
        )
    )


@transaction.atomic
def purge_answered(now: datetime | None = None) -> int:
    """Erase signatories' personal data of petitions past their retention after the answer."""
    now = now or timezone.now()
    due = Petition.objects.filter(purge_after__lte=now, purged_at__isnull=True)
    total = 0
    for petition in due.select_for_update():
        if (
            petition.answer_mailed_at is None
            and Signature.objects.filter(
                petition=petition, confirmed_at__isnull=False, answer_sent=False
            )
            .exclude(email="")
            .exists()
        ):
            continue  # the answer still has to reach them; purge on a later run
        total += blank_signatures(Signature.objects.filter(petition=petition))
        Signature.objects.filter(petition=petition, confirmed_at__isnull=True).delete()
        petition.petitioner_email = ""
        petition.purged_at = now
        petition.save(update_fields=["petitioner_email", "purged_at"])
        _event(petition, "purged", note=str(total))
    return total
