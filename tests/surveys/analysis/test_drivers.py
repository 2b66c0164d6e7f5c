"""Derived importance: weighted correlations, standardised regression, relative weights, matrix.

References: statsmodels ``DescrStatsW.corrcoef`` (weighted correlation), statsmodels ``WLS`` on
weighted z-scores (standardised coefficients, R²), and Johnson's (2000) original construction of
relative weights through the singular value decomposition of the data (regressions with
statsmodels ``OLS``), a different route from the engine's eigen decomposition.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.stats.weightstats import DescrStatsW

from burgerlink.surveys.analysis import (
    DriverSettings,
    Quadrant,
    VariableSpec,
    WaveData,
    WaveSettings,
    analyse_wave,
    derive_importance,
    driver_regression,
    priority_matrix,
    weighted_correlations,
)

BETA = np.array([0.6, 0.35, 0.2, 0.1, 0.0])


def survey(size: int = 3000, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Five correlated aspects (1-5), an overall grade (1-10), weights; some missing answers."""
    rng = np.random.default_rng(seed)
    common = rng.normal(0, 1, size)
    aspects = np.clip(np.rint(3 + 0.6 * common[:, None] + rng.normal(0, 1, (size, 5))), 1, 5)
    overall = np.clip(np.rint(4 + aspects @ BETA + rng.normal(0, 1, size)), 1, 10)
    aspects[rng.random((size, 5)) < 0.05] = np.nan
    overall[rng.random(size) < 0.05] = np.nan
    return aspects, overall, rng.gamma(3.0, 0.4, size)


def weighted_z(values: np.ndarray, w: np.ndarray) -> np.ndarray:
    mean = np.average(values, weights=w, axis=0)
    sd = np.sqrt(np.average((values - mean) ** 2, weights=w, axis=0))
    return (values - mean) / sd


def test_weighted_correlations_match_descrstatsw_pairwise() -> None:
    x, y, w = survey()
    result = weighted_correlations(x, y, w)
    for j in range(x.shape[1]):
        both = ~np.isnan(x[:, j]) & ~np.isnan(y)
        reference = DescrStatsW(np.column_stack([x[both, j], y[both]]), weights=w[both])
        assert result.r[j] == pytest.approx(reference.corrcoef[0, 1], rel=1e-10)
        assert result.n[j] == both.sum()
        assert result.flags[j] == ()


def test_unweighted_correlations_match_numpy() -> None:
    x, y, _ = survey(seed=2)
    result = weighted_correlations(x, y)
    for j in range(x.shape[1]):
        both = ~np.isnan(x[:, j]) & ~np.isnan(y)
        assert result.r[j] == pytest.approx(np.corrcoef(x[both, j], y[both])[0, 1], rel=1e-10)


def test_correlations_of_values_far_from_zero_keep_their_precision() -> None:
    x, y, w = survey(seed=3)
    shifted = weighted_correlations(x + 1e7, y - 5e6, w)
    np.testing.assert_allclose(shifted.r, weighted_correlations(x, y, w).r, rtol=1e-6)


def test_standardised_coefficients_match_wls_on_z_scores() -> None:
    x, y, w = survey(seed=4)
    result = driver_regression(x, y, w)
    complete = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    wc = w[complete]
    fit = sm.WLS(
        weighted_z(y[complete], wc), sm.add_constant(weighted_z(x[complete], wc)), weights=wc
    ).fit()
    np.testing.assert_allclose(result.beta, fit.params[1:], rtol=1e-9, atol=1e-12)
    assert result.r_squared == pytest.approx(fit.rsquared, rel=1e-9)
    assert result.n == complete.sum()
    assert result.flags == ()


def johnson_relative_weights(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Johnson (2000) through the SVD of the (weighted, standardised) data matrix."""
    root = np.sqrt(w / w.sum())[:, None]
    xs = weighted_z(x, w) * root
    ys = weighted_z(y, w) * root[:, 0]
    p, _, qt = np.linalg.svd(xs, full_matrices=False)
    z = p @ qt  # the orthogonal variables closest to the predictors
    lam = np.column_stack([sm.OLS(xs[:, j], z).fit().params for j in range(x.shape[1])]).T
    beta = sm.OLS(ys, z).fit().params
    return (lam**2) @ (beta**2)


def test_relative_weights_sum_to_r_squared_and_match_johnsons_construction() -> None:
    x, y, w = survey(seed=5)
    result = driver_regression(x, y, w)
    assert result.relative_weights.sum() == pytest.approx(result.r_squared, rel=1e-10)
    complete = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    reference = johnson_relative_weights(x[complete], y[complete], w[complete])
    np.testing.assert_allclose(result.relative_weights, reference, rtol=1e-8)
    assert np.argmax(result.relative_weights) == 0  # the strongest aspect ranks first


def test_relative_weights_of_uncorrelated_aspects_are_squared_correlations() -> None:
    rng = np.random.default_rng(6)
    basis = np.linalg.qr(rng.normal(size=(400, 3)))[0]
    x = (basis - basis.mean(axis=0)) * 10
    y = x @ np.array([1.0, 2.0, 0.5]) + rng.normal(0, 5, 400)
    result = driver_regression(x, y)
    r = weighted_correlations(x, y).r
    # centring keeps the columns nearly orthogonal; relative weights equal r² then
    np.testing.assert_allclose(result.relative_weights, r**2, rtol=1e-2)


def test_a_constant_aspect_is_flagged_and_the_rest_still_computed() -> None:
    x, y, w = survey(seed=7)
    x[:, 2] = np.where(np.isnan(x[:, 2]), np.nan, 3.0)
    correlations = weighted_correlations(x, y, w)
    assert math.isnan(correlations.r[2]) and correlations.flags[2] == ("constant",)
    result = driver_regression(x, y, w)
    assert math.isnan(result.beta[2]) and math.isnan(result.relative_weights[2])
    assert result.aspect_flags[2] == ("constant",)
    others = [0, 1, 3, 4]
    assert np.isfinite(result.beta[others]).all()
    assert np.nansum(result.relative_weights) == pytest.approx(result.r_squared, rel=1e-10)


def test_too_few_cases_give_nan_and_a_flag() -> None:
    x, y, w = survey(20, seed=8)
    analysis = derive_importance(x, y, w, names=list("abcde"), min_cases=30)
    assert analysis.flags == ("too_few_cases",)
    assert math.isnan(analysis.r_squared)
    for driver in analysis.drivers:
        assert "too_few_cases" in driver.flags
        assert math.isnan(driver.importance) and driver.quadrant is None
        assert math.isfinite(driver.performance)


def test_collinear_aspects_are_flagged_without_an_exception() -> None:
    x, y, _ = survey(seed=9)
    complete = ~np.isnan(x).any(axis=1)
    twin = np.column_stack([x, x[:, 0]])[complete]
    result = driver_regression(twin, y[complete])
    assert "collinear" in result.flags
    assert math.isfinite(result.r_squared)


def test_an_aspect_nobody_answered() -> None:
    x, y, w = survey(seed=10)
    x[:, 4] = np.nan
    analysis = derive_importance(x, y, w, names=list("abcde"))
    assert analysis.driver("e").n == 0
    assert analysis.driver("e").quadrant is None
    assert "too_few_cases" in analysis.driver("e").flags
    assert analysis.driver("a").quadrant is not None


# --- the priority matrix ----------------------------------------------------------------------


def test_priority_matrix_quadrants_split_at_the_means() -> None:
    matrix = priority_matrix(
        ["waiting", "friendliness", "website", "letters"],
        importance=[0.6, 0.5, 0.1, 0.2],
        performance=[3.0, 4.2, 2.8, 4.5],
    )
    assert matrix.importance_split == pytest.approx(0.35)
    assert matrix.performance_split == pytest.approx(3.625)
    quadrants = {point.name: point.quadrant for point in matrix.points}
    assert quadrants == {
        "waiting": Quadrant.IMPROVE,
        "friendliness": Quadrant.MAINTAIN,
        "website": Quadrant.LOWER_PRIORITY,
        "letters": Quadrant.POSSIBLE_OVERKILL,
    }
    assert Quadrant.POSSIBLE_OVERKILL.value == "possible overkill"


def test_priority_matrix_median_split_and_missing_points() -> None:
    matrix = priority_matrix(
        ["a", "b", "c", "d", "e"],
        importance=[0.1, 0.2, 0.3, 0.9, np.nan],
        performance=[4.0, 1.0, 2.0, 10.0, 5.0],
        split="median",
    )
    # splits over the aspects with both figures (a-d)
    assert matrix.importance_split == pytest.approx(0.25)
    assert matrix.performance_split == pytest.approx(3.0)
    by_name = {point.name: point.quadrant for point in matrix.points}
    assert by_name == {
        "a": Quadrant.POSSIBLE_OVERKILL,
        "b": Quadrant.LOWER_PRIORITY,
        "c": Quadrant.IMPROVE,
        "d": Quadrant.MAINTAIN,
        "e": None,
    }
    with pytest.raises(ValueError, match="split"):
        priority_matrix(["a"], [1.0], [1.0], split="mode")  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["correlation", "regression", "relative_weight"])
def test_derive_importance_uses_the_chosen_figure(method: str) -> None:
    x, y, w = survey(seed=11)
    analysis = derive_importance(
        x,
        y,
        w,
        names=list("abcde"),
        outcome_name="overall",
        method=method,  # type: ignore[arg-type]
    )
    figure = {"correlation": "correlation", "regression": "beta"}.get(method, "relative_weight")
    for driver in analysis.drivers:
        assert driver.importance == getattr(driver, figure)
        valid = ~np.isnan(x[:, "abcde".index(driver.name)])
        expected = np.average(x[valid, "abcde".index(driver.name)], weights=w[valid])
        assert driver.performance == pytest.approx(expected, rel=1e-12)
    data = analysis.to_dict()
    assert data["outcome"] == "overall" and data["method"] == method
    assert {item["quadrant"] for item in data["aspects"]} <= {q.value for q in Quadrant}
    assert data["r_squared"] == pytest.approx(analysis.r_squared)


def test_performance_as_share_positive() -> None:
    x, y, w = survey(seed=12)
    analysis = derive_importance(
        x, y, w, names=list("abcde"), performance="share", share_threshold=4.0
    )
    valid = ~np.isnan(x[:, 0])
    expected = np.average(x[valid, 0] >= 4, weights=w[valid])
    assert analysis.driver("a").performance == pytest.approx(expected, rel=1e-12)


def test_scaled_performance_puts_yes_no_five_point_and_grade_items_on_one_0_100_scale() -> None:
    rng = np.random.default_rng(21)
    size = 1500
    latent = rng.normal(0, 1, size)
    yes_no = (latent + rng.normal(0, 1, size) > -0.3).astype(float)
    agree = np.clip(np.rint(3.4 + latent + rng.normal(0, 0.8, size)), 1, 5)
    grade = np.clip(np.rint(7 + latent + rng.normal(0, 1, size)), 1, 10)
    outcome = np.clip(np.rint(7 + latent + rng.normal(0, 1, size)), 1, 10)
    w = rng.gamma(3.0, 0.35, size)
    aspects = np.column_stack([yes_no, agree, grade])
    analysis = derive_importance(
        aspects,
        outcome,
        w,
        names=["yes_no", "agree", "grade"],
        performance="scaled",
        ranges=[(0, 1), (1, 5), (1, 10)],
    )
    # by hand: the weighted mean moved onto 0-100 by each item's own answer range
    assert analysis.driver("yes_no").performance == pytest.approx(
        100 * np.average(yes_no, weights=w), rel=1e-12
    )  # the share "yes" in percent
    assert analysis.driver("agree").performance == pytest.approx(
        100 * (np.average(agree, weights=w) - 1) / 4, rel=1e-12
    )
    assert analysis.driver("grade").performance == pytest.approx(
        100 * (np.average(grade, weights=w) - 1) / 9, rel=1e-12
    )
    with pytest.raises(ValueError, match="range"):
        derive_importance(aspects, outcome, w, names=["a", "b", "c"], performance="scaled")


def test_the_wave_analysis_scales_mixed_aspects_from_their_categories() -> None:
    rng = np.random.default_rng(22)
    size = 800
    answers = np.column_stack(
        [
            np.clip(np.rint(rng.normal(7, 1.4, size)), 1, 10),
            (rng.random(size) < 0.8).astype(float),
            np.clip(np.rint(rng.normal(3.5, 1, size)), 1, 5),
        ]
    )
    result = analyse_wave(
        WaveData(
            answers,
            [
                VariableSpec("overall"),
                VariableSpec("yes", "binary"),
                VariableSpec("agree", "scale"),
            ],
        ),
        settings=WaveSettings(
            drivers=DriverSettings(
                outcome="overall", aspects=("yes", "agree"), performance="scaled"
            )
        ),
    )
    assert result.drivers is not None
    government = result.levels["government"].variables
    assert result.drivers.driver("yes").performance == pytest.approx(
        100 * government["yes"].share[0], rel=1e-12
    )
    assert result.drivers.driver("agree").performance == pytest.approx(
        25 * (government["agree"].mean[0] - 1), rel=1e-12
    )
