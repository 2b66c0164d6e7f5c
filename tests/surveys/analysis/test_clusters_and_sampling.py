"""The share of a pooled figure under clustering, and the population correction on sampled rows.

References: statsmodels ``WLS`` with ``cov_type="cluster"`` (the cluster-robust variance of a
proportion: the indicator regressed on a constant), the Wilson formula written out here, and
the stratum-by-stratum sums of the documented population correction on small data.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from burgerlink.surveys.analysis import (
    NO_SUPPRESSION,
    EstimateSettings,
    GradeEstimate,
    Grouping,
    OrganisationGrades,
    VariableSpec,
    WaveData,
    WaveSettings,
    analyse_wave,
    estimate_levels,
    grade_estimate,
    weighted_mean_ci,
)

SETTINGS = EstimateSettings(small_groups=NO_SUPPRESSION)


def wilson(share: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval written out (independent of the engine's vectorised code)."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def clustered_grades(respondents: int = 900, seed: int = 5) -> dict[str, np.ndarray]:
    """Each respondent grades 1-4 organisations; grades of one respondent move together."""
    rng = np.random.default_rng(seed)
    per = rng.integers(1, 5, respondents)
    rows = np.repeat(np.arange(respondents), per)
    mood = rng.normal(0, 1.6, respondents)[rows]  # strong respondent effect: clustering
    grades = np.clip(np.rint(6.6 + mood + rng.normal(0, 0.7, rows.size)), 1, 10)
    grades[rng.random(rows.size) < 0.04] = np.nan
    organisation = rng.integers(0, 5, rows.size)
    weights = rng.gamma(3.0, 0.35, respondents)
    return {"rows": rows, "grades": grades, "organisation": organisation, "weights": weights}


def cluster_robust_share(
    grades: np.ndarray, weights: np.ndarray, clusters: np.ndarray
) -> tuple[float, float]:
    """Share ≥ 7 and its cluster-robust variance, from statsmodels (indicator on a constant)."""
    keep = ~np.isnan(grades)
    satisfied = (grades[keep] >= 7).astype(float)
    fit = sm.WLS(satisfied, np.ones(satisfied.size), weights=weights[keep]).fit(
        cov_type="cluster", cov_kwds={"groups": clusters[keep]}
    )
    return float(fit.params[0]), float(fit.bse[0]) ** 2


def test_pooled_share_uses_the_cluster_robust_variance_of_the_proportion() -> None:
    data = clustered_grades()
    rows, grades = data["rows"], data["grades"]
    respondents = data["weights"].size
    levels = estimate_levels(
        np.zeros((respondents, 0)),
        [],
        data["weights"],
        organisation_grades=OrganisationGrades(
            response=rows,
            organisation=Grouping.from_codes(data["organisation"], ["a", "b", "c", "d", "e"]),
            grade=grades,
        ),
        settings=SETTINGS,
    )
    pooled = levels["government"].variables["organisation_grade"].estimate("all")
    share, variance = cluster_robust_share(grades, data["weights"][rows], rows)
    assert pooled.share.share == pytest.approx(share, rel=1e-12)
    n_star = share * (1 - share) / variance
    assert pooled.share.n_eff == pytest.approx(n_star, rel=1e-9)
    assert (pooled.share.ci_low, pooled.share.ci_high) == pytest.approx(
        wilson(share, n_star), rel=1e-9
    )
    # The Kish n_eff of the grades stays what it is; the share's interval is wider by about
    # the clustering's design effect, as the mean's is.
    keep = ~np.isnan(grades)
    w = data["weights"][rows][keep]
    kish = w.sum() ** 2 / np.sum(w * w)
    assert pooled.n_eff == pytest.approx(kish, rel=1e-12)
    naive_low, naive_high = wilson(share, kish)
    widening = (pooled.share.ci_high - pooled.share.ci_low) / (naive_high - naive_low)
    mean_widening = pooled.mean.se / weighted_mean_ci(grades, data["weights"][rows]).se
    assert widening > 1.3
    assert widening == pytest.approx(mean_widening, rel=0.2)  # consistent with the mean's
    # the one-sample function with clusters gives the same share interval
    single = grade_estimate(grades, data["weights"][rows], clusters=rows)
    assert (single.share.ci_low, single.share.ci_high) == pytest.approx(
        (pooled.share.ci_low, pooled.share.ci_high), rel=1e-9
    )
    assert single.mean.se == pytest.approx(pooled.mean.se, rel=1e-10)


def test_clustered_share_of_0_or_1_falls_back_to_the_means_design_effect() -> None:
    rows = np.repeat(np.arange(60), 2)
    grades = np.where(np.arange(120) % 3 == 0, 8.0, 9.0)  # everyone satisfied
    estimate = grade_estimate(grades, clusters=rows)
    assert estimate.share.share == 1.0
    plain = weighted_mean_ci(grades)
    design_effect = (estimate.mean.se / plain.se) ** 2
    assert estimate.share.n_eff == pytest.approx(120 / design_effect, rel=1e-9)
    assert estimate.share.ci_high == pytest.approx(1.0)
    assert estimate.share.ci_low == pytest.approx(wilson(1.0, 120 / design_effect)[0], rel=1e-9)


def _survey(size: int = 400, seed: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    grades = np.clip(np.rint(rng.normal(7, 1.5, size)), 1, 10)
    grades[rng.random(size) < 0.05] = np.nan
    weights = rng.gamma(3.0, 0.35, size)
    sampled = rng.random(size) < 0.6
    return grades, weights, sampled


def _government(
    grades: np.ndarray, weights: np.ndarray, sampled: np.ndarray | None, population: float
) -> GradeEstimate:
    levels = estimate_levels(
        grades[:, None],
        [VariableSpec("overall")],
        weights,
        settings=SETTINGS,
        population_sizes={"government": {"all": population}},
        sampled=sampled,
    )
    return levels["government"].variables["overall"].estimate("all")


def test_population_correction_counts_and_shrinks_only_sampled_answers() -> None:
    grades, weights, sampled = _survey()
    population = 700.0
    keep = ~np.isnan(grades)
    y, w, s = grades[keep], weights[keep], sampled[keep]
    n, n_s = y.size, int(s.sum())
    mean = np.sum(w * y) / np.sum(w)
    f = 1 - n_s / population
    squares = (w * (y - mean)) ** 2
    variance = n / (n - 1) * (f * squares[s].sum() + squares[~s].sum()) / w.sum() ** 2
    half = stats.t.ppf(0.975, n - 1) * math.sqrt(variance)
    estimate = _government(grades, weights, sampled, population)
    assert estimate.mean.mean == pytest.approx(mean, rel=1e-12)
    assert (estimate.mean.ci_low, estimate.mean.ci_high) == pytest.approx(
        (mean - half, mean + half), rel=1e-12
    )
    share = np.sum(w * (y >= 7)) / w.sum()
    n_star = w.sum() ** 2 / (f * np.sum(w[s] ** 2) + np.sum(w[~s] ** 2))
    assert (estimate.share.ci_low, estimate.share.ci_high) == pytest.approx(
        wilson(share, n_star), rel=1e-9
    )
    # a population smaller than the sampled answers is an error, the other answers do not count
    _government(grades, weights, sampled, float(n_s))
    with pytest.raises(ValueError, match="sampled"):
        _government(grades, weights, sampled, float(n_s - 1))


def test_all_sampled_is_the_usual_correction_and_none_sampled_is_none() -> None:
    grades, weights, _sampled = _survey(seed=9)
    population = 900.0
    everyone = np.ones(grades.size, dtype=bool)
    usual = weighted_mean_ci(grades, weights, population_size=population)
    corrected = _government(grades, weights, everyone, population)
    assert corrected.mean.se == pytest.approx(usual.se, rel=1e-12)
    assert corrected.mean.fpc == pytest.approx(usual.fpc, rel=1e-12)
    nobody = _government(grades, weights, ~everyone, population)
    plain = weighted_mean_ci(grades, weights)
    assert nobody.mean.se == pytest.approx(plain.se, rel=1e-12)
    assert nobody.mean.fpc == 1.0


def test_analyse_wave_passes_the_sampled_flags_on() -> None:
    grades, weights, sampled = _survey(seed=10)
    settings = WaveSettings(estimates=SETTINGS, population_sizes={"government": {"all": 600.0}})
    variables = [VariableSpec("overall")]
    with_flags = analyse_wave(
        WaveData(grades[:, None], variables, base_weights=weights, sampled=sampled),
        settings=settings,
    )
    without = analyse_wave(
        WaveData(grades[:, None], variables, base_weights=weights), settings=settings
    )
    a = with_flags.estimate("government", "all", "overall")
    b = without.estimate("government", "all", "overall")
    assert a.mean.se > b.mean.se  # fewer answers use up the population
    assert with_flags.to_dict()["levels"]["government"]["groups"][0]["variables"]["overall"][
        "share_n_eff"
    ] == pytest.approx(a.share.n_eff)
