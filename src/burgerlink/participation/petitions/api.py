"""API of the petitions area: published petitions with their counts (public, read only)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from burgerlink.core import selectors as core_selectors
from burgerlink.core.api_support import error_responses, is_possible_slug
from burgerlink.core.models import Organisation
from burgerlink.participation.models import Petition
from burgerlink.participation.petitions import selectors

router = Router(tags=["petitions"])
PUBLIC_ERRORS = error_responses(404, 422)


class PlaceCountOut(Schema):
    """Confirmed signatures from one place of residence."""

    place: str
    signatures: int


class PetitionOut(Schema):
    """A published petition and its counts at the last count."""

    id: int
    title: str
    petitioner: str
    status: str = Field(description="collecting, received, on_agenda, debated or answered.")
    published_at: datetime | None
    closes_on: date
    signatures: int = Field(description="Confirmed, valid signatures at the last count.")
    counted_at: datetime | None
    response_threshold: int | None
    initiative_threshold: int | None = Field(
        description="Signatures for a citizens' initiative under the local ordinance."
    )
    agenda_url: str | None
    decision_url: str | None
    answered_at: datetime | None


class PetitionDetailOut(PetitionOut):
    """A petition with its text, the answer and the counts per place of residence."""

    text: str
    answer: str | None
    signatures_per_place: list[PlaceCountOut]


def _organisation(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug) if is_possible_slug(slug) else None
    if organisation is None:
        raise Http404(_("Organisatie '%(slug)s' bestaat niet.") % {"slug": slug[:80]})
    return organisation


def _out(petition: Petition) -> dict[str, Any]:
    return {
        "id": petition.pk,
        "title": petition.title,
        "petitioner": petition.petitioner_name,
        "status": petition.stage,
        "published_at": petition.published_at,
        "closes_on": petition.closes_on,
        "signatures": petition.signature_count,
        "counted_at": petition.counted_at,
        "response_threshold": petition.response_threshold or None,
        "initiative_threshold": petition.initiative_threshold or None,
        "agenda_url": petition.agenda_url or None,
        "decision_url": petition.decision_url or None,
        "answered_at": petition.answered_at,
    }


@router.get(
    "/organisations/{slug}/petitions",
    response={200: list[PetitionOut], **PUBLIC_ERRORS},
)
def list_petitions(request: HttpRequest, slug: str) -> list[PetitionOut]:
    """The organisation's published petitions with their counts, collecting ones first."""
    organisation = _organisation(slug)
    return [PetitionOut(**_out(p)) for p in selectors.public_petitions(organisation)[:1000]]


@router.get(
    "/organisations/{slug}/petitions/{petition_id}",
    response={200: PetitionDetailOut, **PUBLIC_ERRORS},
)
def get_petition(request: HttpRequest, slug: str, petition_id: int) -> PetitionDetailOut:
    """One published petition: text, counts in total and per place of residence, the answer."""
    organisation = _organisation(slug)
    petition = (
        selectors.public_petition(organisation, petition_id) if 0 < petition_id < 2**31 else None
    )
    if petition is None:
        raise Http404(_("Deze petitie bestaat niet."))
    return PetitionDetailOut(
        **_out(petition),
        text=petition.text,
        answer=petition.answer or None,
        signatures_per_place=[
            PlaceCountOut(place=row.place, signatures=row.count)
            for row in selectors.place_counts(petition)
        ],
    )
