"""Council data as read from a file or an API push, before it is stored.

Both readers (Popolo JSON and CSV) produce one ``CouncilData``; the import service stores it.
Everything is keyed by the source's identifiers, so the same data read twice is equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PartyData:
    """A party (fractie)."""

    source_id: str
    name: str
    abbreviation: str = ""


@dataclass(frozen=True)
class MemberData:
    """A council member."""

    source_id: str
    name: str


@dataclass(frozen=True)
class MembershipData:
    """A member's membership of a party over a period (either end may be unknown)."""

    member: str
    party: str
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class MeetingData:
    """A council meeting."""

    source_id: str
    date: date
    name: str = ""


@dataclass(frozen=True)
class PartyCount:
    """A party's votes on a decision when the source gives only counts (or only a position)."""

    party: str
    position: str
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    votes_absent: int = 0


@dataclass
class DecisionData:
    """A decision with its totals, its members' votes and its parties' counts."""

    source_id: str
    kind: str
    title: str
    text: str
    date: date
    result: str
    meeting: str = ""
    links: list[dict[str, str]] = field(default_factory=list)
    # member source id -> (choice, party source id or "")
    votes: dict[str, tuple[str, str]] = field(default_factory=dict)
    party_counts: dict[str, PartyCount] = field(default_factory=dict)
    totals: dict[str, int] | None = None


@dataclass
class CouncilData:
    """Everything one file or push says about a council."""

    council_name: str = ""
    council_source_id: str = ""
    parties: dict[str, PartyData] = field(default_factory=dict)
    members: dict[str, MemberData] = field(default_factory=dict)
    memberships: list[MembershipData] = field(default_factory=list)
    meetings: dict[str, MeetingData] = field(default_factory=dict)
    decisions: dict[str, DecisionData] = field(default_factory=dict)
