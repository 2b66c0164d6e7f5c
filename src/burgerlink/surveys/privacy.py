"""The surveys app's personal data (the sample: invitees) and its scheduled jobs.

Responses hold answers and coarse background variables only; they are personal data while an
invitee is linked to them (during filling in, or always in a wave that is not anonymous), so an
invitee's export includes the linked answers, and erasing the invitee cuts that link.
"""

from __future__ import annotations

import secrets
from datetime import time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burgerlink.core import privacy
from burgerlink.core.privacy import PersonalData, Subject
from burgerlink.core.schedule import ScheduledJob, register_job
from burgerlink.core.tasks import enqueue_after_commit, task
from burgerlink.surveys.fieldwork.links import site_url
from burgerlink.surveys.fieldwork.services import purge_expired_samples
from burgerlink.surveys.models import Answer, Invitee, Wave


def invitee_rows(subject: Subject) -> QuerySet[Invitee]:
    """The subject's places in survey samples, by e-mail address."""
    if not subject.email:
        return Invitee.objects.none()
    return subject.scoped(Invitee.objects.filter(email__iexact=subject.email))


def export_invitees(rows: QuerySet[Invitee]) -> list[dict[str, Any]]:
    """Contact data, status and, where linked, the answers given."""
    exported = []
    for invitee in rows.select_related("wave__survey", "organisation").order_by("pk"):
        answers = []
        if invitee.response_id is not None:
            answers = list(
                Answer.objects.filter(response_id=invitee.response_id)
                .order_by("code")
                .values("code", "number", "text", "choices")
            )
        exported.append(
            {
                "organisatie": invitee.organisation.name,
                "onderzoek": invitee.wave.survey.title,
                "meting": invitee.wave.name,
                "e-mailadres": invitee.email,
                "postadres": invitee.postal_address,
                "taal": invitee.language,
                "achtergrondkenmerken": invitee.background,
                "status": invitee.status,
                "uitgenodigd": invitee.invited_at,
                "herinneringen": invitee.reminders_sent,
                "ingevuld": invitee.completed_at,
                "antwoorden": answers,
            }
        )
    return exported


def erase_invitees(rows: QuerySet[Invitee]) -> int:
    """Blank contact data and background, replace the access code, cut the link to answers."""
    count = 0
    for invitee in rows.select_for_update():
        invitee.email = ""
        invitee.postal_address = ""
        invitee.background = {}
        invitee.token = secrets.token_urlsafe(24)  # the old link stops working
        invitee.response = None
        invitee.save(update_fields=["email", "postal_address", "background", "token", "response"])
        count += 1
    return count


@task()
def purge_samples() -> int:
    """Erase the samples of waves past their retention (the scheduled job)."""
    return purge_expired_samples()


@task()
def queue_due_reminders() -> int:
    """Queue the reminder task of every open wave that sends reminders."""
    now = timezone.now()
    waves = Wave.objects.filter(
        opens_at__lte=now, closes_at__gt=now, sample_erased_at__isnull=True
    ).order_by("pk")
    base_url = site_url()
    count = 0
    for wave_id, reminder_days in waves.values_list("pk", "reminder_days"):
        if reminder_days:
            enqueue_after_commit(
                "burgerlink.surveys.fieldwork.tasks.send_reminders", wave_id, base_url
            )
            count += 1
    return count


def register() -> None:
    """Declare the sample's personal data and schedule the surveys' jobs."""
    register_job(
        ScheduledJob(
            code="surveys.purge-samples",
            task=purge_samples,
            description=_("Steekproeven van metingen na hun bewaartermijn wissen."),
            daily_at=time(3, 15),
        )
    )
    register_job(
        ScheduledJob(
            code="surveys.send-reminders",
            task=queue_due_reminders,
            description=_("Herinneringen versturen aan genodigden die nog niet klaar zijn."),
            daily_at=time(9, 0),
        )
    )
    privacy.register(
        PersonalData(
            code="surveys.invitee",
            title=_("Steekproeven van tevredenheidsonderzoek"),
            persons=_("inwoners die voor een onderzoek zijn uitgenodigd"),
            items=_(
                "e-mailadres, postadres, taal, achtergrondkenmerken voor de weging, status; "
                "bij niet-anonieme metingen de koppeling met de antwoorden"
            ),
            purpose=_("Uitnodigen en herinneren voor een tevredenheidsonderzoek."),
            legal_basis="public_task",
            retention=_(
                "Tot de bewaartermijn van de meting (standaard 90 dagen na sluiting) voorbij is; "
                "daarna worden adressen en kenmerken gewist."
            ),
            retention_job="surveys.purge-samples",
            rows=invitee_rows,
            export=export_invitees,
            erase=erase_invitees,
        )
    )
