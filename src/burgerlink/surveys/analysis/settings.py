"""Settings shared by every estimate of a run: confidence, variance method, small-group rule."""

from __future__ import annotations

from dataclasses import dataclass, field

from burgerlink.surveys.analysis._common import VarianceMethod, check_confidence

GRADE_CATEGORIES: tuple[float, ...] = tuple(float(grade) for grade in range(1, 11))


@dataclass(frozen=True)
class SmallGroupRule:
    """When a group is too small: hidden below ``hide_below`` answers, flagged below ``flag_below``."""

    hide_below: int = 30
    flag_below: int = 100

    def __post_init__(self) -> None:
        """Reject negative thresholds."""
        if self.hide_below < 0 or self.flag_below < 0:
            raise ValueError("small-group thresholds must not be negative")


NO_SUPPRESSION = SmallGroupRule(hide_below=0, flag_below=0)


@dataclass(frozen=True)
class EstimateSettings:
    """How intervals are computed and small groups treated (shared by every estimate of a run)."""

    confidence: float = 0.95
    variance: VarianceMethod = "linearisation"
    small_groups: SmallGroupRule = field(default_factory=SmallGroupRule)

    def __post_init__(self) -> None:
        """Validate the confidence level and the variance method."""
        check_confidence(self.confidence)
        if self.variance not in ("linearisation", "kish"):
            raise ValueError(f"unknown variance method {self.variance!r}")
