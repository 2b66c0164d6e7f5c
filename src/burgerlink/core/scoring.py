"""Pure scoring of a self-assessment: yes counts 1, partly ½, no 0; unanswered items don't count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

ANSWER_VALUES: dict[str, float] = {"yes": 1.0, "partly": 0.5, "no": 0.0}


def norm_scores(answers: Iterable[tuple[int, str]]) -> dict[int, float | None]:
    """Return per norm number the share (0–1) of the checklist met, or None if nothing answered.

    ``answers`` holds (norm number, answer) pairs; an empty answer means "not answered yet".
    """
    totals: dict[int, list[float]] = defaultdict(list)
    seen: set[int] = set()
    for number, answer in answers:
        seen.add(number)
        if answer in ANSWER_VALUES:
            totals[number].append(ANSWER_VALUES[answer])
    return {
        number: (sum(totals[number]) / len(totals[number]) if totals[number] else None)
        for number in sorted(seen)
    }


def overall_score(scores: dict[int, float | None]) -> float | None:
    """Return the mean of the norms that have a score, or None when none has."""
    known = [score for score in scores.values() if score is not None]
    return sum(known) / len(known) if known else None
