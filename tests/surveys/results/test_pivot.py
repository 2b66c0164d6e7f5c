"""From answers in long format to the engine's matrix, weights and filters."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from burgerlink.surveys.definition import parse
from burgerlink.surveys.models import Response, Wave
from burgerlink.surveys.results import dataset, selectors
from burgerlink.surveys.results.pivot import (
    LongAnswers,
    TargetsError,
    category_codes,
    pivot,
    rake_to_targets,
)
from burgerlink.surveys.results.variables import catalogue
from tests.surveys.results.conftest import SMALL_DEFINITION, template_version


def test_long_answers_become_a_column_major_matrix_with_dont_know_as_missing() -> None:
    ids = np.array([10, 20, 30], dtype=np.int64)
    rows = [(20, "B", 98.0), (10, "A", 7.0), (30, "B", 4.0), (10, "X", 1.0), (99, "A", 5.0)]
    answers = LongAnswers.from_rows(rows, {"A": 0, "B": 1, "C": 2})
    matrix = pivot(ids, answers, 3, coded_columns=[1])
    assert matrix.flags["F_CONTIGUOUS"]
    assert matrix.shape == (3, 3)
    assert matrix[0, 0] == 7.0
    assert math.isnan(matrix[1, 1])  # 98 = don't know
    assert matrix[2, 1] == 4.0
    assert np.isnan(matrix[:, 2]).all()  # never answered
    assert np.isnan(matrix[1:, 0]).all()  # unknown code X and unknown response 99 ignored


def test_numbers_keep_98_and_99_when_they_are_not_codes() -> None:
    answers = LongAnswers.from_rows([(1, "WEEKS", 98.0), (2, "WEEKS", 99.0)], {"WEEKS": 0})
    matrix = pivot(np.array([1, 2]), answers, 1, coded_columns=[])
    assert matrix[:, 0].tolist() == [98.0, 99.0]


def test_the_catalogue_reads_the_roles_of_the_life_event_template(db: None) -> None:
    cat = catalogue(parse(template_version().definition))
    assert cat.overall == "GRADE_GOV"
    assert cat.chain == "GRADE_CHAIN"
    assert ("GRADE_ORG_GEMEENTE", "gemeente") in cat.organisations
    assert [norm for _code, norm in cat.bsc] == list(range(1, 11))
    assert {"SPEED", "INFO_CLEAR", "COOPERATION", "CHOICE", "GOT_NEEDED"} <= set(cat.aspects)
    assert cat.screening == "SCREEN_EVENT"
    assert {question.name for question in cat.backgrounds} == {"age_group", "sex", "education"}
    assert cat.open == ("OPEN_GOOD", "OPEN_IMPROVE")
    kinds = {variable.code: variable.kind for variable in cat.numeric}
    assert kinds["GRADE_GOV"] == "grade"
    assert kinds["SPEED"] == "scale"
    assert kinds["BSC_3"] == "binary"
    assert kinds["GOT_NEEDED"] == "binary"
    assert kinds["THROUGHPUT_WEEKS"] == "numeric"
    assert kinds["GRADE_ORG_UWV"] == "background"  # analysed through the long table instead
    assert "CHANNELS" not in kinds  # multiple choice: not a number
    assert not cat.by_code["THROUGHPUT_WEEKS"].coded
    assert cat.by_code["SPEED"].coded


def test_the_wave_is_pivoted_with_one_query_over_answers(small_wave: Wave) -> None:
    cat = dataset.wave_catalogue(small_wave)
    ids = selectors.completed_ids(small_wave)
    with CaptureQueriesContext(connection) as queries:
        answers = selectors.numeric_answers(small_wave, cat.index)
    assert len(queries) == 1
    assert "surveys_answer" in queries[0]["sql"]
    matrix = pivot(ids, answers, len(cat.numeric), cat.coded_columns)
    column = cat.index
    assert ids.size == 3  # the response in progress is left out
    assert matrix[:, column["OVERALL"]].tolist()[0] == 8.0
    assert math.isnan(matrix[1, column["OVERALL"]])  # 98
    assert math.isnan(matrix[0, column["CLEAR"]])  # 99 = not applicable
    assert matrix[1, column["CLEAR"]] == 3.0
    assert matrix[0, column["WEEKS"]] == 98.0  # a number, not a code
    assert matrix[2, column["WEEKS"]] == 2.5
    assert math.isnan(matrix[2, column["BSC_1"]])


def test_the_analysis_uses_the_pivot_and_the_organisations_settings(small_wave: Wave) -> None:
    analysis = dataset.wave_analysis(small_wave)
    assert analysis.n == 3
    overall = analysis.government("OVERALL")
    assert overall is not None
    assert overall.n == 2
    assert overall.suppressed  # fewer than 30 answers
    assert set(analysis.result.levels["life_event"].labels) == {"geboorte", "verhuizen"}
    assert analysis.result.levels["organisation"].labels == ("gemeente",)
    unsuppressed = selectors.Rules(hide_below=0, flag_below=5)
    from burgerlink.surveys.models import AnalysisSettings

    AnalysisSettings.objects.create(
        organisation=small_wave.organisation,
        hide_below=unsuppressed.hide_below,
        flag_below=unsuppressed.flag_below,
        alpha=0.1,
    )
    analysis = dataset.wave_analysis(small_wave)
    overall = analysis.government("OVERALL")
    assert overall is not None and not overall.suppressed and overall.flagged
    assert overall.mean.mean == pytest.approx(7.0)
    assert analysis.rules.alpha == 0.1


def test_filters_restrict_the_rows(small_wave: Wave) -> None:
    by_event = dataset.wave_analysis(small_wave, dataset.Filters(life_event="verhuizen"))
    assert by_event.n == 2
    by_organisation = dataset.wave_analysis(small_wave, dataset.Filters(organisation="gemeente"))
    assert by_organisation.n == 1  # graded the municipality (or said yes to contact)
    by_background = dataset.wave_analysis(
        small_wave, dataset.Filters(background=("age_group", "old"))
    )
    assert by_background.n == 1
    nobody = dataset.wave_analysis(small_wave, dataset.Filters(life_event="onbekend"))
    assert nobody.n == 0


def test_background_comes_from_the_sample_then_from_the_questions(small_wave: Wave) -> None:
    analysis = dataset.wave_analysis(small_wave)
    found = analysis.backgrounds
    categories = found.values("age_group")
    assert categories == ["young", "old"]
    assert found.codes["age_group"].tolist() == [0, -1, 1]


def test_parse_background() -> None:
    assert dataset.parse_background("age_group:18-34") == ("age_group", "18-34")
    assert dataset.parse_background("") is None
    with pytest.raises(ValueError):
        dataset.parse_background("age_group")


def test_raking_meets_the_targets_and_keeps_unknowns() -> None:
    codes = {"sex": np.array([0, 0, 0, 1, -1, 1, 0, 0])}
    weights = rake_to_targets({"sex": {"m": 0.5, "f": 0.5}}, codes, 8)
    assert weights.method == "rake"
    assert weights.weights is not None
    known = codes["sex"] >= 0
    men = weights.weights[codes["sex"] == 0].sum() / weights.weights[known].sum()
    assert men == pytest.approx(0.5, abs=1e-4)
    assert weights.weights[~known][0] == pytest.approx(1.0, abs=0.05)


def test_a_target_category_without_respondents_is_a_named_problem() -> None:
    with pytest.raises(TargetsError) as problem:
        rake_to_targets(
            {"age": {"young": 0.5, "old": 0.5}},
            {"age": category_codes(["young"] * 4, ["young", "old"])},
            4,
        )
    assert problem.value.args == ("age", "old")


def test_weighting_that_cannot_be_met_falls_back_to_unweighted_with_a_message(
    small_wave: Wave,
) -> None:
    Wave.objects.filter(pk=small_wave.pk).update(
        weighting={"age_group": {"young": 0.3, "old": 0.3, "middle": 0.4}}
    )
    small_wave.refresh_from_db()
    analysis = dataset.wave_analysis(small_wave)
    assert analysis.weights.method == "none"
    assert "middle" in analysis.weights.message
    assert "ongewogen" in analysis.weights.message


def test_stored_weights_are_used_without_targets(small_wave: Wave) -> None:
    Response.objects.filter(wave=small_wave).update(weight=2.0)
    analysis = dataset.wave_analysis(small_wave)
    assert analysis.weights.method == "base"


def test_the_analysis_is_cached_until_the_wave_changes(small_wave: Wave) -> None:
    first = dataset.wave_analysis(small_wave)
    assert dataset.wave_analysis(small_wave) is first
    response = Response.objects.filter(wave=small_wave, status="in_progress").get()
    response.status = "completed"
    response.completed_at = small_wave.closes_at
    response.save()
    assert dataset.wave_analysis(small_wave).n == 4


def test_the_small_definition_is_valid() -> None:
    assert parse(SMALL_DEFINITION).pages
