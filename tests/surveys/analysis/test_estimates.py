"""Means with t intervals, shares with Wilson intervals, distributions and small groups.

References: ``scipy.stats.t.interval`` (equal weights), statsmodels ``DescrStatsW`` (equal and
frequency weights; Kish variant), statsmodels ``WLS`` with HC1 standard errors (the
linearisation estimator of a weighted mean) and ``proportion_confint(method="wilson")``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from burgerlink.surveys.analysis import (
    NO_SUPPRESSION,
    EstimateSettings,
    SmallGroupRule,
    distribution,
    estimate_groups,
    grade_estimate,
    share_ci,
    weighted_mean_ci,
    wilson_interval,
)


def grades(size: int, seed: int = 1, missing: float = 0.05) -> np.ndarray:
    """Grades 1-10 with some "don't know" (NaN)."""
    rng = np.random.default_rng(seed)
    values = np.clip(np.rint(rng.normal(6.8, 1.6, size)), 1, 10)
    values[rng.random(size) < missing] = np.nan
    return values


def weights(size: int, seed: int = 2) -> np.ndarray:
    """Skewed positive weights."""
    return np.random.default_rng(seed).gamma(2.0, 0.5, size)


# --- the mean and its t interval --------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.95, 0.90, 0.99])
def test_equal_weights_give_the_classic_t_interval(confidence: float) -> None:
    y = grades(400)
    answered = y[~np.isnan(y)]
    expected = stats.t.interval(
        confidence,
        answered.size - 1,
        loc=answered.mean(),
        scale=answered.std(ddof=1) / math.sqrt(answered.size),
    )
    for variance in ("linearisation", "kish"):
        for w in (None, np.full(y.size, 2.5)):
            estimate = weighted_mean_ci(y, w, confidence=confidence, variance=variance)
            assert estimate.mean == pytest.approx(answered.mean(), rel=1e-12)
            assert estimate.df == answered.size - 1
            assert (estimate.ci_low, estimate.ci_high) == pytest.approx(expected, rel=1e-12)
            assert estimate.confidence == confidence


def test_equal_weights_match_descrstatsw() -> None:
    y = grades(300, seed=5)
    answered = y[~np.isnan(y)]
    reference = DescrStatsW(answered).tconfint_mean()
    estimate = weighted_mean_ci(y)
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx(reference, rel=1e-12)


def test_linearisation_standard_error_equals_wls_with_hc1() -> None:
    y = grades(800, seed=3)
    w = weights(800)
    answered = ~np.isnan(y)
    fit = sm.WLS(y[answered], np.ones(answered.sum()), weights=w[answered]).fit(cov_type="HC1")
    estimate = weighted_mean_ci(y, w)
    assert estimate.mean == pytest.approx(fit.params[0], rel=1e-12)
    assert estimate.se == pytest.approx(fit.bse[0], rel=1e-10)


def test_linearisation_interval_follows_the_documented_formula() -> None:
    y = grades(600, seed=4)
    w = weights(600, seed=9)
    keep = ~np.isnan(y)
    yy, ww = y[keep], w[keep]
    n = yy.size
    mean = np.sum(ww * yy) / np.sum(ww)
    variance = n / (n - 1) * np.sum(ww**2 * (yy - mean) ** 2) / np.sum(ww) ** 2
    half = stats.t.ppf(0.975, n - 1) * math.sqrt(variance)
    estimate = weighted_mean_ci(y, w)
    assert estimate.mean == pytest.approx(mean, rel=1e-12)
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx(
        (mean - half, mean + half), rel=1e-12
    )
    # DescrStatsW takes the weights as frequencies: same point estimate, a different interval.
    frequency = DescrStatsW(yy, weights=ww)
    assert frequency.mean == pytest.approx(estimate.mean, rel=1e-12)
    assert frequency.tconfint_mean() != pytest.approx((estimate.ci_low, estimate.ci_high))


def test_kish_variant_equals_descrstatsw_with_weights_scaled_to_n_eff() -> None:
    y = grades(500, seed=6)
    w = weights(500, seed=7)
    keep = ~np.isnan(y)
    yy, ww = y[keep], w[keep]
    n_eff = ww.sum() ** 2 / np.sum(ww**2)
    reference = DescrStatsW(yy, weights=ww * n_eff / ww.sum())
    estimate = weighted_mean_ci(y, w, variance="kish")
    assert estimate.n_eff == pytest.approx(n_eff, rel=1e-12)
    assert estimate.df == pytest.approx(n_eff - 1, rel=1e-12)
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx(
        reference.tconfint_mean(), rel=1e-12
    )


def test_integer_weights_as_repeated_rows_match_descrstatsw_frequency_weights() -> None:
    rng = np.random.default_rng(8)
    y = grades(200, seed=8, missing=0.0)
    counts = rng.integers(1, 4, y.size)
    expanded = np.repeat(y, counts)
    reference = DescrStatsW(y, weights=counts.astype(float)).tconfint_mean()
    estimate = weighted_mean_ci(expanded)
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx(reference, rel=1e-12)


def test_finite_population_correction_shrinks_the_standard_error() -> None:
    y = grades(500, seed=10)
    w = weights(500)
    n = int(np.count_nonzero(~np.isnan(y)))
    plain = weighted_mean_ci(y, w)
    corrected = weighted_mean_ci(y, w, population_size=2 * n)
    assert corrected.fpc == pytest.approx(0.5)
    assert corrected.se == pytest.approx(plain.se * math.sqrt(0.5), rel=1e-12)
    assert corrected.mean == plain.mean
    census = weighted_mean_ci(y, w, population_size=n)
    assert census.ci_low == census.ci_high == pytest.approx(census.mean)
    with pytest.raises(ValueError, match="population size"):
        weighted_mean_ci(y, w, population_size=n - 1)


def test_clustered_variance_sums_residuals_per_cluster() -> None:
    rng = np.random.default_rng(11)
    clusters = np.repeat(np.arange(150), 3)
    y = grades(clusters.size, seed=11)
    w = np.repeat(weights(150, seed=12), 3)
    keep = ~np.isnan(y)
    mean = np.sum(w[keep] * y[keep]) / np.sum(w[keep])
    totals = np.zeros(150)
    np.add.at(totals, clusters[keep], w[keep] * (y[keep] - mean))
    m = np.unique(clusters[keep]).size
    variance = m / (m - 1) * np.sum(totals**2) / np.sum(w[keep]) ** 2
    shuffled = rng.permutation(150)[clusters]  # any cluster ids work
    estimate = weighted_mean_ci(y, w, clusters=shuffled)
    assert estimate.se == pytest.approx(math.sqrt(variance), rel=1e-12)
    assert estimate.df == m - 1
    with pytest.raises(ValueError, match="linearisation"):
        weighted_mean_ci(y, w, clusters=clusters, variance="kish")


def test_degenerate_samples_give_nan_not_errors() -> None:
    one = weighted_mean_ci([7.0], small_groups=NO_SUPPRESSION)
    assert one.mean == 7.0
    assert math.isnan(one.se) and math.isnan(one.ci_low)
    empty = weighted_mean_ci([np.nan, np.nan], small_groups=NO_SUPPRESSION)
    assert empty.n == 0 and math.isnan(empty.mean)
    constant = weighted_mean_ci([8.0] * 40)
    assert constant.se == 0.0 and constant.ci_low == constant.ci_high == 8.0


def test_missing_answers_and_zero_weights_are_left_out() -> None:
    y = grades(300, seed=13)
    w = weights(300, seed=14)
    w[:40] = 0.0
    keep = ~np.isnan(y) & (w > 0)
    with_zeros = weighted_mean_ci(y, w)
    without = weighted_mean_ci(y[keep], w[keep])
    assert with_zeros.n == without.n == keep.sum()
    assert with_zeros.mean == pytest.approx(without.mean, rel=1e-12)
    assert with_zeros.se == pytest.approx(without.se, rel=1e-12)


def test_invalid_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="confidence"):
        weighted_mean_ci([1.0, 2.0], confidence=1.5)
    with pytest.raises(ValueError, match="weights"):
        weighted_mean_ci([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(ValueError, match="weights"):
        weighted_mean_ci([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="variance"):
        EstimateSettings(variance="bootstrap")  # type: ignore[arg-type]


# --- share satisfied and Wilson intervals -----------------------------------------------------


@pytest.mark.parametrize("threshold", [7.0, 8.0, 6.0])
def test_unweighted_share_has_the_wilson_interval_of_statsmodels(threshold: float) -> None:
    y = grades(350, seed=15)
    answered = y[~np.isnan(y)]
    count = int(np.sum(answered >= threshold))
    low, high = proportion_confint(count, answered.size, alpha=0.05, method="wilson")
    share = share_ci(y, threshold=threshold)
    assert share.share == pytest.approx(count / answered.size, rel=1e-12)
    assert (share.ci_low, share.ci_high) == pytest.approx((low, high), rel=1e-12)
    assert share.threshold == threshold


def test_weighted_share_uses_the_effective_sample_size() -> None:
    y = grades(500, seed=16)
    w = weights(500, seed=17)
    keep = ~np.isnan(y)
    yy, ww = y[keep], w[keep]
    p = np.sum(ww * (yy >= 7)) / ww.sum()
    n_eff = ww.sum() ** 2 / np.sum(ww**2)
    low, high = proportion_confint(p * n_eff, n_eff, alpha=0.10, method="wilson")
    share = share_ci(y, w, confidence=0.90)
    assert share.share == pytest.approx(p, rel=1e-12)
    assert share.n_eff == pytest.approx(n_eff, rel=1e-12)
    assert (share.ci_low, share.ci_high) == pytest.approx((low, high), rel=1e-12)


def test_wilson_interval_of_extreme_shares_stays_within_0_and_1() -> None:
    low, high = wilson_interval(0.0, 50)
    assert low == pytest.approx(0.0, abs=1e-15) and 0 < high < 0.1
    low, high = wilson_interval(1.0, 50)
    assert 0.9 < low < 1 and high == pytest.approx(1.0)
    reference = proportion_confint(12, 40, method="wilson")
    assert wilson_interval(12 / 40, 40) == pytest.approx(reference, rel=1e-12)


def test_share_with_population_correction_narrows() -> None:
    y = grades(400, seed=18)
    plain = share_ci(y)
    corrected = share_ci(y, population_size=1000)
    assert corrected.share == plain.share
    assert corrected.ci_high - corrected.ci_low < plain.ci_high - plain.ci_low


# --- distributions ----------------------------------------------------------------------------


def test_distribution_counts_weighted_counts_and_shares_per_grade() -> None:
    y = grades(700, seed=19)
    w = weights(700, seed=20)
    result = distribution(y, w)
    assert result.categories == tuple(float(g) for g in range(1, 11))
    for position, grade in enumerate(range(1, 11)):
        chosen = y == grade
        assert result.counts[position] == chosen.sum()
        assert result.weighted[position] == pytest.approx(w[chosen].sum(), rel=1e-12)
    assert result.shares.sum() == pytest.approx(1.0)
    assert result.n == np.count_nonzero(~np.isnan(y))
    assert result.n_other == 0


def test_distribution_reports_answers_outside_the_categories() -> None:
    y = np.array([1, 2, 2, 5, 5, 5, 0, 11, 4.5, np.nan] * 5)
    result = distribution(y, categories=(1, 2, 3, 4, 5), small_groups=NO_SUPPRESSION)
    assert result.counts.tolist() == [5, 10, 0, 0, 15]
    assert result.n_other == 15
    assert result.n == 30


def test_distribution_with_arbitrary_categories() -> None:
    y = np.array([0.5, 1.5, 1.5, 3.0, np.nan, 2.0] * 10)
    result = distribution(y, categories=(0.5, 1.5, 3.0), small_groups=NO_SUPPRESSION)
    assert result.counts.tolist() == [10, 20, 10]
    assert result.n_other == 10


# --- the fast table path equals the general path ----------------------------------------------


def test_category_tables_and_row_residuals_give_the_same_estimates() -> None:
    y = grades(3000, seed=21)
    w = weights(3000, seed=22)
    groups = np.random.default_rng(23).integers(0, 7, y.size)
    fast = estimate_groups(y, groups, w)
    general = estimate_groups(y, groups, w, categories=None)
    for field in ("mean", "se", "ci_low", "ci_high", "share", "share_low", "n_eff"):
        np.testing.assert_allclose(getattr(fast, field), getattr(general, field), rtol=1e-10)
    assert fast.distribution is not None and general.distribution is None


def test_values_outside_the_categories_still_count_in_the_mean() -> None:
    y = grades(500, seed=24)
    y[:10] = 7.5
    estimate = grade_estimate(y, categories=tuple(range(1, 11)))
    expected = weighted_mean_ci(y)
    assert estimate.mean.mean == pytest.approx(np.nanmean(y), rel=1e-12)
    assert estimate.mean.ci_low == pytest.approx(expected.ci_low, rel=1e-12)


# --- small groups -----------------------------------------------------------------------------


def test_groups_under_30_are_suppressed_and_under_100_flagged() -> None:
    y = grades(60, seed=25, missing=0.0)
    small = grade_estimate(y[:29])
    assert small.n == 29
    assert small.suppressed and small.flagged
    assert math.isnan(small.mean.mean) and math.isnan(small.mean.ci_low)
    assert math.isnan(small.share.share) and math.isnan(small.share.ci_high)
    assert small.n_eff == pytest.approx(29.0)
    middle = grade_estimate(y[:30])
    assert not middle.suppressed and middle.flagged
    assert middle.mean.mean == pytest.approx(y[:30].mean())
    large = grade_estimate(np.tile(y, 2)[:100])
    assert not large.suppressed and not large.flagged


def test_small_group_thresholds_are_configurable() -> None:
    y = grades(60, seed=26, missing=0.0)
    settings = EstimateSettings(small_groups=SmallGroupRule(hide_below=10, flag_below=50))
    estimate = grade_estimate(y[:20], settings=settings)
    assert not estimate.suppressed and estimate.flagged
    assert estimate.to_dict()["mean"] == pytest.approx(y[:20].mean())
    shown = distribution(y[:20], small_groups=SmallGroupRule(hide_below=10))
    assert shown.counts.sum() == 20 and not shown.suppressed
    hidden_distribution = distribution(y[:5], small_groups=SmallGroupRule(hide_below=10))
    assert hidden_distribution.suppressed and hidden_distribution.n == 5
    assert np.isnan(hidden_distribution.shares).all()
    assert hidden_distribution.to_dict()["counts"] is None
    hidden = grade_estimate(y[:5], settings=settings).to_dict()
    assert hidden["mean"] is None and hidden["ci_low"] is None
    assert hidden["n"] == 5 and hidden["suppressed"] is True
