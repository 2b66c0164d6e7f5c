"""Models of the participation app, one module per area (petitions, voice, consultations, ...)."""

from burgerlink.participation.models.petitions import (
    Moderation,
    Petition,
    PetitionEvent,
    PetitionPlaceCount,
    PetitionRules,
    Signature,
    Stage,
)

__all__: list[str] = [
    "Moderation",
    "Petition",
    "PetitionEvent",
    "PetitionPlaceCount",
    "PetitionRules",
    "Signature",
    "Stage",
]
