"""The BurgerServiceCode scorecard of an organisation, fed by several evidence sources.

Capabilities register an ``EvidenceSource`` in their ``AppConfig.ready``; the scorecard asks each
for its evidence per norm. This registry is the one-way seam through which ``core`` learns of
results from other apps without importing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from burgerlink.core.models import Norm, Organisation


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about how well an organisation meets one norm."""

    norm_number: int
    source: str
    label: str
    score: float | None = None
    detail: str = ""
    url: str = ""
    as_of: date | None = None


class EvidenceSource(Protocol):
    """Something that can tell, per norm, how an organisation is doing."""

    @property
    def code(self) -> str:
        """A stable identifier of the source."""
        ...

    @property
    def label(self) -> str | Promise:
        """The source's name as shown to citizens."""
        ...

    def evidence(self, organisation: Organisation) -> list[Evidence]:
        """Return the evidence this source has for the organisation (public facts only)."""
        ...


_SOURCES: dict[str, EvidenceSource] = {}


def register_source(source: EvidenceSource) -> None:
    """Add (or replace, by code) an evidence source."""
    _SOURCES[source.code] = source


def registered_sources() -> list[EvidenceSource]:
    """Return the registered evidence sources in registration order."""
    return list(_SOURCES.values())


@dataclass
class NormCard:
    """A norm with all evidence about it and a combined score."""

    norm: Norm
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        """The mean of the scored evidence (each source counts once), or None."""
        by_source: dict[str, list[float]] = {}
        for item in self.evidence:
            if item.score is not None:
                by_source.setdefault(item.source, []).append(item.score)
        if not by_source:
            return None
        means = [sum(scores) / len(scores) for scores in by_source.values()]
        return sum(means) / len(means)


def build_scorecard(organisation: Organisation, norms: list[Norm]) -> list[NormCard]:
    """Collect every source's evidence for the organisation, grouped by norm."""
    cards = {norm.number: NormCard(norm=norm) for norm in norms}
    for source in registered_sources():
        for item in source.evidence(organisation):
            if item.norm_number in cards:
                cards[item.norm_number].evidence.append(item)
    return [cards[number] for number in sorted(cards)]


class SelfAssessmentSource:
    """Evidence from the organisation's latest published self-assessment."""

    code = "self_assessment"
    label = _("Zelfevaluatie")

    def evidence(self, organisation: Organisation) -> list[Evidence]:
        """Return one item per norm with the checklist score of the latest publication."""
        from burgerlink.core import selectors

        assessment = selectors.latest_published_assessment(organisation)
        if assessment is None or assessment.published_at is None:
            return []
        scores = selectors.assessment_scores(assessment)
        as_of = assessment.published_at.date()
        return [
            Evidence(
                norm_number=number,
                source=self.code,
                label=str(self.label),
                score=score,
                detail=str(_("Checklist van de zelfevaluatie")),
                as_of=as_of,
            )
            for number, score in scores.items()
        ]
