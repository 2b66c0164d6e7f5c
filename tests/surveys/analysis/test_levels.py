"""Estimates per group on the three levels, computed vectorised and checked group by group."""

from __future__ import annotations

import math

import numpy as np
import pytest

from burgerlink.surveys.analysis import (
    NO_SUPPRESSION,
    EstimateSettings,
    Grouping,
    OrganisationGrades,
    SmallGroupRule,
    VariableSpec,
    estimate_groups,
    estimate_levels,
    grade_estimate,
    weighted_mean_ci,
)

EVENTS = np.array(["moving", "birth", "retirement", "divorce"])


def wave(size: int = 2000, seed: int = 1) -> dict[str, np.ndarray]:
    """Answers (overall grade, chain grade, one BSC item, one aspect, age group), events, weights."""
    rng = np.random.default_rng(seed)
    event = rng.choice(4, size, p=[0.5, 0.3, 0.19, 0.01])
    latent = 6.8 + np.array([0.3, 0.0, -0.4, -1.0])[event] + rng.normal(0, 1.3, size)
    answers = np.column_stack(
        [
            np.clip(np.rint(latent + rng.normal(0, 1, size)), 1, 10),
            np.clip(np.rint(latent - 0.2 + rng.normal(0, 1, size)), 1, 10),
            (rng.random(size) < 0.7).astype(float),
            np.clip(np.rint(3 + 0.5 * (latent - 6.8) + rng.normal(0, 1, size)), 1, 5),
            rng.integers(0, 6, size).astype(float),
        ]
    )
    answers[:, :4][rng.random((size, 4)) < 0.05] = np.nan
    return {"answers": answers, "event": event, "weights": rng.gamma(3.0, 0.35, size)}


VARIABLES = [
    VariableSpec("overall"),
    VariableSpec("chain"),
    VariableSpec("bsc_1", "binary"),
    VariableSpec("aspect_1", "scale"),
    VariableSpec("age_group", "background"),
]


def test_grouped_estimates_equal_one_estimate_per_group() -> None:
    data = wave()
    y, w = data["answers"][:, 0], data["weights"]
    labels = EVENTS[data["event"]]
    grouped = estimate_groups(y, labels, w)
    assert grouped.labels == tuple(sorted(EVENTS))
    for label in EVENTS:
        mine = labels == label
        expected = grade_estimate(y[mine], w[mine])
        got = grouped.estimate(label)
        assert got.n == expected.n
        assert got.suppressed == expected.suppressed
        for field in ("mean", "se", "ci_low", "ci_high", "df", "n_eff"):
            assert getattr(got.mean, field) == pytest.approx(
                getattr(expected.mean, field), rel=1e-10, nan_ok=True
            )
        for field in ("share", "ci_low", "ci_high"):
            assert getattr(got.share, field) == pytest.approx(
                getattr(expected.share, field), rel=1e-10, nan_ok=True
            )
    assert grouped.estimate("divorce").suppressed  # about 20 answers
    with pytest.raises(KeyError):
        grouped.estimate("emigration")


def test_grouping_labels_and_rows_without_a_group() -> None:
    by_int = Grouping.from_labels(np.array([3, -1, 7, 3, 7, 7]))
    assert by_int.labels == (3, 7)
    assert by_int.codes.tolist() == [0, 2, 1, 0, 1, 1]
    by_str = Grouping.from_labels(np.array(["b", "", "a", "b"]))
    assert by_str.labels == ("a", "b") and by_str.codes.tolist() == [1, 2, 0, 1]
    by_obj = Grouping.from_labels(np.array(["x", None, "y"], dtype=object))
    assert by_obj.labels == ("x", "y") and by_obj.codes.tolist() == [0, 2, 1]
    by_bool = Grouping.from_labels(np.array([True, False, True]))
    assert by_bool.labels == (False, True) and by_bool.codes.tolist() == [1, 0, 1]
    by_float = Grouping.from_labels(np.array([2.5, np.nan, 1.0]))
    assert by_float.labels == (1.0, 2.5) and by_float.codes.tolist() == [1, 2, 0]
    big = Grouping.from_labels(np.array([10**12, 5, 10**12]))
    assert big.labels == (5, 10**12) and big.codes.tolist() == [1, 0, 1]
    by_codes = Grouping.from_codes([0, -1, 1], ["moving", "birth"])
    assert by_codes.codes.tolist() == [0, 2, 1]
    with pytest.raises(ValueError, match="no label"):
        Grouping.from_codes([0, 2], ["moving", "birth"])


def test_population_sizes_and_rules_per_group() -> None:
    data = wave()
    y, w = data["answers"][:, 0], data["weights"]
    labels = EVENTS[data["event"]]
    plain = estimate_groups(y, labels, w)
    corrected = estimate_groups(
        y,
        labels,
        w,
        population_sizes={"moving": 2000.0},
        small_groups={"divorce": SmallGroupRule(hide_below=5, flag_below=50)},
    )
    moving = plain.index("moving")
    factor = 1 - plain.n[moving] / 2000.0
    assert corrected.se[moving] == pytest.approx(plain.se[moving] * math.sqrt(factor))
    assert corrected.se[plain.index("birth")] == plain.se[plain.index("birth")]
    divorce = corrected.estimate("divorce")
    assert not divorce.suppressed and divorce.flagged


def organisation_table(size: int, seed: int = 3) -> OrganisationGrades:
    rng = np.random.default_rng(seed)
    per_response = rng.integers(1, 4, size)
    rows = np.repeat(np.arange(size), per_response)
    organisations = rng.choice(np.array(["gm0363", "gm0599", "svb", "uwv", "rdw"]), rows.size)
    # each response grades an organisation at most once
    pair = rows * 10 + np.searchsorted(
        np.array(["gm0363", "gm0599", "rdw", "svb", "uwv"]), organisations
    )
    _, first = np.unique(pair, return_index=True)
    rows, organisations = rows[first], organisations[first]
    grades = np.clip(np.rint(rng.normal(6.9, 1.4, rows.size)), 1, 10)
    grades[rng.random(rows.size) < 0.05] = np.nan
    return OrganisationGrades(response=rows, organisation=organisations, grade=grades)


def test_levels_government_life_event_and_organisation() -> None:
    data = wave()
    table = organisation_table(data["answers"].shape[0])
    event = data["event"].copy()
    event[:25] = -1  # no life event: government level only
    levels = estimate_levels(
        data["answers"],
        VARIABLES,
        data["weights"],
        life_events=Grouping.from_codes(event, list(EVENTS)),
        organisation_grades=table,
        settings=EstimateSettings(small_groups=NO_SUPPRESSION),
    )
    government = levels["government"]
    assert government.labels == ("all",)
    assert set(government.variables) == {
        "overall",
        "chain",
        "bsc_1",
        "aspect_1",
        "organisation_grade",
    }
    total = government.variables["overall"].estimate("all")
    expected = weighted_mean_ci(data["answers"][:, 0], data["weights"])
    assert total.mean.mean == pytest.approx(expected.mean, rel=1e-12)
    assert total.mean.ci_high == pytest.approx(expected.ci_high, rel=1e-12)
    bsc = government.variables["bsc_1"].estimate("all")
    assert bsc.share.share == pytest.approx(bsc.mean.mean, rel=1e-12)  # share good
    life_event = levels["life_event"]
    assert life_event.labels == tuple(EVENTS)
    assert life_event.variables["chain"].n.sum() < government.variables["chain"].n[0]
    assert "age_group" not in life_event.variables

    rows = np.asarray(table.response)
    organisations = np.asarray(table.organisation)
    grades = np.asarray(table.grade)
    row_weights = data["weights"][rows]
    per_organisation = levels["organisation"].variables["organisation_grade"]
    for label in ("gm0363", "uwv"):
        mine = organisations == label
        direct = weighted_mean_ci(grades[mine], row_weights[mine])
        assert per_organisation.estimate(label).mean.ci_low == pytest.approx(direct.ci_low)
    pooled = government.variables["organisation_grade"].estimate("all")
    clustered = weighted_mean_ci(grades, row_weights, clusters=rows)
    assert pooled.mean.mean == pytest.approx(clustered.mean, rel=1e-12)
    assert pooled.mean.se == pytest.approx(clustered.se, rel=1e-10)
    assert pooled.mean.df == clustered.df
    naive = weighted_mean_ci(grades, row_weights)
    assert pooled.mean.df < naive.df  # responses, not grades, are the independent units


def test_organisation_rules_override_the_default() -> None:
    data = wave(300)
    table = organisation_table(300, seed=4)
    levels = estimate_levels(
        data["answers"],
        VARIABLES,
        data["weights"],
        organisation_grades=table,
        organisation_rules={"rdw": SmallGroupRule(hide_below=1000, flag_below=2000)},
    )
    organisations = levels["organisation"].variables["organisation_grade"]
    assert organisations.estimate("rdw").suppressed
    assert not organisations.estimate("svb").suppressed
    assert levels["life_event"].labels == ()


def test_numeric_variables_get_a_mean_but_no_share() -> None:
    rng = np.random.default_rng(5)
    days = rng.gamma(2.0, 10.0, 400)
    days[:20] = np.nan
    levels = estimate_levels(
        np.column_stack([days, days]),
        [VariableSpec("throughput_days", "numeric"), VariableSpec("late", "numeric", threshold=30)],
        life_events=rng.choice(["moving", "birth"], 400),
    )
    plain = levels["government"].variables["throughput_days"].estimate("all")
    assert plain.mean.mean == pytest.approx(np.nanmean(days))
    assert math.isnan(plain.share.share) and math.isnan(plain.share.ci_low)
    assert levels["government"].variables["throughput_days"].distribution is None
    late = levels["life_event"].variables["late"]
    for label in ("moving", "birth"):
        assert 0 < late.estimate(label).share.share < 1


def test_levels_validate_their_input() -> None:
    data = wave(100)
    with pytest.raises(ValueError, match="shape"):
        estimate_levels(data["answers"][:, :3], VARIABLES)
    bad = OrganisationGrades(response=[0, 100], organisation=["a", "b"], grade=[7.0, 8.0])
    with pytest.raises(ValueError, match="outside the responses"):
        estimate_levels(data["answers"], VARIABLES, organisation_grades=bad)
    with pytest.raises(ValueError, match="unknown variable kind"):
        VariableSpec("x", "ordinal")  # type: ignore[arg-type]
