"""The petitions area's personal data (signatories, petitioners) and its scheduled jobs."""

from __future__ import annotations

import contextlib
from datetime import time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from burgerlink.core import privacy
from burgerlink.core.privacy import PersonalData, Subject
from burgerlink.core.schedule import ScheduledJob, register_job
from burgerlink.participation.models import Petition, Signature
from burgerlink.participation.petitions import addresses, services, tasks


def signature_rows(subject: Subject) -> QuerySet[Signature]:
    """Signatures made with the subject's e-mail address (in any spelling of that mailbox)."""
    found = Q(email__iexact=subject.email)
    with contextlib.suppress(ValueError):
        found |= Q(email_key=addresses.normalise(subject.email))
    return subject.scoped(Signature.objects.filter(found))


def export_signatures(rows: QuerySet[Signature]) -> list[dict[str, Any]]:
    """What a signature holds about its signatory."""
    return privacy.model_rows(
        rows,
        "organisation__name",
        "petition__title",
        "name",
        "show_name",
        "email",
        "place",
        "created_at",
        "confirmed_at",
        "struck_at",
    )


def erase_signatures(rows: QuerySet[Signature]) -> int:
    """Blank name and address; the place stays in the counts, as after the answer."""
    return services.blank_signatures(rows)


def petitioner_rows(subject: Subject) -> QuerySet[Petition]:
    """Petitions started with the subject's e-mail address."""
    return subject.scoped(Petition.objects.filter(petitioner_email__iexact=subject.email))


def export_petitioner(rows: QuerySet[Petition]) -> list[dict[str, Any]]:
    """What a petition holds about its petitioner."""
    return privacy.model_rows(
        rows, "organisation__name", "title", "petitioner_name", "petitioner_email", "created_at"
    )


def erase_petitioner(rows: QuerySet[Petition]) -> int:
    """Blank the petitioner's name and address (the petition itself is public and stays)."""
    return int(rows.update(petitioner_name="", petitioner_email=""))


def register() -> None:
    """Declare the personal data and schedule the retention and counting jobs."""
    register_job(
        ScheduledJob(
            code="participation.purge-unconfirmed-signatures",
            task=tasks.purge_unconfirmed,
            description=_("Handtekeningen die 30 dagen niet zijn bevestigd wissen."),
            daily_at=time(3, 20),
        )
    )
    register_job(
        ScheduledJob(
            code="participation.purge-answered-petitions",
            task=tasks.purge_answered,
            description=_(
                "Persoonsgegevens van ondertekenaars wissen na de bewaartermijn na het antwoord."
            ),
            daily_at=time(3, 25),
        )
    )
    register_job(
        ScheduledJob(
            code="participation.petition-counts",
            task=tasks.recount_collecting,
            description=_("De aantallen handtekeningen van lopende petities opnieuw tellen."),
            every=timedelta(minutes=1),
        )
    )
    privacy.register(
        PersonalData(
            code="participation.signature",
            title=_("Handtekeningen onder petities"),
            persons=_("mensen die een petitie tekenen"),
            items=_(
                "naam, of de naam getoond mag worden, e-mailadres, woonplaats, tijdstippen, "
                "sleutel-hash van het IP-adres"
            ),
            purpose=_(
                "De handtekening bevestigen, tellen en aan de raad overhandigen, en het antwoord "
                "op de petitie sturen; misbruik tegengaan."
            ),
            legal_basis="consent",
            retention=_(
                "Onbevestigde handtekeningen 30 dagen; naam en e-mailadres tot de bewaartermijn "
                "na het antwoord (standaard 90 dagen, per organisatie in te stellen); de "
                "woonplaats blijft in de tellingen."
            ),
            retention_job="participation.purge-answered-petitions",
            rows=signature_rows,
            export=export_signatures,
            erase=erase_signatures,
        )
    )
    privacy.register(
        PersonalData(
            code="participation.petitioner",
            title=_("Indieners van petities"),
            persons=_("mensen die een petitie starten"),
            items=_("naam (openbaar bij de petitie), e-mailadres"),
            purpose=_("De petitie beoordelen en de indiener over het besluit berichten."),
            legal_basis="consent",
            retention=_(
                "Het e-mailadres tot de bewaartermijn na het antwoord; de naam zolang de petitie openbaar is."
            ),
            retention_job="participation.purge-answered-petitions",
            rows=petitioner_rows,
            export=export_petitioner,
            erase=erase_petitioner,
        )
    )
