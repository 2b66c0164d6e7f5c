"""Pure computations on votes: a party's position and how often two parties voted alike.

No database here: the selectors feed these functions plain values, and the tests check them by
hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

FOR, AGAINST, ABSTAIN, ABSENT, SPLIT = "for", "against", "abstain", "absent", "split"
CHOICES = (FOR, AGAINST, ABSTAIN, ABSENT)
# A party "voted" when it was present: absent parties are left out of the comparison.
VOTED = frozenset({FOR, AGAINST, ABSTAIN, SPLIT})


def tally(choices: Iterable[str]) -> dict[str, int]:
    """Count member choices per option (every option present, zero when nobody chose it)."""
    counts = dict.fromkeys(CHOICES, 0)
    for choice in choices:
        counts[choice] += 1
    return counts


def party_position(counts: Mapping[str, int]) -> str:
    """A party's position from its members' votes.

    The one choice of every member present (for, against or abstain); ``split`` when members
    present chose differently; ``absent`` when nobody was present.
    """
    present = {choice: counts.get(choice, 0) for choice in (FOR, AGAINST, ABSTAIN)}
    chosen = [choice for choice, n in present.items() if n > 0]
    if not chosen:
        return ABSENT
    return chosen[0] if len(chosen) == 1 else SPLIT


@dataclass(frozen=True)
class Agreement:
    """How two parties compare: decisions where both voted, and on how many alike."""

    both_voted: int
    alike: int

    @property
    def share(self) -> float | None:
        """The share alike (0 to 1), or None when they never both voted."""
        return self.alike / self.both_voted if self.both_voted else None


def agreement_matrix(
    positions: Iterable[Mapping[str, str]], parties: Sequence[str]
) -> dict[tuple[str, str], Agreement]:
    """Agreement of every ordered pair of ``parties`` over decisions.

    ``positions`` holds one mapping per decision: party -> position. A pair counts a decision
    when both parties voted (present: for, against, abstain or split); they voted alike when
    both took the same position and neither was split (a split party agrees with no one).
    The matrix is symmetric; a party compared with itself counts the decisions it voted on.
    """
    both: dict[tuple[str, str], int] = {}
    alike: dict[tuple[str, str], int] = {}
    own: dict[str, int] = dict.fromkeys(parties, 0)
    wanted = set(parties)
    for decision in positions:
        voted = sorted(p for p, pos in decision.items() if p in wanted and pos in VOTED)
        for party in voted:
            own[party] += 1
        for a, b in combinations(voted, 2):
            both[(a, b)] = both.get((a, b), 0) + 1
            if decision[a] == decision[b] and decision[a] != SPLIT:
                alike[(a, b)] = alike.get((a, b), 0) + 1
    matrix: dict[tuple[str, str], Agreement] = {}
    for a in parties:
        for b in parties:
            if a == b:
                matrix[(a, b)] = Agreement(own[a], own[a])
                continue
            key = (a, b) if a < b else (b, a)
            matrix[(a, b)] = Agreement(both.get(key, 0), alike.get(key, 0))
    return matrix
