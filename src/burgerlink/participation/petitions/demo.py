"""Demo petitions for Amstelstad: one collecting signatures, one answered, one to moderate."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from burgerlink.core.models import Organisation
from burgerlink.core.moderation import ModerationState
from burgerlink.participation.models import (
    Petition,
    PetitionEvent,
    PetitionRules,
    Signature,
    Stage,
)
from burgerlink.participation.petitions import counting
from burgerlink.participation.petitions.services import new_token

PLACES = [("Amstelstad", 0.7), ("Oudekerk", 0.15), ("Veenhuizen", 0.1), ("Haarlem", 0.05)]
FIRST = ["Anna", "Bram", "Carla", "Daan", "Eva", "Fatima", "Gert", "Hanna", "Iris", "Joost"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "el Amrani", "Mulder"]

PETITIONS: list[dict[str, Any]] = [
    {
        "title": "Een veilig zebrapad bij de Dorpsschool",
        "text": (
            "Elke ochtend steken honderden kinderen de Schoolstraat over zonder zebrapad. "
            "Auto's rijden er hard. Wij vragen de gemeenteraad om voor de zomer een zebrapad met "
            "verlichting aan te leggen en de snelheid te verlagen naar 30 kilometer per uur."
        ),
        "petitioner": "Ouderraad Dorpsschool",
        "signatures": 640,
        "stage": Stage.COLLECTING,
    },
    {
        "title": "Behoud de bibliotheek in Oudekerk",
        "text": (
            "De bibliotheek in Oudekerk is de enige plek in het dorp waar ouderen en kinderen "
            "samenkomen. Wij vragen de raad de vestiging open te houden en de openingstijden "
            "niet te beperken."
        ),
        "petitioner": "Vrienden van de bibliotheek",
        "signatures": 1_250,
        "stage": Stage.ANSWERED,
        "answer": (
            "De raad heeft op 12 november besloten de vestiging in Oudekerk open te houden. "
            "De openingstijden blijven gelijk; in 2027 kijken wij samen met de bewoners naar "
            "een avondopenstelling."
        ),
    },
    {
        "title": "Meer bankjes langs de Amstelkade",
        "text": (
            "Langs de Amstelkade kunnen ouderen nergens even uitrusten. Wij vragen om elke "
            "tweehonderd meter een bankje, zodat iedereen de kade kan blijven gebruiken."
        ),
        "petitioner": "Wijkraad Centrum",
        "signatures": 0,
        "stage": Stage.COLLECTING,
        "pending": True,
    },
]


def _signatures(petition: Petition, count: int, rng: random.Random) -> list[Signature]:
    now = timezone.now()
    rows = []
    places = [p for p, _w in PLACES]
    weights = [w for _p, w in PLACES]
    for number in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        address = f"ondertekenaar{petition.pk}.{number}@voorbeeld.nl"
        moment = now - timedelta(minutes=rng.randint(60, 60 * 24 * 20))
        rows.append(
            Signature(
                petition=petition,
                organisation_id=petition.organisation_id,
                name=name,
                show_name=rng.random() < 0.3,
                email=address,
                email_key=address,
                email_domain="voorbeeld.nl",
                place=rng.choices(places, weights)[0],
                token_hash=new_token()[1],
                confirmed_at=moment,
            )
        )
    return rows


@transaction.atomic
def _petitions(organisation: Organisation) -> int:
    PetitionRules.objects.get_or_create(
        organisation=organisation,
        defaults={
            "addressed_to": "de gemeenteraad",
            "initiative_threshold": 1_000,
            "ordinance": "Verordening burgerinitiatief Amstelstad 2024",
            "response_threshold": 250,
        },
    )
    if Petition.objects.filter(organisation=organisation).exists():
        return 0
    rng = random.Random(20261207)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    now = timezone.now()
    for spec in PETITIONS:
        pending = bool(spec.get("pending"))
        answered = spec["stage"] == Stage.ANSWERED
        petition = Petition.objects.create(
            organisation=organisation,
            title=spec["title"],
            text=spec["text"],
            petitioner_name=spec["petitioner"],
            petitioner_email="indiener@voorbeeld.nl",
            author_token_hash=new_token()[1],
            moderation_state=ModerationState.PENDING if pending else ModerationState.PUBLISHED,
            stage=spec["stage"],
            closes_on=today + timedelta(days=-10 if answered else 60),
            initiative_threshold=1_000,
            response_threshold=250,
            published_at=None if pending else now - timedelta(days=30),
            answer=str(spec.get("answer", "")),
            answered_at=now - timedelta(days=2) if answered else None,
            answer_mailed_at=now - timedelta(days=2) if answered else None,
            purge_after=now + timedelta(days=88) if answered else None,
            decision_url="https://amstelstad.example/raad/besluiten/2026-118" if answered else "",
        )
        PetitionEvent.objects.create(petition=petition, action="submitted")
        Signature.objects.bulk_create(_signatures(petition, int(spec["signatures"]), rng))
        counting.recount(petition.pk)
    return len(PETITIONS)


def demo_step(write: Callable[[str], None]) -> None:
    """Give Amstelstad its petition rules and three petitions (idempotent)."""
    organisation = Organisation.objects.filter(slug="amstelstad").first()
    if organisation is None:
        return
    created = _petitions(organisation)
    write(f"Petities: {Petition.objects.count()} in de demowereld ({created} nieuw).")
