"""Comparisons between waves and between groups: the weighted Welch t-test.

For two independent estimates with variances ``v_a``, ``v_b`` (squared standard errors from
``estimates``: linearisation or Kish, with population correction if any) and degrees of freedom
``df_a``, ``df_b``: ``t = (ȳ_a - ȳ_b) / √(v_a + v_b)`` with Welch-Satterthwaite degrees of
freedom ``df = (v_a + v_b)² / (v_a²/df_a + v_b²/df_b)`` and a two-sided p-value; significant
when ``p < alpha`` (default 0.05). With equal weights this is exactly Welch's unequal-variance
t-test (``scipy.stats.ttest_ind(equal_var=False)``). A suppressed or undefined estimate gives a
NaN result that is never significant.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from burgerlink.surveys.analysis._common import (
    Label,
    VarianceMethod,
    python_label,
    python_number,
    t_quantile,
    t_two_sided_p,
)
from burgerlink.surveys.analysis.estimates import weighted_mean_ci
from burgerlink.surveys.analysis.results import GradeEstimate, GroupedEstimates, MeanEstimate
from burgerlink.surveys.analysis.settings import NO_SUPPRESSION
from burgerlink.surveys.analysis.wave import WaveResult


@dataclass(frozen=True)
class WelchResult:
    """Difference of two means (first minus second) with Welch's test."""

    difference: float
    se: float
    t: float
    df: float
    p_value: float
    alpha: float
    significant: bool
    ci_low: float
    ci_high: float
    n_a: int
    n_b: int

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape (NaN → None)."""
        return {
            "difference": python_number(self.difference),
            "se": python_number(self.se),
            "t": python_number(self.t),
            "df": python_number(self.df),
            "p_value": python_number(self.p_value),
            "alpha": self.alpha,
            "significant": self.significant,
            "ci_low": python_number(self.ci_low),
            "ci_high": python_number(self.ci_high),
            "n_a": self.n_a,
            "n_b": self.n_b,
        }


def _check_alpha(alpha: float) -> float:
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha}")
    return float(alpha)


def welch_from_moments(
    mean_a: float,
    se_a: float,
    df_a: float,
    n_a: int,
    mean_b: float,
    se_b: float,
    df_b: float,
    n_b: int,
    *,
    alpha: float = 0.05,
) -> WelchResult:
    """Return Welch's test from two means, their standard errors and degrees of freedom."""
    alpha = _check_alpha(alpha)
    var_a, var_b = se_a * se_a, se_b * se_b
    difference = mean_a - mean_b
    se = math.sqrt(var_a + var_b) if math.isfinite(var_a + var_b) else math.nan
    usable = math.isfinite(difference) and math.isfinite(se) and df_a > 0 and df_b > 0
    if not usable:
        return WelchResult(
            difference if math.isfinite(difference) else math.nan,
            math.nan,
            math.nan,
            math.nan,
            math.nan,
            alpha,
            False,
            math.nan,
            math.nan,
            n_a,
            n_b,
        )
    denominator = var_a * var_a / df_a + var_b * var_b / df_b
    df = (var_a + var_b) ** 2 / denominator if denominator > 0 else math.inf
    if se > 0:
        t = difference / se
        p = t_two_sided_p(t, df) if math.isfinite(df) else math.nan
    else:
        t = math.copysign(math.inf, difference) if difference else math.nan
        p = 0.0 if difference else 1.0
    half = float(t_quantile(1.0 - alpha, np.array([df]))[0]) * se if math.isfinite(df) else math.nan
    return WelchResult(
        difference=difference,
        se=se,
        t=t,
        df=df,
        p_value=p,
        alpha=alpha,
        significant=bool(math.isfinite(p) and p < alpha),
        ci_low=difference - half,
        ci_high=difference + half,
        n_a=n_a,
        n_b=n_b,
    )


def welch_from_estimates(
    first: MeanEstimate | GradeEstimate,
    second: MeanEstimate | GradeEstimate,
    *,
    alpha: float = 0.05,
) -> WelchResult:
    """Return Welch's test of ``first.mean - second.mean`` from two published estimates."""
    a = first.mean if isinstance(first, GradeEstimate) else first
    b = second.mean if isinstance(second, GradeEstimate) else second
    return welch_from_moments(a.mean, a.se, a.df, a.n, b.mean, b.se, b.df, b.n, alpha=alpha)


def welch_test(
    first: npt.ArrayLike,
    second: npt.ArrayLike,
    weights_first: npt.ArrayLike | None = None,
    weights_second: npt.ArrayLike | None = None,
    *,
    alpha: float = 0.05,
    variance: VarianceMethod = "linearisation",
) -> WelchResult:
    """Return the weighted Welch test of the difference between two samples' means.

    No small-group suppression here: the caller asked for this test on these data.
    """
    a = weighted_mean_ci(first, weights_first, variance=variance, small_groups=NO_SUPPRESSION)
    b = weighted_mean_ci(second, weights_second, variance=variance, small_groups=NO_SUPPRESSION)
    return welch_from_estimates(a, b, alpha=alpha)


def compare_groups(
    estimates: GroupedEstimates, first: Label, second: Label, *, alpha: float = 0.05
) -> WelchResult:
    """Return Welch's test between two groups of one level (e.g. two organisations)."""
    return welch_from_estimates(estimates.estimate(first), estimates.estimate(second), alpha=alpha)


@dataclass(frozen=True)
class WaveComparison:
    """One variable of one group compared between two waves (current minus previous)."""

    level: str
    group: Label
    variable: str
    result: WelchResult

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape."""
        return {
            "level": self.level,
            "group": python_label(self.group),
            "variable": self.variable,
            **self.result.to_dict(),
        }


def compare_waves(
    current: WaveResult, previous: WaveResult, *, alpha: float = 0.05
) -> list[WaveComparison]:
    """Compare every (level, group, variable) present in both waves.

    Waves must share the questionnaire's variable codes; groups and variables found in only
    one wave are skipped.
    """
    return list(_wave_pairs(current, previous, alpha))


def _wave_pairs(
    current: WaveResult, previous: WaveResult, alpha: float
) -> Iterator[WaveComparison]:
    for level, now in current.levels.items():
        before = previous.levels.get(level)
        if before is None:
            continue
        earlier = {label: i for i, label in enumerate(before.labels)}
        for variable, estimates in now.variables.items():
            old = before.variables.get(variable)
            if old is None:
                continue
            for position, label in enumerate(now.labels):
                if label not in earlier:
                    continue
                result = welch_from_estimates(
                    estimates.estimate_at(position),
                    old.estimate_at(earlier[label]),
                    alpha=alpha,
                )
                yield WaveComparison(level, label, variable, result)
