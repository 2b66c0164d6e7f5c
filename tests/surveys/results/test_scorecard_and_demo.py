"""The BurgerServiceCode scorecard evidence, and the demo world's survey with planted drivers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from burgerlink.core import scorecard
from burgerlink.core.demo import load_demo_world
from burgerlink.core.models import Organisation
from burgerlink.surveys.models import AnalysisSettings, Answer, Response, Survey, Wave
from burgerlink.surveys.results import dataset, selectors
from burgerlink.surveys.results.demo import DEMO_TITLE, MIN_SIZE, demo_size
from burgerlink.surveys.results.scorecard import SurveyEvidenceSource


def test_the_survey_source_is_registered() -> None:
    assert "life_event_survey" in {source.code for source in scorecard.registered_sources()}


def test_evidence_per_norm_from_the_latest_closed_wave(
    life_event_wave: Wave, amstelstad: Organisation
) -> None:
    evidence = SurveyEvidenceSource().evidence(amstelstad)
    assert sorted(item.norm_number for item in evidence) == list(range(1, 11))
    analysis = dataset.wave_analysis(life_event_wave)
    first = next(item for item in evidence if item.norm_number == 1)
    expected = analysis.government("BSC_1")
    assert expected is not None
    assert first.score == pytest.approx(expected.share.share)
    assert 0 < (first.score or 0) < 1
    assert first.as_of == life_event_wave.closes_at.date()
    assert f"n = {expected.n}" in first.detail


def test_suppressed_norms_and_open_waves_give_no_evidence(
    life_event_wave: Wave, amstelstad: Organisation
) -> None:
    AnalysisSettings.objects.create(organisation=amstelstad, hide_below=10_000, flag_below=20_000)
    assert SurveyEvidenceSource().evidence(amstelstad) == []
    AnalysisSettings.objects.filter(organisation=amstelstad).delete()
    Wave.objects.filter(survey=life_event_wave.survey).update(
        closes_at=timezone.now() + timedelta(days=5)
    )
    assert SurveyEvidenceSource().evidence(amstelstad) == []


def test_an_organisation_without_a_survey_has_no_evidence(heidedorp: Organisation) -> None:
    assert SurveyEvidenceSource().evidence(heidedorp) == []


@pytest.mark.django_db
def test_the_demo_step_is_idempotent_and_its_drivers_are_found() -> None:
    load_demo_world(steps=["Tevredenheidsonderzoek"])
    survey = Survey.objects.get(organisation__slug="amstelstad", title=DEMO_TITLE)
    waves = list(survey.waves.order_by("opens_at"))
    assert len(waves) == 2
    current = waves[-1]
    assert current.closes_at < timezone.now()
    size = demo_size()
    assert size == MIN_SIZE  # 2% of 10,000 in tests, raised to the minimum
    assert selectors.completed(current).count() == size
    answers = Answer.objects.filter(response__wave=current).count()
    load_demo_world(steps=["Tevredenheidsonderzoek"])
    assert Survey.objects.filter(title=DEMO_TITLE).count() == 1
    assert Answer.objects.filter(response__wave=current).count() == answers
    assert Response.objects.filter(wave__survey=survey).count() == size + round(size * 0.6)

    analysis = dataset.wave_analysis(current)
    drivers = analysis.result.drivers
    assert drivers is not None
    importance = {driver.name: driver.importance for driver in drivers.drivers}
    strong = min(importance["SPEED"], importance["INFO_CLEAR"])
    assert strong > importance["COOPERATION"] > importance["CHOICE"]
    assert importance["COOPERATION"] > importance["EASE"]
    events = analysis.result.levels["life_event"].labels
    assert 6 <= len(events) <= 8
    assert analysis.weights.method == "rake"
    weighted = analysis.government("GRADE_GOV")
    assert weighted is not None and weighted.n > 300
    grades = Answer.objects.filter(response__wave=current, code="GRADE_GOV", number__lte=10)
    plain = sum(grades.values_list("number", flat=True)) / grades.count()
    # older respondents are over-represented and more satisfied: weighting lowers the mean
    assert weighted.mean.mean < plain - 0.05
