"""The words sources use for kinds, results and vote options, mapped to ours.

Popolo's code lists (``yes``, ``no``, ``abstain``, ``absent``, ``not voting``, ``paired``;
``pass`` and ``fail``) and the Dutch words a clerk types in a CSV file.
"""

from __future__ import annotations

KINDS = {
    "motion": "motion",
    "motie": "motion",
    "amendment": "amendment",
    "amendement": "amendment",
    "proposal": "proposal",
    "bill": "proposal",
    "raadsvoorstel": "proposal",
    "voorstel": "proposal",
    "besluit": "proposal",
}
RESULTS = {
    "pass": "adopted",
    "passed": "adopted",
    "adopted": "adopted",
    "aangenomen": "adopted",
    "fail": "rejected",
    "failed": "rejected",
    "rejected": "rejected",
    "verworpen": "rejected",
}
OPTIONS = {
    "yes": "for",
    "for": "for",
    "voor": "for",
    "no": "against",
    "against": "against",
    "tegen": "against",
    "abstain": "abstain",
    "onthouden": "abstain",
    "onthouding": "abstain",
    "absent": "absent",
    "afwezig": "absent",
    "not voting": "absent",
    "paired": "absent",
}
# A party's position may also be split (only for party rows in a CSV file).
POSITIONS = {**OPTIONS, "split": "split", "verdeeld": "split"}
PARTY_CLASSIFICATIONS = {"party", "political party", "fractie", "partij"}
COUNCIL_CLASSIFICATIONS = {"council", "legislature", "chamber", "gemeenteraad", "raad"}


def known(words: dict[str, str]) -> str:
    """The accepted words, for an error message."""
    return ", ".join(sorted(words))
