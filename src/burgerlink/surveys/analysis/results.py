"""Result types of the estimates: one group (``GradeEstimate``) or many (``GroupedEstimates``).

Suppressed or undefined figures are NaN in the dataclasses and ``None`` in their JSON shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from burgerlink.surveys.analysis._common import (
    BoolArray,
    FloatArray,
    IntArray,
    Label,
    python_label,
    python_list,
    python_number,
)


@dataclass(frozen=True)
class MeanEstimate:
    """A weighted mean with its t interval; NaN where suppressed or undefined."""

    n: int
    n_eff: float
    mean: float
    se: float
    df: float
    ci_low: float
    ci_high: float
    confidence: float
    fpc: float
    suppressed: bool
    flagged: bool


@dataclass(frozen=True)
class ShareEstimate:
    """The weighted share of answers at or above ``threshold`` with its Wilson interval.

    ``n_eff`` is the effective n the interval rests on: Kish's over the population correction,
    or, for clustered rows, the one of the share's cluster-robust variance.
    """

    n: int
    n_eff: float
    share: float
    ci_low: float
    ci_high: float
    threshold: float
    confidence: float
    suppressed: bool
    flagged: bool


@dataclass(frozen=True)
class GradeEstimate:
    """Mean and share satisfied of one variable in one group."""

    mean: MeanEstimate
    share: ShareEstimate

    @property
    def n(self) -> int:
        """Answers counted (non-missing, positive weight)."""
        return self.mean.n

    @property
    def n_eff(self) -> float:
        """Kish effective sample size."""
        return self.mean.n_eff

    @property
    def suppressed(self) -> bool:
        """Whether the group is too small to show."""
        return self.mean.suppressed

    @property
    def flagged(self) -> bool:
        """Whether the group is small enough to warrant a caution mark."""
        return self.mean.flagged

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of one group's estimate (NaN → None)."""
        return _record(
            n=self.n,
            n_eff=self.n_eff,
            share_n_eff=self.share.n_eff,
            mean=self.mean.mean,
            se=self.mean.se,
            df=self.mean.df,
            ci_low=self.mean.ci_low,
            ci_high=self.mean.ci_high,
            share=self.share.share,
            share_low=self.share.ci_low,
            share_high=self.share.ci_high,
            suppressed=self.suppressed,
            flagged=self.flagged,
        )


@dataclass(frozen=True)
class Distribution:
    """Answer counts and weighted shares per category (counts -1, shares NaN where suppressed)."""

    categories: tuple[float, ...]
    counts: IntArray
    weighted: FloatArray
    shares: FloatArray
    n: int
    n_eff: float
    n_other: int
    suppressed: bool
    flagged: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape: categories, counts, weighted counts and shares (None if hidden)."""
        hidden = self.suppressed
        return {
            "categories": python_list(self.categories),
            "counts": None if hidden else python_list(self.counts),
            "weighted": None if hidden else python_list(self.weighted),
            "shares": None if hidden else python_list(self.shares),
            "n": self.n,
            "n_eff": python_number(self.n_eff),
            "n_other": self.n_other,
            "suppressed": self.suppressed,
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class GroupedDistribution:
    """Per group (rows) and category (columns): counts, weighted counts and weighted shares.

    Rows of suppressed groups hold counts of -1 and NaN weighted counts and shares.
    """

    categories: tuple[float, ...]
    counts: IntArray
    weighted: FloatArray
    shares: FloatArray
    n_other: int


@dataclass(frozen=True)
class GroupedEstimates:
    """Estimates of one variable for several groups, one array element per group (columnar).

    ``estimate(label)`` returns one group's ``GradeEstimate``; ``records()`` the JSON rows.
    """

    labels: tuple[Label, ...]
    n: IntArray
    n_eff: FloatArray
    share_n_eff: FloatArray
    sum_weights: FloatArray
    mean: FloatArray
    se: FloatArray
    df: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    share: FloatArray
    share_low: FloatArray
    share_high: FloatArray
    fpc: FloatArray
    suppressed: BoolArray
    flagged: BoolArray
    confidence: float
    threshold: float
    distribution: GroupedDistribution | None = None

    def __len__(self) -> int:
        """Number of groups."""
        return len(self.labels)

    def index(self, label: Label) -> int:
        """Return the position of group ``label`` (KeyError when absent)."""
        try:
            return self.labels.index(label)
        except ValueError:
            raise KeyError(label) from None

    def estimate(self, label: Label) -> GradeEstimate:
        """Return the estimate of group ``label``."""
        return self.estimate_at(self.index(label))

    def estimate_at(self, position: int) -> GradeEstimate:
        """Return the estimate of the group at ``position``."""
        i = position
        n = int(self.n[i])
        suppressed = bool(self.suppressed[i])
        flagged = bool(self.flagged[i])
        mean = MeanEstimate(
            n=n,
            n_eff=float(self.n_eff[i]),
            mean=float(self.mean[i]),
            se=float(self.se[i]),
            df=float(self.df[i]),
            ci_low=float(self.ci_low[i]),
            ci_high=float(self.ci_high[i]),
            confidence=self.confidence,
            fpc=float(self.fpc[i]),
            suppressed=suppressed,
            flagged=flagged,
        )
        share = ShareEstimate(
            n=n,
            n_eff=float(self.share_n_eff[i]),
            share=float(self.share[i]),
            ci_low=float(self.share_low[i]),
            ci_high=float(self.share_high[i]),
            threshold=self.threshold,
            confidence=self.confidence,
            suppressed=suppressed,
            flagged=flagged,
        )
        return GradeEstimate(mean=mean, share=share)

    def record_at(self, position: int, *, with_distribution: bool = True) -> dict[str, Any]:
        """Return the JSON shape of the group at ``position`` (NaN → None)."""
        i = position
        record = _record(
            n=int(self.n[i]),
            n_eff=self.n_eff[i],
            share_n_eff=self.share_n_eff[i],
            mean=self.mean[i],
            se=self.se[i],
            df=self.df[i],
            ci_low=self.ci_low[i],
            ci_high=self.ci_high[i],
            share=self.share[i],
            share_low=self.share_low[i],
            share_high=self.share_high[i],
            suppressed=bool(self.suppressed[i]),
            flagged=bool(self.flagged[i]),
        )
        if with_distribution and self.distribution is not None:
            table = self.distribution
            hidden = bool(self.suppressed[i])
            record["distribution"] = {
                "categories": python_list(table.categories),
                "counts": None if hidden else python_list(table.counts[i]),
                "shares": None if hidden else python_list(table.shares[i]),
            }
        return record

    def records(self, *, with_distribution: bool = True) -> list[dict[str, Any]]:
        """Return one JSON row per group, with its label under ``group``."""
        return [
            {"group": python_label(label), **self.record_at(i, with_distribution=with_distribution)}
            for i, label in enumerate(self.labels)
        ]


def _record(
    *,
    n: int,
    n_eff: Any,
    share_n_eff: Any,
    mean: Any,
    se: Any,
    df: Any,
    ci_low: Any,
    ci_high: Any,
    share: Any,
    share_low: Any,
    share_high: Any,
    suppressed: bool,
    flagged: bool,
) -> dict[str, Any]:
    return {
        "n": n,
        "n_eff": python_number(float(n_eff)),
        "mean": python_number(float(mean)),
        "se": python_number(float(se)),
        "df": python_number(float(df)),
        "ci_low": python_number(float(ci_low)),
        "ci_high": python_number(float(ci_high)),
        "share_satisfied": python_number(float(share)),
        "share_ci_low": python_number(float(share_low)),
        "share_ci_high": python_number(float(share_high)),
        "share_n_eff": python_number(float(share_n_eff)),
        "suppressed": suppressed,
        "flagged": flagged,
    }
