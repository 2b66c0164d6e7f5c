"""The charters app's personal data (compensation claims) and its scheduled jobs.

Service records carry no personal data: a record is known by the source system's id, and its
fields are moments and verdicts. Claims hold what handling needs (e-mail address, name, IBAN,
message) until ``CLAIM_RETENTION_DAYS`` after the decision.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.compensation.services import purge_expired_claims
from burgerlink.charters.models import Claim, ImportBatch
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
