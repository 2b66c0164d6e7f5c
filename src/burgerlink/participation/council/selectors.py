"""Reads of the council area, always within one organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.db import connections
from django.db.models import Count, Q, QuerySet

from burgerlink.core.models import Organisation
from burgerlink.participation.council import engine
from burgerlink.participation.models import (
    Council,
    CouncilImport,
    CouncilMember,
    Decision,
    MemberVote,
    Party,
    PartyVote,
)


def council_of(organisation: Organisation) -> Council | None:
    """The organisation's council, or None before anything was imported."""
    return Council.objects.filter(organisation=organisation).first()


def parties(organisation: Organisation) -> list[Party]:
    """The organisation's parties, by name."""
    return list(Party.objects.filter(organisation=organisation).order_by("name"))


def party(organisation: Organisation, pk: int) -> Party | None:
    """One party of the organisation (None for another organisation's)."""
    return Party.objects.filter(organisation=organisation, pk=pk).first()


@dataclass(frozen=True)
class DecisionFilters:
    """What a list of decisions is narrowed to; empty values do not narrow."""

    query: str = ""
    kind: str = ""
    result: str = ""
    party_id: int | None = None
    position: str = ""
    date_from: date | None = None
    date_to: date | None = None


def decisions(
    organisation: Organisation, filters: DecisionFilters | None = None
) -> QuerySet[Decision]:
    """The organisation's decisions, newest first (best match first when searching)."""
    filters = filters or DecisionFilters()
    rows = Decision.objects.filter(organisation=organisation)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.result:
        rows = rows.filter(result=filters.result)
    if filters.date_from:
        rows = rows.filter(date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(date__lte=filters.date_to)
    if filters.party_id is not None:
        voted = PartyVote.objects.filter(party_id=filters.party_id)
        if filters.position:
            voted = voted.filter(position=filters.position)
        rows = rows.filter(pk__in=voted.values("decision_id"))
    if filters.query.strip():
        return search(rows, filters.query)
    return rows.order_by("-date", "-pk")


# --- full-text search ---------------------------------------------------------------------------


@cache
def text_search_config(alias: str) -> str:
    """PostgreSQL's Dutch text search configuration when the server has it, else ``simple``."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'dutch'")
        return "dutch" if cursor.fetchone() else "simple"


def search(rows: QuerySet[Decision], text: str) -> QuerySet[Decision]:
    """``rows`` that match ``text`` in title or text, best match first.

    PostgreSQL: full-text search with the Dutch configuration (stems, so "bomen" finds "boom";
    web-search syntax: "quoted phrases", or, -not), the title weighing more than the text.
    Other databases (SQLite in development): every word must occur in the title or the text,
    case-insensitively; newest first.
    """
    if connections[rows.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        config = text_search_config(rows.db)
        vector = SearchVector("title", weight="A", config=config) + SearchVector(
            "text", weight="B", config=config
        )
        query = SearchQuery(text, search_type="websearch", config=config)
        return (
            rows.annotate(document=vector)
            .filter(document=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-date", "-pk")
        )
    for word in text.split():
        rows = rows.filter(Q(title__icontains=word) | Q(text__icontains=word))
    return rows.order_by("-date", "-pk")


# --- one decision ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionDetail:
    """A decision with its parties' and members' votes."""

    decision: Decision
    party_votes: list[PartyVote]
    member_votes: list[MemberVote]


def decision_detail(organisation: Organisation, pk: int) -> DecisionDetail | None:
    """One decision of the organisation with every vote (None when it is not theirs)."""
    decision = (
        Decision.objects.filter(organisation=organisation, pk=pk).select_related("meeting").first()
    )
    if decision is None:
        return None
    return DecisionDetail(
        decision,
        list(decision.party_votes.select_related("party").order_by("party__name")),
        list(
            decision.member_votes.select_related("member", "party").order_by(
                "party__name", "member__name"
            )
        ),
    )


# --- a party's record ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyRecord:
    """How often a party took each position, and how often it was on the winning side."""

    positions: dict[str, int]
    voted: int
    with_majority: int
    members: list[CouncilMember] = field(default_factory=list)

    @property
    def share_with_majority(self) -> float | None:
        """Share of the votes it took part in where it voted like the result (0 to 1)."""
        return self.with_majority / self.voted if self.voted else None


def party_record(party: Party) -> PartyRecord:
    """A party's positions counted over all decisions it has a vote on."""
    counts = dict(
        PartyVote.objects.filter(party=party)
        .values_list("position")
        .annotate(n=Count("pk"))
        .values_list("position", "n")
    )
    positions = {position: counts.get(position, 0) for position in (*engine.CHOICES, engine.SPLIT)}
    with_majority = PartyVote.objects.filter(
        Q(position=engine.FOR, decision__result="adopted")
        | Q(position=engine.AGAINST, decision__result="rejected"),
        party=party,
    ).count()
    voted = positions[engine.FOR] + positions[engine.AGAINST]
    members = list(
        CouncilMember.objects.filter(memberships__party=party).distinct().order_by("name")
    )
    return PartyRecord(positions, voted, with_majority, members)


def party_votes(party: Party) -> QuerySet[PartyVote]:
    """A party's votes, newest decision first."""
    return (
        PartyVote.objects.filter(party=party)
        .select_related("decision")
        .order_by("-decision__date", "-decision__pk")
    )


# --- the agreement matrix -----------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    """One pair of parties in the matrix."""

    party: Party
    agreement: engine.Agreement

    @property
    def bucket(self) -> int:
        """The share alike rounded down to tens (0-10), for the cell's shade; -1 without data."""
        share = self.agreement.share
        return -1 if share is None else int(share * 10)


@dataclass(frozen=True)
class Matrix:
    """Agreement between every two parties, row by row in the order of ``parties``."""

    parties: list[Party]
    rows: list[tuple[Party, list[MatrixCell]]]
    decisions: int


def party_matrix(organisation: Organisation, filters: DecisionFilters | None = None) -> Matrix:
    """How often each two parties voted alike, over the organisation's (filtered) decisions."""
    all_parties = parties(organisation)
    chosen = decisions(organisation, filters).values("pk") if filters else None
    votes = PartyVote.objects.filter(organisation=organisation)
    if chosen is not None:
        votes = votes.filter(decision_id__in=chosen)
    per_decision: dict[int, dict[str, str]] = {}
    for decision_id, party_id, position in votes.values_list("decision_id", "party_id", "position"):
        per_decision.setdefault(decision_id, {})[str(party_id)] = position
    keys = [str(p.pk) for p in all_parties]
    matrix = engine.agreement_matrix(per_decision.values(), keys)
    rows = [
        (a, [MatrixCell(b, matrix[(str(a.pk), str(b.pk))]) for b in all_parties])
        for a in all_parties
    ]
    return Matrix(all_parties, rows, len(per_decision))


def import_history(organisation: Organisation) -> QuerySet[CouncilImport]:
    """The organisation's council imports, newest first."""
    return CouncilImport.objects.filter(organisation=organisation).select_related("created_by")


def import_record(organisation: Organisation, pk: int) -> CouncilImport | None:
    """One import of the organisation (None for another organisation's)."""
    return CouncilImport.objects.filter(organisation=organisation, pk=pk).first()


def agreement_pairs(matrix: Matrix) -> Sequence[tuple[Party, Party, engine.Agreement]]:
    """Every pair of different parties once, most alike first (pairs without data last)."""
    pairs = [
        (a, cell.party, cell.agreement)
        for i, (a, cells) in enumerate(matrix.rows)
        for cell in cells[i + 1 :]
    ]
    return sorted(pairs, key=lambda p: (p[2].share is None, -(p[2].share or 0), p[0].name))
