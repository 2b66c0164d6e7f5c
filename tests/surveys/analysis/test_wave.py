"""The full analysis of a wave and its JSON shape for the results API."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from burgerlink.surveys.analysis import (
    DriverSettings,
    EstimateSettings,
    Grouping,
    Margin,
    OrganisationGrades,
    PostStratification,
    Quadrant,
    Raking,
    SmallGroupRule,
    Trimming,
    VariableSpec,
    WaveData,
    WaveSettings,
    analyse_wave,
    compare_waves,
    weighted_mean_ci,
)

EVENTS = ["moving", "birth", "retirement", "divorce", "emigration"]
ORGANISATIONS = ["gm0363", "gm0599", "svb", "uwv", "ind"]
VARIABLES = [
    VariableSpec("overall"),
    VariableSpec("chain"),
    *(VariableSpec(f"bsc_{norm}", "binary") for norm in (1, 2, 3)),
    *(VariableSpec(f"aspect_{aspect}", "scale") for aspect in (1, 2, 3, 4)),
    VariableSpec("age_group", "background"),
    VariableSpec("sex", "background"),
]
AGE_SHARES = np.array([0.25, 0.35, 0.25, 0.15])
SEX_SHARES = np.array([0.49, 0.51])


def make_wave(size: int = 3000, seed: int = 1, shift: float = 0.0) -> WaveData:
    """A small synthetic wave: grades, BSC items, aspects, age group, sex, events, organisations."""
    rng = np.random.default_rng(seed)
    event = rng.choice(5, size, p=[0.45, 0.3, 0.15, 0.095, 0.005])
    age = rng.choice(4, size, p=[0.1, 0.3, 0.35, 0.25])
    sex = rng.choice(2, size, p=[0.6, 0.4])
    latent = 6.7 + shift + 0.2 * age + rng.normal(0, 1.2, size)
    aspects = np.column_stack(
        [
            np.clip(np.rint(3 + strength * (latent - 6.7) + rng.normal(0, 1, size)), 1, 5)
            for strength in (0.9, 0.6, 0.3, 0.1)
        ]
    )
    answers = np.column_stack(
        [
            np.clip(np.rint(latent + rng.normal(0, 0.8, size)), 1, 10),
            np.clip(np.rint(latent - 0.2 + rng.normal(0, 1, size)), 1, 10),
            (rng.random((size, 3)) < 0.75).astype(float),
            aspects,
            age.astype(float),
            sex.astype(float),
        ]
    )
    answers[:, :9][rng.random((size, 9)) < 0.04] = np.nan
    per_response = rng.integers(1, 3, size)
    rows = np.repeat(np.arange(size), per_response)
    organisation = rng.choice(5, rows.size, p=[0.4, 0.3, 0.2, 0.095, 0.005])
    unique = np.unique(rows * 10 + organisation, return_index=True)[1]
    rows, organisation = rows[unique], organisation[unique]
    grades = np.clip(np.rint(latent[rows] + 0.2 + rng.normal(0, 1, rows.size)), 1, 10)
    return WaveData(
        answers=np.asfortranarray(answers),
        variables=VARIABLES,
        life_events=Grouping.from_codes(event, EVENTS),
        organisation_grades=OrganisationGrades(
            response=rows,
            organisation=Grouping.from_codes(organisation, ORGANISATIONS),
            grade=grades,
        ),
    )


def raking_for(data: WaveData) -> Raking:
    answers = np.asarray(data.answers)
    return Raking(
        [
            Margin(answers[:, 9].astype(int), AGE_SHARES, "age_group"),
            Margin(answers[:, 10].astype(int), SEX_SHARES, "sex"),
        ],
        targets_are="shares",
        tol=1e-9,
    )


SETTINGS = WaveSettings(drivers=DriverSettings(outcome="overall"))


def test_the_full_analysis_of_a_wave() -> None:
    data = make_wave()
    result = analyse_wave(
        data, weighting=raking_for(data), trimming=Trimming(upper_ratio=4.0), settings=SETTINGS
    )
    answers = np.asarray(data.answers)
    weights = result.weights
    assert result.weighting.converged and result.weighting.method == "rake"
    shares = np.bincount(answers[:, 9].astype(int), weights) / weights.sum()
    np.testing.assert_allclose(shares, AGE_SHARES, rtol=1e-8)
    assert weights.max() <= 4.0 * np.median(weights) * (1 + 1e-6)

    overall = result.estimate("government", "all", "overall")
    direct = weighted_mean_ci(answers[:, 0], weights)
    assert overall.mean.mean == pytest.approx(direct.mean, rel=1e-12)
    assert overall.mean.ci_low == pytest.approx(direct.ci_low, rel=1e-12)
    assert overall.n_eff < overall.n

    moving = np.asarray(data.life_events.codes) == 0  # type: ignore[union-attr]
    chain = result.estimate("life_event", "moving", "chain")
    assert chain.mean.mean == pytest.approx(
        weighted_mean_ci(answers[moving, 1], weights[moving]).mean, rel=1e-12
    )
    assert result.estimate("life_event", "emigration", "chain").suppressed
    assert result.estimate("organisation", "ind", "organisation_grade").suppressed
    assert not result.estimate("organisation", "gm0363", "organisation_grade").suppressed

    drivers = result.drivers
    assert drivers is not None and drivers.outcome == "overall"
    assert [driver.name for driver in drivers.drivers] == [f"aspect_{a}" for a in (1, 2, 3, 4)]
    assert drivers.driver("aspect_1").importance > drivers.driver("aspect_4").importance
    assert drivers.driver("aspect_1").quadrant in (Quadrant.IMPROVE, Quadrant.MAINTAIN)
    performance = result.estimate("government", "all", "aspect_2").mean.mean
    assert drivers.driver("aspect_2").performance == pytest.approx(performance)


def test_the_result_serialises_to_the_api_shape() -> None:
    data = make_wave(seed=2)
    result = analyse_wave(data, weighting=raking_for(data), settings=SETTINGS)
    body = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert body["n_responses"] == 3000
    assert body["settings"]["confidence"] == 0.95
    assert body["settings"]["hide_below"] == 30 and body["settings"]["flag_below"] == 100
    assert [v["name"] for v in body["variables"]][:2] == ["overall", "chain"]
    assert "age_group" not in [v["name"] for v in body["variables"]]
    assert body["weighting"]["method"] == "rake" and body["weighting"]["converged"]
    assert set(body["levels"]) == {"government", "life_event", "organisation"}
    (everyone,) = body["levels"]["government"]["groups"]
    assert everyone["group"] == "all"
    overall = everyone["variables"]["overall"]
    assert set(overall) >= {
        "n",
        "n_eff",
        "mean",
        "ci_low",
        "ci_high",
        "share_satisfied",
        "share_ci_low",
        "share_ci_high",
        "suppressed",
        "flagged",
        "distribution",
    }
    assert overall["ci_low"] < overall["mean"] < overall["ci_high"]
    assert overall["distribution"]["categories"] == list(range(1, 11))
    assert sum(overall["distribution"]["counts"]) == overall["n"]
    events = {group["group"]: group for group in body["levels"]["life_event"]["groups"]}
    assert list(events) == EVENTS
    emigration = events["emigration"]["variables"]["chain"]
    assert emigration["suppressed"] and emigration["mean"] is None
    assert emigration["share_satisfied"] is None and emigration["n"] < 30
    assert emigration["distribution"]["counts"] is None
    assert emigration["distribution"]["shares"] is None
    organisations = body["levels"]["organisation"]["groups"]
    assert {group["group"] for group in organisations} == set(ORGANISATIONS)
    aspects = body["drivers"]["aspects"]
    assert {a["quadrant"] for a in aspects} <= {q.value for q in Quadrant}
    assert all(a["importance"] is not None for a in aspects)


def test_settings_change_intervals_and_thresholds() -> None:
    data = make_wave(seed=3)
    wide = analyse_wave(data)
    narrow = analyse_wave(
        data,
        settings=WaveSettings(
            estimates=EstimateSettings(
                confidence=0.80, small_groups=SmallGroupRule(hide_below=10, flag_below=20)
            ),
            population_sizes={"government": {"all": 6000.0}},
            organisation_rules={"ind": SmallGroupRule(hide_below=0, flag_below=0)},
            distributions=False,
        ),
    )
    a = wide.estimate("government", "all", "overall").mean
    b = narrow.estimate("government", "all", "overall").mean
    assert a.mean == b.mean
    assert b.ci_high - b.ci_low < a.ci_high - a.ci_low
    assert b.fpc == pytest.approx(1 - a.n / 6000.0)
    assert not narrow.estimate("organisation", "ind", "organisation_grade").suppressed
    assert wide.weighting.method == "none"
    body = narrow.to_dict()
    assert "distribution" not in body["levels"]["government"]["groups"][0]["variables"]["overall"]
    assert body["settings"]["organisation_rules"] == {"ind": {"hide_below": 0, "flag_below": 0}}


def test_post_stratification_and_base_weights() -> None:
    data = make_wave(seed=4)
    answers = np.asarray(data.answers)
    targets = np.outer(AGE_SHARES, SEX_SHARES)
    cells = PostStratification(
        [answers[:, 9].astype(int), answers[:, 10].astype(int)], targets, targets_are="shares"
    )
    result = analyse_wave(data, weighting=cells)
    joint = np.zeros((4, 2))
    np.add.at(joint, (answers[:, 9].astype(int), answers[:, 10].astype(int)), result.weights)
    np.testing.assert_allclose(joint / joint.sum(), targets, rtol=1e-10)
    base: np.ndarray = np.random.default_rng(5).uniform(0.5, 1.5, size=3000)
    with_base = replace(data, base_weights=base)
    trimmed = analyse_wave(with_base, trimming=Trimming(upper_ratio=1.2))
    assert trimmed.weighting.method == "trim"
    assert trimmed.weights.sum() == pytest.approx(base.sum())
    assert analyse_wave(with_base).weighting.method == "base"


def test_comparing_two_waves() -> None:
    before = analyse_wave(make_wave(seed=6), settings=SETTINGS)
    after = analyse_wave(make_wave(seed=7, shift=0.4), settings=SETTINGS)
    comparisons = compare_waves(after, before)
    found = {(c.level, c.group, c.variable): c for c in comparisons}
    overall = found[("government", "all", "overall")].result
    assert overall.difference > 0 and overall.significant
    tiny = found[("life_event", "emigration", "overall")].result
    assert math.isnan(tiny.p_value) and not tiny.significant
    assert ("organisation", "gm0363", "organisation_grade") in found
    assert found[("government", "all", "overall")].to_dict()["level"] == "government"


def test_bad_driver_settings_and_shapes_are_reported() -> None:
    data = make_wave(300, seed=8)
    with pytest.raises(ValueError, match="unknown variables"):
        analyse_wave(data, settings=WaveSettings(drivers=DriverSettings(outcome="nonsense")))
    with pytest.raises(ValueError, match="shape"):
        analyse_wave(WaveData(np.asarray(data.answers)[:, :5], VARIABLES))
    with pytest.raises(ValueError, match="unique"):
        analyse_wave(WaveData(np.zeros((3, 2)), [VariableSpec("a"), VariableSpec("a")]))
