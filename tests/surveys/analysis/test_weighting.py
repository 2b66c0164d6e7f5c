"""Post-stratification, raking, trimming and the Kish effective sample size.

Raking is checked against a plain per-respondent implementation written here, and against the
textbook property of iterative proportional fitting on a two-way table: the fitted table keeps
the seed's cross-product (odds) ratio, which for a 2 × 2 table gives the answer in closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from burgerlink.surveys.analysis import (
    Margin,
    Trimming,
    WeightingError,
    kish_effective_n,
    poststratify,
    rake,
    trim_weights,
)

AGE_TARGETS = np.array([10_000, 20_000, 25_000, 20_000, 15_000, 10_000], dtype=float)
SEX_TARGETS = np.array([49_000, 51_000], dtype=float)
REGION_TARGETS = np.full(5, 20_000.0)


def sample(size: int = 4000, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Age group (6), sex (2) and region (5) codes, skewed away from the targets."""
    rng = np.random.default_rng(seed)
    age = rng.choice(6, size, p=np.array([3, 3, 2, 2, 1, 1]) / 12)
    sex = rng.choice(2, size, p=[0.6, 0.4])
    region = rng.choice(5, size, p=[0.4, 0.3, 0.1, 0.1, 0.1])
    return age, sex, region


def naive_ipf(codes: list[np.ndarray], targets: list[np.ndarray], sweeps: int = 200) -> np.ndarray:
    """Raking one respondent at a time per margin (the definition, no shortcuts)."""
    w = np.ones(codes[0].size)
    for _ in range(sweeps):
        for code, target in zip(codes, targets, strict=True):
            totals = np.zeros(target.size)
            for i, category in enumerate(code):
                totals[category] += w[i]
            w = w * (target / totals)[code]
    return w


def test_kish_effective_n() -> None:
    assert kish_effective_n(np.ones(250)) == pytest.approx(250)
    assert kish_effective_n([1.0, 3.0]) == pytest.approx(16 / 10)
    assert kish_effective_n([0.0, 0.0]) == 0.0


# --- post-stratification ----------------------------------------------------------------------


def test_poststratified_cell_totals_equal_the_targets() -> None:
    age, sex, _ = sample()
    targets = np.outer(AGE_TARGETS, SEX_TARGETS / SEX_TARGETS.sum())
    result = poststratify([age, sex], targets)
    for a in range(6):
        for s in range(2):
            cell = (age == a) & (sex == s)
            assert result.weights[cell].sum() == pytest.approx(targets[a, s], rel=1e-12)
            assert np.ptp(result.weights[cell]) == pytest.approx(0.0, abs=1e-9)
    assert result.max_margin_error < 1e-12
    assert result.weights.sum() == pytest.approx(targets.sum())
    assert result.effective_n == pytest.approx(kish_effective_n(result.weights))


def test_poststratification_to_shares_gives_mean_weight_one() -> None:
    age, _, _ = sample()
    result = poststratify(age, AGE_TARGETS / AGE_TARGETS.sum(), targets_are="shares")
    assert result.weights.mean() == pytest.approx(1.0)
    shares = np.bincount(age, result.weights) / result.weights.sum()
    np.testing.assert_allclose(shares, AGE_TARGETS / AGE_TARGETS.sum(), rtol=1e-12)


def test_poststratification_keeps_base_weight_ratios_within_a_cell() -> None:
    age, _, _ = sample()
    base = np.random.default_rng(3).gamma(3.0, 1.0, age.size)
    result = poststratify(age, AGE_TARGETS, base_weights=base)
    ratio = result.weights / base
    for a in range(6):
        assert np.ptp(ratio[age == a]) == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(np.bincount(age, result.weights), AGE_TARGETS, rtol=1e-12)


def test_poststratification_refuses_a_cell_without_respondents() -> None:
    age, sex, _ = sample()
    keep = ~((age == 5) & (sex == 1))
    targets = np.outer(AGE_TARGETS, [0.5, 0.5])
    with pytest.raises(WeightingError, match="no respondents"):
        poststratify([age[keep], sex[keep]], targets)


def test_poststratification_validates_codes_and_dimensions() -> None:
    age, sex, _ = sample(100)
    with pytest.raises(WeightingError, match="dimensions"):
        poststratify([age, sex], AGE_TARGETS)
    with pytest.raises(WeightingError, match="category code"):
        poststratify(age - 1, AGE_TARGETS)


# --- raking -----------------------------------------------------------------------------------


def test_raked_margins_equal_the_targets() -> None:
    age, sex, region = sample()
    margins = [
        Margin(age, AGE_TARGETS, "age"),
        Margin(sex, SEX_TARGETS, "sex"),
        Margin(region, REGION_TARGETS, "region"),
    ]
    result = rake(margins, tol=1e-9)
    assert result.converged and result.method == "rake"
    assert result.max_margin_error <= 1e-9
    for codes, targets in ((age, AGE_TARGETS), (sex, SEX_TARGETS), (region, REGION_TARGETS)):
        np.testing.assert_allclose(np.bincount(codes, result.weights), targets, rtol=1e-9)
    assert 0 < result.effective_n < age.size
    assert result.design_effect == pytest.approx(age.size / result.effective_n)


def test_raking_equals_a_plain_per_respondent_implementation() -> None:
    age, sex, region = sample(600, seed=4)
    targets = [AGE_TARGETS, SEX_TARGETS, REGION_TARGETS]
    expected = naive_ipf([age, sex, region], targets)
    result = rake(
        [Margin(c, t) for c, t in zip([age, sex, region], targets, strict=True)], tol=1e-12
    )
    np.testing.assert_allclose(result.weights, expected, rtol=1e-8)


def test_raking_a_two_by_two_table_keeps_the_odds_ratio() -> None:
    # Seed counts 40, 10 / 20, 30; targets rows (45, 55), columns (60, 40).
    seed = np.array([[40, 10], [20, 30]])
    rows = np.repeat([0, 0, 1, 1], seed.ravel())
    columns = np.repeat([0, 1, 0, 1], seed.ravel())
    r1, r2, c1 = 45.0, 55.0, 60.0
    theta = 40 * 30 / (10 * 20)
    # x11 (r2 - c1 + x11) = theta (r1 - x11)(c1 - x11), a quadratic in x11:
    a, b, c = 1 - theta, (r2 - c1) + theta * (r1 + c1), -theta * r1 * c1
    roots = np.roots([a, b, c])
    x11 = float(next(root.real for root in roots if max(0, c1 - r2) < root.real < min(r1, c1)))
    expected = np.array([[x11, r1 - x11], [c1 - x11, r2 - (c1 - x11)]])
    result = rake([Margin(rows, [r1, r2]), Margin(columns, [c1, 40.0])], tol=1e-12)
    fitted = np.zeros((2, 2))
    np.add.at(fitted, (rows, columns), result.weights)
    np.testing.assert_allclose(fitted, expected, rtol=1e-9)
    odds = fitted[0, 0] * fitted[1, 1] / (fitted[0, 1] * fitted[1, 0])
    assert odds == pytest.approx(theta, rel=1e-9)


def test_raking_on_one_margin_is_poststratification() -> None:
    age, _, _ = sample()
    raked = rake([Margin(age, AGE_TARGETS)])
    post = poststratify(age, AGE_TARGETS)
    np.testing.assert_allclose(raked.weights, post.weights, rtol=1e-12)


def test_raking_with_base_weights_and_shares() -> None:
    age, sex, _ = sample()
    base = np.random.default_rng(5).uniform(0.5, 2.0, age.size)
    result = rake(
        [Margin(age, AGE_TARGETS / 1000), Margin(sex, [0.49, 0.51])],
        base_weights=base,
        targets_are="shares",
        tol=1e-10,
    )
    assert result.weights.sum() == pytest.approx(age.size)
    np.testing.assert_allclose(np.bincount(sex, result.weights) / age.size, [0.49, 0.51], rtol=1e-9)
    # raking factors are constant within a joint cell
    ratio = result.weights / base
    for a in range(6):
        for s in range(2):
            assert np.ptp(ratio[(age == a) & (sex == s)]) == pytest.approx(0.0, abs=1e-9)


def test_raking_names_a_target_category_without_respondents() -> None:
    age, sex, _ = sample()
    age = np.where(age == 4, 3, age)
    with pytest.raises(WeightingError, match=r"margin age: category 4 has a target but no"):
        rake([Margin(age, AGE_TARGETS, "age"), Margin(sex, SEX_TARGETS, "sex")])


def test_raking_allows_an_empty_category_whose_target_is_zero() -> None:
    age, sex, _ = sample()
    targets = np.append(AGE_TARGETS, 0.0)  # a seventh age group nobody is in, nor should be
    result = rake([Margin(age, targets), Margin(sex, SEX_TARGETS)], tol=1e-10)
    assert result.converged
    np.testing.assert_allclose(np.bincount(age, result.weights, 7), targets, rtol=1e-9)
    np.testing.assert_allclose(np.bincount(sex, result.weights), SEX_TARGETS, rtol=1e-9)
    trimmed = rake(
        [Margin(age, targets), Margin(sex, SEX_TARGETS)],
        trimming=Trimming(upper_ratio=10.0),
        tol=1e-10,
    )
    assert trimmed.converged and trimmed.max_margin_error <= 1e-10


def test_raking_refuses_margins_with_different_totals() -> None:
    age, sex, _ = sample()
    with pytest.raises(WeightingError, match="population total"):
        rake([Margin(age, AGE_TARGETS), Margin(sex, SEX_TARGETS * 2)])


def test_raking_reports_when_it_did_not_converge() -> None:
    age, sex, region = sample()
    margins = [Margin(age, AGE_TARGETS), Margin(sex, SEX_TARGETS), Margin(region, REGION_TARGETS)]
    result = rake(margins, max_iter=1, tol=1e-12)
    assert not result.converged
    assert result.iterations == 1
    assert result.max_margin_error > 1e-12


def test_raking_with_many_sparse_cells_uses_the_observed_combinations() -> None:
    rng = np.random.default_rng(6)
    codes = [rng.integers(0, 40, 3000) for _ in range(4)]  # 40⁴ possible cells
    targets = [np.bincount(code, minlength=40) * 2.0 + 1.0 for code in codes]
    targets = [t / t.sum() * 10_000 for t in targets]
    result = rake([Margin(c, t) for c, t in zip(codes, targets, strict=True)], tol=1e-8)
    assert result.converged
    for code, target in zip(codes, targets, strict=True):
        np.testing.assert_allclose(np.bincount(code, result.weights, 40), target, rtol=1e-7)


# --- trimming ---------------------------------------------------------------------------------


def test_trimming_caps_weights_and_preserves_the_total() -> None:
    w = np.random.default_rng(7).lognormal(0.0, 1.0, 5000)
    result = trim_weights(w, upper_ratio=3.0)
    cap = 3.0 * np.median(w)
    assert result.upper == pytest.approx(cap)
    assert result.weights.max() <= cap * (1 + 1e-12)
    assert result.weights.sum() == pytest.approx(w.sum(), rel=1e-10)
    assert result.n_trimmed == np.count_nonzero(result.weights >= cap * (1 - 1e-12))
    assert result.n_trimmed > np.count_nonzero(w > cap)  # redistribution pushed more up
    assert kish_effective_n(result.weights) > kish_effective_n(w)
    untouched = w < np.median(w)
    ratio = result.weights[untouched] / w[untouched]
    assert np.ptp(ratio) == pytest.approx(0.0, abs=1e-9)  # spread proportionally


def test_trimming_between_bounds() -> None:
    w = np.random.default_rng(8).lognormal(0.0, 1.0, 2000)
    result = trim_weights(w, lower=0.3, upper=4.0)
    assert result.converged
    assert result.weights.min() >= 0.3 - 1e-12 and result.weights.max() <= 4.0 + 1e-12
    assert result.weights.sum() == pytest.approx(w.sum(), rel=1e-10)


def test_trimming_refuses_bounds_that_cannot_hold_the_total() -> None:
    with pytest.raises(WeightingError, match="cannot all lie within"):
        trim_weights([1.0, 1.0, 10.0], upper=2.0)
    with pytest.raises(WeightingError, match="cross"):
        trim_weights([1.0, 2.0], lower=3.0, upper=2.0)


def test_trimmed_raking_meets_both_margins_and_the_cap() -> None:
    age, sex, region = sample(5000, seed=9)
    margins = [
        Margin(age, AGE_TARGETS),
        Margin(sex, SEX_TARGETS),
        Margin(region, REGION_TARGETS),
    ]
    plain = rake(margins)
    assert plain.weights.max() / np.median(plain.weights) > 7.0
    for base in (None, np.random.default_rng(10).uniform(0.8, 1.2, age.size)):
        result = rake(margins, base_weights=base, trimming=Trimming(upper_ratio=5.0), tol=1e-7)
        assert result.converged
        assert result.weights.max() <= 5.0 * np.median(result.weights) * (1 + 1e-6)
        for codes, targets in ((age, AGE_TARGETS), (sex, SEX_TARGETS)):
            np.testing.assert_allclose(np.bincount(codes, result.weights), targets, rtol=1e-6)
        assert result.n_trimmed > 0
        assert result.effective_n > plain.effective_n


def test_trimmed_raking_that_cannot_meet_the_margins_says_so() -> None:
    age, sex, region = sample(5000, seed=9)
    margins = [
        Margin(age, AGE_TARGETS),
        Margin(sex, SEX_TARGETS),
        Margin(region, REGION_TARGETS),
    ]
    result = rake(margins, trimming=Trimming(upper_ratio=3.0), max_iter=50)
    assert not result.converged
    assert result.max_margin_error > 1e-3
    assert result.weights.max() <= 3.0 * np.median(result.weights) * (1 + 1e-6)


def test_poststratification_with_trimming_reports_the_margin_error() -> None:
    age, _, _ = sample()
    result = poststratify(age, AGE_TARGETS, trimming=Trimming(upper_ratio=1.5))
    assert result.n_trimmed > 0
    assert result.weights.max() <= 1.5 * np.median(poststratify(age, AGE_TARGETS).weights) + 1e-9
    assert result.max_margin_error > 0
    assert math.isclose(result.weights.sum(), AGE_TARGETS.sum(), rel_tol=1e-10)
