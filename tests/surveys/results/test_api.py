"""GET /api/v1/surveys/{survey_id}/waves/{wave_id}/results (and /compare/...): shape and access."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from burgerlink.core.models import Organisation, User
from burgerlink.core.services import issue_api_token
from burgerlink.surveys.models import Wave
from tests.conftest import client_for

ESTIMATE_KEYS = {
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
}


def results_url(wave: Wave, query: str = "") -> str:
    return f"/api/v1/surveys/{wave.survey_id}/waves/{wave.pk}/results{query}"


def test_the_researcher_gets_all_levels_and_the_drivers(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    response = client_for(bram_researcher).get(results_url(life_event_wave))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert body["n_responses"] == 400
    assert body["n_total"] == 400
    assert set(body["levels"]) == {"government", "life_event", "organisation"}
    government = body["levels"]["government"]["groups"]
    assert [group["group"] for group in government] == ["all"]
    overall = government[0]["variables"]["GRADE_GOV"]
    assert set(overall) >= ESTIMATE_KEYS
    assert overall["ci_low"] < overall["mean"] < overall["ci_high"]
    assert overall["share_ci_low"] < overall["share_satisfied"] < overall["share_ci_high"]
    assert overall["suppressed"] is False
    assert overall["flagged"] is False
    assert overall["n_eff"] < overall["n"]  # weighted to the population
    events = {group["group"] for group in body["levels"]["life_event"]["groups"]}
    assert "verhuizen" in events
    organisations = body["levels"]["organisation"]["groups"]
    assert {"gemeente", "toeslagen"} <= {group["group"] for group in organisations}
    small = [
        group["variables"]["organisation_grade"]
        for group in organisations
        if group["variables"]["organisation_grade"]["n"] < 30
    ]
    assert small and all(item["suppressed"] and item["mean"] is None for item in small)
    assert body["weighting"]["method"] == "rake"
    drivers = body["drivers"]
    assert drivers["outcome"] == "GRADE_GOV"
    aspects = {item["variable"]: item for item in drivers["aspects"]}
    assert {"SPEED", "CHOICE"} <= set(aspects)
    assert all(
        item["quadrant"] in {"improve", "maintain", "lower priority", "possible overkill"}
        for item in aspects.values()
    )
    assert aspects["SPEED"]["importance"] > aspects["CHOICE"]["importance"]
    assert body["settings"]["hide_below"] == 30
    assert body["settings"]["flag_below"] == 100


def test_filters_by_life_event_organisation_and_background(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    client = client_for(bram_researcher)
    moving = client.get(results_url(life_event_wave, "?life_event=verhuizen")).json()
    assert 0 < moving["n_responses"] < 400
    assert [g["group"] for g in moving["levels"]["life_event"]["groups"]] == ["verhuizen"]
    assert moving["filters"]["life_event"] == "verhuizen"
    older = client.get(results_url(life_event_wave, "?background=age_group:55-74")).json()
    assert 0 < older["n_responses"] < 400
    uwv = client.get(results_url(life_event_wave, "?organisation=uwv")).json()
    assert [g["group"] for g in uwv["levels"]["organisation"]["groups"]] == ["uwv"]
    bad = client.get(results_url(life_event_wave, "?background=age_group"))
    assert bad.status_code == 422
    assert bad.json()["message"]


def test_the_organisations_token_may_read_the_results(
    life_event_wave: Wave, amstelstad: Organisation
) -> None:
    secret = issue_api_token(organisation=amstelstad, name="dashboard", by=None).secret
    response = Client(headers={"Authorization": f"Bearer {secret}"}).get(
        results_url(life_event_wave)
    )
    assert response.status_code == 200


def test_other_organisations_get_nothing(
    life_event_wave: Wave, henk_heidedorp: User, heidedorp: Organisation
) -> None:
    assert client_for(henk_heidedorp).get(results_url(life_event_wave)).status_code == 404
    secret = issue_api_token(organisation=heidedorp, name="dashboard", by=None).secret
    response = Client(headers={"Authorization": f"Bearer {secret}"}).get(
        results_url(life_event_wave)
    )
    assert response.status_code == 404  # as for an id that does not exist: ids are not public
    assert "message" in response.json()


def test_anonymous_callers_must_authenticate(life_event_wave: Wave) -> None:
    assert Client().get(results_url(life_event_wave)).status_code == 401


def test_unknown_surveys_and_waves_are_structured_404s(
    life_event_wave: Wave, bram_researcher: User, small_wave: Wave
) -> None:
    client = client_for(bram_researcher)
    missing = client.get(f"/api/v1/surveys/999999/waves/{life_event_wave.pk}/results")
    assert missing.status_code == 404
    assert missing.json()["message"]
    other_survey = client.get(
        f"/api/v1/surveys/{life_event_wave.survey_id}/waves/{small_wave.pk}/results"
    )
    assert other_survey.status_code == 404
    huge = client.get(f"/api/v1/surveys/{2**70}/waves/1/results")
    assert huge.status_code in {404, 422}


@pytest.mark.parametrize("role_user", ["carla_comms", "kees_quality"])
def test_roles_with_the_results_permission_may_read(
    life_event_wave: Wave, role_user: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role_user)
    assert client_for(user).get(results_url(life_event_wave)).status_code == 200


def test_two_waves_are_compared_with_welch(life_event_wave: Wave, bram_researcher: User) -> None:
    previous = Wave.objects.get(survey=life_event_wave.survey, name="meting vorig jaar")
    response = client_for(bram_researcher).get(
        f"/api/v1/surveys/{life_event_wave.survey_id}/waves/{life_event_wave.pk}/compare/{previous.pk}"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["alpha"] == 0.05
    overall = next(
        item
        for item in body["comparisons"]
        if item["level"] == "government" and item["variable"] == "GRADE_GOV"
    )
    assert overall["difference"] > 0  # the earlier wave was planted 0.4 lower
    assert overall["significant"] is True
    assert overall["p_value"] < 0.05
