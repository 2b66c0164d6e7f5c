"""The weighted Welch test between waves and between groups (reference: scipy ``ttest_ind``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from burgerlink.surveys.analysis import (
    NO_SUPPRESSION,
    compare_groups,
    estimate_groups,
    weighted_mean_ci,
    welch_from_estimates,
    welch_test,
)


def grades(size: int, centre: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = np.clip(np.rint(rng.normal(centre, 1.5, size)), 1, 10)
    values[rng.random(size) < 0.05] = np.nan
    return values


def test_unweighted_welch_equals_scipy() -> None:
    a, b = grades(180, 6.9, 1), grades(240, 6.6, 2)
    reference = stats.ttest_ind(a, b, equal_var=False, nan_policy="omit")
    result = welch_test(a, b)
    assert result.t == pytest.approx(reference.statistic, rel=1e-12)
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    assert result.df == pytest.approx(reference.df, rel=1e-12)
    assert result.difference == pytest.approx(np.nanmean(a) - np.nanmean(b), rel=1e-12)
    low, high = reference.confidence_interval(0.95)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-10)
    assert result.n_a == np.count_nonzero(~np.isnan(a))


def test_alpha_is_configurable() -> None:
    a, b = grades(150, 6.9, 3), grades(150, 6.6, 4)
    p = welch_test(a, b).p_value
    assert 0.001 < p < 0.5
    assert welch_test(a, b, alpha=min(0.99, p * 1.01)).significant
    assert not welch_test(a, b, alpha=p * 0.99).significant
    assert welch_test(a, b).alpha == 0.05
    with pytest.raises(ValueError, match="alpha"):
        welch_test(a, b, alpha=0.0)


def test_weighted_welch_follows_the_documented_formula() -> None:
    a, b = grades(300, 7.0, 5), grades(260, 6.7, 6)
    rng = np.random.default_rng(7)
    wa, wb = rng.gamma(2.0, 0.5, a.size), rng.gamma(2.0, 0.5, b.size)

    def linearised(y: np.ndarray, w: np.ndarray) -> tuple[float, float, int]:
        keep = ~np.isnan(y)
        y, w = y[keep], w[keep]
        mean = np.sum(w * y) / w.sum()
        n = y.size
        return mean, n / (n - 1) * np.sum(w**2 * (y - mean) ** 2) / w.sum() ** 2, n

    ma, va, na = linearised(a, wa)
    mb, vb, nb = linearised(b, wb)
    t = (ma - mb) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    result = welch_test(a, b, wa, wb)
    assert result.t == pytest.approx(t, rel=1e-10)
    assert result.df == pytest.approx(df, rel=1e-10)
    assert result.p_value == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-9)


def test_comparing_groups_of_one_level() -> None:
    rng = np.random.default_rng(8)
    y = np.concatenate([grades(400, 7.2, 9), grades(400, 6.5, 10), grades(10, 6.0, 11)])
    groups = np.repeat(["gm0363", "gm0599", "tiny"], [400, 400, 10])
    w = rng.uniform(0.5, 1.5, y.size)
    estimates = estimate_groups(y, groups, w)
    result = compare_groups(estimates, "gm0363", "gm0599")
    direct = welch_test(y[:400], y[400:800], w[:400], w[400:800])
    assert result.t == pytest.approx(direct.t, rel=1e-10)
    assert result.significant
    hidden = compare_groups(estimates, "gm0363", "tiny")
    assert math.isnan(hidden.t) and math.isnan(hidden.p_value) and not hidden.significant


def test_comparison_from_estimates_uses_their_standard_errors() -> None:
    a = weighted_mean_ci(grades(120, 7.0, 12), small_groups=NO_SUPPRESSION)
    b = weighted_mean_ci(grades(130, 7.0, 13), small_groups=NO_SUPPRESSION)
    result = welch_from_estimates(a, b)
    assert result.se == pytest.approx(math.hypot(a.se, b.se))
    assert result.to_dict()["significant"] is result.significant
