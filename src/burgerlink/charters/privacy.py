"""The charters app's personal data (compensation claims, claim form attempts) and its jobs.

Service records carry no personal data: a record is known by the source system's id, and its
fields are moments and verdicts. Claims hold what handling needs (e-mail address, name, IBAN,
message) until ``CLAIM_RETENTION_DAYS`` after the decision. The claim form counts its attempts
for an hour under keyed hashes of the client's IP address and of the reference tried
(``ClaimAttempt``): pseudonymous, so personal data too. Claim codes are not: a keyed hash of a
code per reference, and a reference names a record, not a person.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.compensation.services import (
    RATE_WINDOW,
    purge_claim_attempts,
    purge_expired_claims,
    reference_key,
)
from burgerlink.charters.models import Claim, ClaimAttempt, ImportBatch
from burgerlink.core import privacy
from burgerlink.core.models import Organisation
from burgerlink.core.privacy import PersonalData, Subject
from burgerlink.core.schedule import ScheduledJob, register_job
from burgerlink.core.tasks import enqueue_after_commit, task


def claim_rows(subject: Subject) -> QuerySet[Claim]:
    """Claims made with the subject's e-mail address or about the subject's reference."""
    found = Q()
    if subject.email:
        found |= Q(email__iexact=subject.email)
    if subject.reference:
        found |= Q(reference=subject.reference)
    return subject.scoped(Claim.objects.filter(found))


def export_claims(rows: QuerySet[Claim]) -> list[dict[str, Any]]:
    """Everything a claim holds about its claimant, and what became of it."""
    return privacy.model_rows(
        rows,
        "organisation__name",
        "reference",
        "email",
        "name",
        "iban",
        "message",
        "status",
        "decision_note",
        "created_at",
        "decided_at",
        "purge_after",
        "purged_at",
    )


def erase_claims(rows: QuerySet[Claim]) -> int:
    """Blank the claimant's details, as the retention purge does; reference and status stay."""
    return int(
        rows.filter(purged_at__isnull=True).update(
            email="", name="", iban="", message="", purged_at=timezone.now()
        )
    )


def claim_attempt_rows(subject: Subject) -> QuerySet[ClaimAttempt]:
    """Attempts at the claim form with the subject's reference (its keyed hash per organisation)."""
    if not subject.reference:
        return ClaimAttempt.objects.none()
    organisations = (
        [subject.organisation]
        if subject.organisation is not None
        else list(
            Organisation.objects.filter(
                pk__in=ClaimAttempt.objects.values("organisation_id").distinct()
            )
        )
    )
    found = Q(pk__in=[])
    for organisation in organisations:
        found |= Q(
            organisation=organisation, reference=reference_key(organisation, subject.reference)
        )
    return ClaimAttempt.objects.filter(found)


def export_claim_attempts(rows: QuerySet[ClaimAttempt]) -> list[dict[str, Any]]:
    """When the reference was tried, and where (the hashes mean nothing to the person)."""
    return privacy.model_rows(rows, "organisation__name", "at")


def erase_claim_attempts(rows: QuerySet[ClaimAttempt]) -> int:
    """Delete the attempts: they only count towards the rate limit."""
    return int(rows.delete()[0])


@task()
def purge_attempts() -> int:
    """Delete the claim form's attempts past the rate-limit window (the scheduled job)."""
    return purge_claim_attempts()


@task()
def purge_claims() -> int:
    """Erase the personal data of claims past their retention (the scheduled job)."""
    return purge_expired_claims()


@task()
def remeasure_recent_records() -> int:
    """Queue a re-measuring of this and last month's records for every organisation with records.

    Open items pass their deadline as days go by; measuring them again each night keeps the
    monthly figures of the public pages in step with the live figures of the API.
    """
    today = timezone.localdate()
    since = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    organisations = Organisation.objects.filter(
        is_active=True, pk__in=ImportBatch.objects.values("organisation_id")
    ).values_list("pk", flat=True)
    count = 0
    for organisation_id in organisations:
        enqueue_after_commit(
            "burgerlink.charters.records.tasks.remeasure_records",
            organisation_id,
            date.isoformat(since),
        )
        count += 1
    return count


def register() -> None:
    """Declare the claims' personal data and schedule the charters' jobs."""
    register_job(
        ScheduledJob(
            code="charters.purge-claims",
            task=purge_claims,
            description=_("Persoonsgegevens van claims na de bewaartermijn wissen."),
            daily_at=time(3, 0),
        )
    )
    register_job(
        ScheduledJob(
            code="charters.purge-claim-attempts",
            task=purge_attempts,
            description=_("Pogingen op het claimformulier ouder dan een uur wissen."),
            every=RATE_WINDOW,
        )
    )
    register_job(
        ScheduledJob(
            code="charters.remeasure-recent",
            task=remeasure_recent_records,
            description=_("Dienstverlening van deze en vorige maand opnieuw meten."),
            daily_at=time(2, 0),
        )
    )
    privacy.register(
        PersonalData(
            code="charters.claim",
            title=_("Compensatieclaims"),
            persons=_("inwoners en ondernemers die compensatie vragen"),
            items=_("kenmerk, e-mailadres, naam, IBAN, toelichting, besluit"),
            purpose=_("De claim behandelen, het besluit laten weten en de compensatie betalen."),
            legal_basis="public_task",
            retention=_(
                "Tot CLAIM_RETENTION_DAYS dagen (standaard 365) na het besluit, of twee jaar na "
                "indienen zonder besluit; daarna worden naam, e-mailadres, IBAN en toelichting "
                "gewist."
            ),
            retention_job="charters.purge-claims",
            rows=claim_rows,
            export=export_claims,
            erase=erase_claims,
            found_by=("email", "reference"),
        )
    )
    privacy.register(
        PersonalData(
            code="charters.claim-attempt",
            title=_("Pogingen op het claimformulier"),
            persons=_("iedereen die het claimformulier verstuurt"),
            items=_(
                "tijdstip, een versleutelde afgeleide van het IP-adres en van het geprobeerde "
                "kenmerk"
            ),
            purpose=_("Het raden van kenmerken en claimcodes afremmen."),
            legal_basis="public_task",
            retention=_("Een uur; daarna wordt de poging gewist."),
            retention_job="charters.purge-claim-attempts",
            rows=claim_attempt_rows,
            export=export_claim_attempts,
            erase=erase_claim_attempts,
            found_by=("reference",),
        )
    )
