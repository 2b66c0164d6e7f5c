"""Weighted means with t intervals, shares with Wilson intervals, distributions, small groups.

Every estimator here works on groups at once: answers, weights and a group code per row go in,
one value per group comes out (``GroupedEstimates``); the one-sample functions
(``weighted_mean_ci``, ``share_ci``, ``grade_estimate``, ``distribution``) are the one-group case
of the same code. Formulas (``w`` weights, ``y`` answers of one group, NaN answers left out):

* mean ``ȳ = Σwy / Σw``; Kish effective n ``n_eff = (Σw)² / Σw²``.
* variance of the mean, ``variance="linearisation"`` (default; the sandwich / Taylor estimator of a
  ratio mean, as R ``survey::svymean`` and Stata ``svy: mean`` compute it for a one-stage design):
  ``v = n/(n-1) · Σ w²(y-ȳ)² / (Σw)²`` with ``df = n - 1``. With clusters (one respondent grading
  several organisations) the residuals are summed per cluster first:
  ``v = m/(m-1) · Σ_c (Σ_{i∈c} w e)² / (Σw)²``, ``df = m - 1`` (``m`` clusters).
* ``variance="kish"``: ``v = [Σw(y-ȳ)²/Σw] / (n_eff - 1)`` with ``df = n_eff - 1``: the weighted
  variance over the effective sample size (equal to statsmodels ``DescrStatsW`` with the weights
  rescaled to sum to ``n_eff``).
* With equal weights both equal the classic ``s² / n`` with ``df = n - 1``.
* Finite-population correction when the population size ``N`` is known: ``v · (1 - n/N)``.
* Interval ``ȳ ± t(df, (1+confidence)/2) · √v``.
* Share at or above a threshold (satisfied: grade ≥ 7) ``p = Σw[y≥t] / Σw`` with a Wilson interval
  on the effective sample size ``n* = n_eff / (1 - n/N)`` (``n_eff`` without a population size).
  With clusters (rows of one respondent) the share's effective n is ``p(1-p) / v`` with ``v``
  the cluster-robust linearisation variance of the share, ``m/(m-1) · Σ_c (Σ_{i∈c}
  w(1[y≥t] - p))² / (Σw)²``: the same estimator as the mean's interval, so both intervals
  account for the clustering alike (``moments.clustered_share_n_eff``).
* Population correction on sampled rows only (``estimate_levels(..., sampled=...)``): with
  ``n_s`` answers drawn from the sampled population, ``f = 1 - n_s/N`` multiplies their part
  of ``Σw²e²`` and of ``Σw²`` (for the share's effective n); open-link, paper and imported
  answers keep theirs whole.
* Small groups: ``suppressed`` when ``n < hide_below`` (mean, intervals, shares become NaN; ``n``
  and ``n_eff`` stay), ``flagged`` when ``n < flag_below``.

Rows whose weight is 0 count as not answered. A variable with known answer categories (grades
1-10, scales 1-5, yes/no 0-1) is reduced to a table per group and category of counts, sums of
weights and sums of squared weights (three ``np.bincount`` calls); every statistic and the
distribution follow from that table exactly. Values outside the categories make the variable fall
back to the general path (residuals per row), which gives the same numbers more slowly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from burgerlink.surveys.analysis._common import (
    FloatArray,
    IntArray,
    VarianceMethod,
    as_values,
    as_weights,
    check_confidence,
)
from burgerlink.surveys.analysis.moments import (
    WeightArrays,
    category_tables,
    clustered_share_n_eff,
    estimate_variable,
    finalise,
    general_moments,
    indicator,
    wilson_bounds,
)
from burgerlink.surveys.analysis.results import (
    Distribution,
    GradeEstimate,
    GroupedDistribution,
    GroupedEstimates,
    MeanEstimate,
    ShareEstimate,
)
from burgerlink.surveys.analysis.settings import (
    GRADE_CATEGORIES,
    NO_SUPPRESSION,
    EstimateSettings,
    SmallGroupRule,
)

__all__ = [
    "GRADE_CATEGORIES",
    "NO_SUPPRESSION",
    "Distribution",
    "EstimateSettings",
    "GradeEstimate",
    "GroupedDistribution",
    "GroupedEstimates",
    "MeanEstimate",
    "ShareEstimate",
    "SmallGroupRule",
    "distribution",
    "grade_estimate",
    "share_ci",
    "weighted_mean_ci",
    "wilson_interval",
]


def _clusters_of(clusters: npt.ArrayLike, size: int) -> IntArray:
    array = np.asarray(clusters)
    if array.shape != (size,):
        raise ValueError(f"clusters must have shape ({size},), got {array.shape}")
    if (
        np.issubdtype(array.dtype, np.integer)
        and size
        and array.min() >= 0
        and array.max() < 4 * size + 1024
    ):
        return array.astype(np.intp)
    _, inverse = np.unique(array, return_inverse=True)
    return inverse.astype(np.intp).reshape(size)


def grade_estimate(
    values: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    threshold: float = 7.0,
    categories: Sequence[float] | None = None,
    settings: EstimateSettings | None = None,
    population_size: float | None = None,
    clusters: npt.ArrayLike | None = None,
) -> GradeEstimate:
    """Return the weighted mean (t interval) and share ≥ ``threshold`` (Wilson) of one sample.

    ``categories`` (e.g. grades 1-10) enables the fast exact table path; ``clusters`` (one id per
    row: rows of one respondent) makes the linearisation variance cluster-robust.
    """
    settings = settings or EstimateSettings()
    y = as_values(values)
    prepared = WeightArrays.of(as_weights(weights, y.size))
    population = None if population_size is None else np.array([float(population_size)])
    if clusters is not None:
        if settings.variance != "linearisation":
            raise ValueError("clusters need variance='linearisation'")
        codes = _clusters_of(clusters, y.size)
        moments = general_moments(y, None, 1, prepared, threshold, clusters=codes)
        share_moments = general_moments(
            indicator(y, threshold), None, 1, prepared, threshold, clusters=codes
        )
        by_rows = general_moments(y, None, 1, prepared, threshold)
        moments = replace(
            moments,
            share_n_eff=clustered_share_n_eff(moments, share_moments.ss_w2, by_rows.ss_w2),
        )
        result = finalise(
            moments,
            labels=("all",),
            settings=settings,
            threshold=threshold,
            population=population,
        )
        return result.estimate_at(0)
    result, _ = estimate_variable(
        y,
        None,
        1,
        prepared,
        labels=("all",),
        settings=settings,
        threshold=threshold,
        categories=None if categories is None else _categories(categories),
        population=population,
    )
    return result.estimate_at(0)


def weighted_mean_ci(
    values: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    confidence: float = 0.95,
    population_size: float | None = None,
    variance: VarianceMethod = "linearisation",
    clusters: npt.ArrayLike | None = None,
    small_groups: SmallGroupRule | None = None,
) -> MeanEstimate:
    """Return the weighted mean with its t interval (see the module docstring for the formulas)."""
    settings = EstimateSettings(
        confidence=confidence,
        variance=variance,
        small_groups=small_groups or SmallGroupRule(),
    )
    return grade_estimate(
        values,
        weights,
        settings=settings,
        population_size=population_size,
        clusters=clusters,
    ).mean


def share_ci(
    values: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    threshold: float = 7.0,
    confidence: float = 0.95,
    population_size: float | None = None,
    small_groups: SmallGroupRule | None = None,
) -> ShareEstimate:
    """Return the weighted share of answers ≥ ``threshold`` with its Wilson interval (on n_eff)."""
    settings = EstimateSettings(
        confidence=confidence, small_groups=small_groups or SmallGroupRule()
    )
    return grade_estimate(
        values,
        weights,
        threshold=threshold,
        settings=settings,
        population_size=population_size,
    ).share


def wilson_interval(share: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Return the Wilson score interval of a proportion ``share`` observed on ``n`` cases."""
    check_confidence(confidence)
    low, high = wilson_bounds(np.array([share]), np.array([float(n)]), confidence)
    return float(low[0]), float(high[0])


def distribution(
    values: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    categories: Sequence[float] = GRADE_CATEGORIES,
    small_groups: SmallGroupRule | None = None,
) -> Distribution:
    """Return counts, weighted counts and weighted shares per category (e.g. grades 1-10).

    Answers that are none of the categories are left out and counted in ``n_other``.
    """
    y = as_values(values)
    prepared = WeightArrays.of(as_weights(weights, y.size))
    cats = _categories(categories)
    tables = category_tables(y, None, 1, prepared, cats)
    rule = small_groups or SmallGroupRule()
    n = int(tables.counts.sum())
    sum_w = float(tables.weights.sum())
    sum_w2 = float(tables.weights_sq.sum())
    n_eff = sum_w * sum_w / sum_w2 if sum_w2 > 0 else 0.0
    suppressed = n < rule.hide_below
    grouped = tables.distribution(np.array([suppressed]))
    return Distribution(
        categories=grouped.categories,
        counts=grouped.counts[0],
        weighted=grouped.weighted[0],
        shares=grouped.shares[0],
        n=n,
        n_eff=n_eff,
        n_other=tables.n_other,
        suppressed=suppressed,
        flagged=n < rule.flag_below,
    )


def _categories(categories: Sequence[float] | FloatArray) -> FloatArray:
    array = np.unique(np.asarray(categories, dtype=np.float64))
    if array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError("categories must be finite numbers")
    return array
