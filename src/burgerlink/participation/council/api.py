"""API of the council area: decisions and votes, parties, the agreement matrix (public, read),
and pushing a Popolo document (an organisation's token or a staff session)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from burgerlink.core import selectors as core_selectors
from burgerlink.core.api_support import (
    TOKEN_OR_STAFF,
    IsoDate,
    actor_of,
    authorised_organisation,
    error_responses,
    is_possible_slug,
)
from burgerlink.core.files import ImportRejectedError
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm
from burgerlink.participation.council import selectors
from burgerlink.participation.council.selectors import DecisionFilters
from burgerlink.participation.council.services import push_popolo
from burgerlink.participation.models import (
    CouncilImport,
    Decision,
    DecisionKind,
    DecisionResult,
    Party,
    PartyPosition,
)

router = Router(tags=["council voting records"])
PUBLIC_ERRORS = error_responses(404, 422)
PUSH_ERRORS = error_responses(400, 401, 403, 404, 422)
PAGE_SIZE = 50
MAX_ITEMS = 50_000


class PartyOut(Schema):
    """A party (fractie) in the council."""

    id: int
    name: str
    abbreviation: str


class DecisionOut(Schema):
    """A decision and its totals."""

    id: int
    source_id: str = Field(description="The identifier in the source (Popolo id).")
    kind: str = Field(description="motion, amendment or proposal.")
    title: str
    text: str
    date: date
    result: str = Field(description="adopted or rejected.")
    meeting: str = Field(description="The meeting's name, if known.")
    links: list[dict[str, str]]
    votes_for: int
    votes_against: int
    votes_abstain: int
    votes_absent: int


class DecisionPage(Schema):
    """One page of decisions."""

    count: int
    page: int
    pages: int
    results: list[DecisionOut]


class PartyVoteOut(Schema):
    """How one party voted."""

    party_id: int
    party: str
    position: str = Field(description="for, against, abstain, absent or split.")
    votes_for: int
    votes_against: int
    votes_abstain: int
    votes_absent: int


class MemberVoteOut(Schema):
    """How one member voted."""

    member: str
    party_id: int | None
    choice: str = Field(description="for, against, abstain or absent.")


class DecisionDetailOut(DecisionOut):
    """A decision with every party's and member's vote."""

    party_votes: list[PartyVoteOut]
    member_votes: list[MemberVoteOut]


class PairOut(Schema):
    """How often two parties voted alike."""

    party_a: int
    party_b: int
    both_voted: int = Field(description="Decisions on which both parties voted (not absent).")
    alike: int = Field(description="Of those, decisions on which they took the same position.")
    share: float | None = Field(description="alike / both_voted; null when both_voted is 0.")


class MatrixOut(Schema):
    """Agreement between every two parties."""

    decisions: int
    parties: list[PartyOut]
    pairs: list[PairOut]


class DecisionQuery(Schema):
    """Filters of the decision list; empty values do not filter."""

    q: str = Field(
        "",
        max_length=200,
        pattern=r"^[^\x00-\x1f]*$",
        description="Words in title or text (full-text search).",
    )
    kind: DecisionKind | None = None
    result: DecisionResult | None = None
    party: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Only decisions this party voted on."
    )
    position: PartyPosition | None = Field(None, description="With party: only where it voted so.")
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    page: int = Field(1, ge=1, le=1_000_000)


class PopoloIn(Schema):
    """A Popolo document: the sections Burgerlink reads (others are ignored).

    See docs/participation.md for the fields read from each object.
    """

    organizations: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    persons: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    memberships: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    events: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    motions: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    vote_events: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)


class CouncilImportOut(Schema):
    """What a push changed."""

    import_id: int
    status: str
    decisions_created: int
    decisions_updated: int
    decisions_unchanged: int
    others_changed: int
    changed_anything: bool


def _organisation(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug) if is_possible_slug(slug) else None
    if organisation is None:
        raise Http404(_("Organisatie '%(slug)s' bestaat niet.") % {"slug": slug[:80]})
    return organisation


def _party(party: Party) -> PartyOut:
    return PartyOut(id=party.pk, name=party.name, abbreviation=party.abbreviation)


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "source_id": decision.source_id,
        "kind": decision.kind,
        "title": decision.title,
        "text": decision.text,
        "date": decision.date,
        "result": decision.result,
        "meeting": decision.meeting.name if decision.meeting else "",
        "links": decision.links,
        "votes_for": decision.votes_for,
        "votes_against": decision.votes_against,
        "votes_abstain": decision.votes_abstain,
        "votes_absent": decision.votes_absent,
    }


@router.get(
    "/organisations/{slug}/council/decisions",
    response={200: DecisionPage, **PUBLIC_ERRORS},
)
def list_decisions(request: HttpRequest, slug: str, filters: Query[DecisionQuery]) -> DecisionPage:
    """The council's decisions, newest first (best match first with q), 50 a page."""
    organisation = _organisation(slug)
    if filters.position and filters.party is None:
        raise ValidationError({"query.position": [_("Kies ook een fractie (party).")]})
    rows = selectors.decisions(
        organisation,
        DecisionFilters(
            query=filters.q.strip(),
            kind=filters.kind or "",
            result=filters.result or "",
            party_id=filters.party,
            position=filters.position or "",
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    ).select_related("meeting")
    count = rows.count()
    start = (filters.page - 1) * PAGE_SIZE
    return DecisionPage(
        count=count,
        page=filters.page,
        pages=max(1, math.ceil(count / PAGE_SIZE)),
        results=[DecisionOut(**_decision(d)) for d in rows[start : start + PAGE_SIZE]],
    )


@router.get(
    "/organisations/{slug}/council/decisions/{decision_id}",
    response={200: DecisionDetailOut, **PUBLIC_ERRORS},
)
def get_decision(request: HttpRequest, slug: str, decision_id: int) -> DecisionDetailOut:
    """One decision with how every party and member voted."""
    organisation = _organisation(slug)
    detail = (
        selectors.decision_detail(organisation, decision_id) if 0 < decision_id < 2**31 else None
    )
    if detail is None:
        raise Http404(_("Dit besluit bestaat niet."))
    return DecisionDetailOut(
        **_decision(detail.decision),
        party_votes=[
            PartyVoteOut(
                party_id=v.party_id,
                party=v.party.name,
                position=v.position,
                votes_for=v.votes_for,
                votes_against=v.votes_against,
                votes_abstain=v.votes_abstain,
                votes_absent=v.votes_absent,
            )
            for v in detail.party_votes
        ],
        member_votes=[
            MemberVoteOut(member=v.member.name, party_id=v.party_id, choice=v.choice)
            for v in detail.member_votes
        ],
    )


@router.get(
    "/organisations/{slug}/council/parties",
    response={200: list[PartyOut], **PUBLIC_ERRORS},
)
def list_parties(request: HttpRequest, slug: str) -> list[PartyOut]:
    """The council's parties, by name."""
    return [_party(p) for p in selectors.parties(_organisation(slug))]


@router.get(
    "/organisations/{slug}/council/matrix",
    response={200: MatrixOut, **PUBLIC_ERRORS},
)
def party_matrix(request: HttpRequest, slug: str) -> MatrixOut:
    """How often every two parties voted alike, over decisions where both voted."""
    matrix = selectors.party_matrix(_organisation(slug))
    return MatrixOut(
        decisions=matrix.decisions,
        parties=[_party(p) for p in matrix.parties],
        pairs=[
            PairOut(
                party_a=a.pk,
                party_b=b.pk,
                both_voted=agreement.both_voted,
                alike=agreement.alike,
                share=agreement.share,
            )
            for a, b, agreement in selectors.agreement_pairs(matrix)
        ],
    )


@router.post(
    "/organisations/{slug}/council/popolo",
    response={201: CouncilImportOut, **PUSH_ERRORS},
    auth=TOKEN_OR_STAFF,
)
def push_council(request: HttpRequest, slug: str, payload: PopoloIn) -> Status[CouncilImportOut]:
    """Push a Popolo document; all-or-nothing, idempotent by the source's ids.

    422 lists every problem (place and what is wrong); nothing is stored then.
    """
    organisation = authorised_organisation(request, slug, Perm.MANAGE_PARTICIPATION)
    user, label = actor_of(request)
    try:
        record = push_popolo(
            organisation=organisation, document=payload.model_dump(), by=user, by_label=label
        )
    except ImportRejectedError as rejected:
        raise ValidationError(
            {"body": [str(problem) for problem in rejected.problems]}
        ) from rejected
    return Status(201, _import(record))


def _import(record: CouncilImport) -> CouncilImportOut:
    return CouncilImportOut(
        import_id=record.pk,
        status=record.status,
        decisions_created=record.decisions_created,
        decisions_updated=record.decisions_updated,
        decisions_unchanged=record.decisions_unchanged,
        others_changed=record.others_changed,
        changed_anything=record.changed_anything,
    )
