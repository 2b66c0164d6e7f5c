"""The platform's statistics as documented in docs/surveys.md: weighting summary, sampled
responses and the population correction, the drivers' 0–100 performance, the pooled share.

Each figure is recomputed here from the wave's own arrays by the documented formula.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from burgerlink.core.models import User
from burgerlink.surveys.models import Response, ResponseChannel, ResponseStatus, Wave
from burgerlink.surveys.results import dataset
from tests.conftest import client_for


def results(wave: Wave, user: User) -> dict[str, Any]:
    response = client_for(user).get(f"/api/v1/surveys/{wave.survey_id}/waves/{wave.pk}/results")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_the_weighting_summary_reports_what_the_raking_did(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    weighting = results(life_event_wave, bram_researcher)["weighting"]
    assert weighting["method"] == "rake"
    assert weighting["iterations"] >= 1
    assert weighting["converged"] is True
    # the largest relative deviation of a weighted margin from its target, recomputed
    analysis = dataset.wave_analysis(life_event_wave)
    weights = analysis.weights.weights
    assert weights is not None
    worst = 0.0
    for name, shares in dataset.weighting_targets(life_event_wave).items():
        codes = analysis.backgrounds.codes[name]
        categories = analysis.backgrounds.categories[name]
        unknown = float(np.mean(codes < 0))
        total = sum(shares.values())
        for position, category in enumerate(categories):
            achieved = weights[codes == position].sum() / weights.sum()
            target = shares[category] / total * (1 - unknown)
            worst = max(worst, abs(achieved - target) / target)
    # the engine measures it on its cell table at its last convergence check: equal to the
    # raking's tolerance
    assert weighting["max_margin_error"] == pytest.approx(worst, abs=1e-6)
    assert worst < 1e-6


def test_the_population_correction_counts_only_responses_by_personal_invitation(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    completed = Response.objects.filter(wave=life_event_wave, status=ResponseStatus.COMPLETED)
    sampled = completed.filter(channel=ResponseChannel.WEB).count()
    assert 0 < sampled < completed.count()  # the synthetic wave mixes channels
    analysis = dataset.wave_analysis(life_event_wave)
    assert analysis.fpc and analysis.n_sampled == sampled
    estimate = analysis.government("GRADE_GOV")
    assert estimate is not None
    # the correction is the sampled answers' share of Σw² times f, plus the others' share
    column = analysis.result.levels["government"].variables["GRADE_GOV"]
    sampling_fraction = sampled / 40_000
    correction = float(column.fpc[0])
    assert correction > 1.0 - sampling_fraction
    assert correction < 1.0
    page = client_for(bram_researcher).get(
        f"/medewerkers/{life_event_wave.organisation.slug}/onderzoek/resultaten/{life_event_wave.pk}/"
    )
    text = page.content.decode()
    assert f"op de {sampled} vragenlijsten die via een persoonlijke uitnodiging" in text

    # without any response by personal link there is nothing to correct
    completed.filter(channel=ResponseChannel.WEB).update(channel=ResponseChannel.OPEN_LINK)
    dataset.clear_cache()
    unsampled = dataset.wave_analysis(life_event_wave)
    assert not unsampled.fpc and unsampled.n_sampled == 0
    column = unsampled.result.levels["government"].variables["GRADE_GOV"]
    assert float(column.fpc[0]) == 1.0


def test_driver_performance_is_the_mean_on_one_0_100_scale(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    body = results(life_event_wave, bram_researcher)
    drivers = body["drivers"]
    assert drivers["performance"] == "scaled"
    government = body["levels"]["government"]["groups"][0]["variables"]
    kinds = {item["name"]: item for item in body["variables"]}
    for aspect in drivers["aspects"]:
        name = aspect["variable"]
        low, high = kinds[name]["categories"][0], kinds[name]["categories"][-1]
        expected = 100 * (government[name]["mean"] - low) / (high - low)
        assert aspect["performance"] == pytest.approx(expected, rel=1e-9)
        assert 0 <= aspect["performance"] <= 100


def test_the_pooled_organisation_share_is_as_wide_as_its_clustering_says(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    pooled = results(life_event_wave, bram_researcher)["levels"]["government"]["groups"][0][
        "variables"
    ]["organisation_grade"]
    # the share's effective n is below the grades' Kish n_eff: respondents grade several
    assert pooled["share_n_eff"] < pooled["n_eff"]
    p = pooled["share_satisfied"]
    z = 1.959963984540054
    n = pooled["share_n_eff"]
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert (pooled["share_ci_low"], pooled["share_ci_high"]) == pytest.approx(
        (centre - half, centre + half), rel=1e-9
    )
