"""API endpoints of the surveys app's results area: a wave's results and a comparison of waves.

Only aggregates: no response, answer or respondent is ever returned. Callers are the survey's
organisation (its API token, or a signed-in member with the right to view survey results).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from burgerlink.core.api_support import TOKEN_OR_STAFF, authorised_owner, error_responses
from burgerlink.core.permissions import Perm
from burgerlink.surveys.models import Wave
from burgerlink.surveys.results import dataset, selectors

router = Router(tags=["surveys"])
READ_ERRORS = error_responses(401, 403, 404, 422)


class DistributionOut(Schema):
    """Answers per category (empty when the group is suppressed)."""

    categories: list[float]
    counts: list[int] | None
    shares: list[float | None] | None


class EstimateOut(Schema):
    """One variable in one group; figures are empty (null) when suppressed or undefined."""

    n: int = Field(description="Answers counted (don't know / not applicable excluded).")
    n_eff: float | None = Field(description="Kish effective sample size.")
    mean: float | None = Field(description="Weighted mean.")
    se: float | None = Field(description="Standard error of the mean.")
    df: float | None = Field(description="Degrees of freedom of the t interval.")
    ci_low: float | None = Field(description="Lower bound of the 95% interval of the mean.")
    ci_high: float | None = Field(description="Upper bound of the 95% interval of the mean.")
    share_satisfied: float | None = Field(
        description="Weighted share at or above the threshold (grade ≥ 7, scale ≥ 4, yes)."
    )
    share_ci_low: float | None = Field(description="Lower bound of the share's Wilson interval.")
    share_ci_high: float | None = Field(description="Upper bound of the share's Wilson interval.")
    share_n_eff: float | None = Field(
        None,
        description=(
            "Effective n of the share's Wilson interval: Kish's over the population correction "
            "of the sampled answers; for the pooled organisation grade, from the share's "
            "variance clustered by respondent."
        ),
    )
    suppressed: bool = Field(description="Fewer answers than the organisation's hide_below.")
    flagged: bool = Field(description="Fewer answers than the organisation's flag_below.")
    distribution: DistributionOut | None = None


class GroupOut(Schema):
    """One group of a level: 'all' (government), a life-event code, or an agency code."""

    group: str | int | float
    variables: dict[str, EstimateOut]


class LevelOut(Schema):
    """The groups of one level."""

    groups: list[GroupOut]


class LevelsOut(Schema):
    """The three levels."""

    government: LevelOut
    life_event: LevelOut
    organisation: LevelOut


class DriverOut(Schema):
    """An aspect's derived importance for the overall grade, and its quadrant."""

    variable: str
    n: int
    correlation: float | None
    beta: float | None
    relative_weight: float | None
    importance: float | None = Field(description="The importance used in the priority matrix.")
    performance: float | None
    quadrant: str | None = Field(
        description="improve, maintain, lower priority or possible overkill."
    )
    flags: list[str]


class DriversOut(Schema):
    """Derived importance of the aspects for the overall grade, with the priority matrix."""

    outcome: str
    method: str
    performance: str
    split: str
    r_squared: float | None
    n_complete: int
    importance_split: float | None
    performance_split: float | None
    flags: list[str]
    aspects: list[DriverOut]


class VariableOut(Schema):
    """An analysed variable."""

    name: str
    kind: str
    threshold: float | None
    categories: list[float] | None
    label: str = ""
    role: str = ""


class WeightingOut(Schema):
    """How the weights were obtained (not the weights themselves)."""

    method: str
    n: int
    effective_n: float
    design_effect: float | None
    iterations: int
    converged: bool
    max_margin_error: float
    n_trimmed: int
    sum: float
    min: float | None
    max: float | None
    message: str = ""


class SettingsOut(Schema):
    """Confidence, variance method and the small-group rule used."""

    confidence: float
    variance: str
    hide_below: int
    flag_below: int
    alpha: float = 0.05
    organisation_rules: dict[str, dict[str, int]] = {}


class FiltersOut(Schema):
    """The filters applied."""

    life_event: str = ""
    organisation: str = ""
    background: str = ""


class ResultsOut(Schema):
    """A wave's results on three levels: government as a whole, per life event, per organisation."""

    survey_id: int
    wave_id: int
    wave: str
    filters: FiltersOut
    n_responses: int = Field(description="Completed responses in the (filtered) analysis.")
    n_total: int = Field(description="Completed responses in the whole wave.")
    settings: SettingsOut
    variables: list[VariableOut]
    weighting: WeightingOut
    levels: LevelsOut
    drivers: DriversOut | None


class ResultsFilters(Schema):
    """Optional filters of the results."""

    life_event: str = Field("", max_length=60, description="A life-event code.")
    organisation: str = Field("", max_length=40, description="An agency code of the chain.")
    background: str = Field(
        "", max_length=120, description="A background group as name:value, e.g. age_group:18-34."
    )


class ComparisonOut(Schema):
    """One variable of one group compared between two waves (this wave minus the other)."""

    level: str
    group: str | int | float
    variable: str
    difference: float | None
    se: float | None
    t: float | None
    df: float | None
    p_value: float | None
    alpha: float
    significant: bool
    ci_low: float | None
    ci_high: float | None
    n_a: int
    n_b: int


class CompareOut(Schema):
    """Welch tests of every variable and group the two waves share."""

    wave_id: int
    other_wave_id: int
    alpha: float
    comparisons: list[ComparisonOut]


def _wave(request: HttpRequest, survey_id: int, wave_id: int) -> Wave:
    """The wave, after checking the caller may see its survey's organisation's results."""
    survey = selectors.survey_by_id(survey_id)
    if survey is None:
        raise Http404(_("Onderzoek niet gevonden."))
    authorised_owner(request, survey.organisation, Perm.VIEW_SURVEY_RESULTS)
    wave = selectors.survey_wave(survey_id, wave_id)
    if wave is None:
        raise Http404(_("Meting niet gevonden bij dit onderzoek."))
    return wave


def _filters(raw: ResultsFilters) -> dataset.Filters:
    try:
        background = dataset.parse_background(raw.background)
    except ValueError as error:
        raise HttpError(422, str(error)) from error
    return dataset.Filters(
        life_event=raw.life_event.strip(),
        organisation=raw.organisation.strip(),
        background=background,
    )


@router.get(
    "/surveys/{survey_id}/waves/{wave_id}/results",
    response={200: ResultsOut, **READ_ERRORS},
    auth=TOKEN_OR_STAFF,
    summary="Results of a survey wave",
)
def wave_results(
    request: HttpRequest, survey_id: int, wave_id: int, filters: Query[ResultsFilters]
) -> dict[str, Any]:
    """Per level and group: n, effective n, mean with CI, share satisfied with interval, flags.

    Levels: ``government`` (group ``all``), ``life_event`` (one group per life-event code),
    ``organisation`` (one group per agency code, the organisation grade). ``drivers``: each
    aspect's derived importance for the overall grade and its quadrant in the priority matrix.
    Suppressed groups (fewer answers than the organisation's ``hide_below``) carry no figures.
    """
    wave = _wave(request, survey_id, wave_id)
    chosen = _filters(filters)
    analysis = dataset.wave_analysis(wave, chosen)
    body = analysis.result.to_dict()
    for record in body["levels"].values():
        for group in record["groups"]:
            group["group"] = group["group"] if group["group"] is not None else ""
    labels = {variable.code: variable for variable in analysis.catalogue.variables}
    for variable in body["variables"]:
        known = labels.get(variable["name"])
        variable["label"] = known.label("nl") if known else ""
        variable["role"] = known.role if known else ""
    # the engine saw the wave's weights as given; say how they were made
    body["weighting"].update(
        method=analysis.weights.method,
        converged=analysis.weights.converged,
        n_trimmed=analysis.weights.n_trimmed,
        iterations=analysis.weights.iterations,
        max_margin_error=analysis.weights.max_margin_error,
        message=analysis.weights.message,
    )
    body["settings"]["alpha"] = analysis.rules.alpha
    background = "" if chosen.background is None else ":".join(chosen.background)
    return {
        "survey_id": wave.survey_id,
        "wave_id": wave.pk,
        "wave": wave.name,
        "filters": {
            "life_event": chosen.life_event,
            "organisation": chosen.organisation,
            "background": background,
        },
        "n_total": analysis.n_total,
        **body,
    }


@router.get(
    "/surveys/{survey_id}/waves/{wave_id}/compare/{other_wave_id}",
    response={200: CompareOut, **READ_ERRORS},
    auth=TOKEN_OR_STAFF,
    summary="Compare two waves (Welch test)",
)
def compare(
    request: HttpRequest, survey_id: int, wave_id: int, other_wave_id: int
) -> dict[str, Any]:
    """Welch tests (α from the organisation's settings) of every shared variable and group.

    The other wave must belong to the same organisation; differences are this wave minus the
    other.
    """
    wave = _wave(request, survey_id, wave_id)
    other = selectors.wave_of(wave.organisation, other_wave_id)
    if other is None:
        raise Http404(_("De andere meting is niet gevonden bij deze organisatie."))
    current = dataset.wave_analysis(wave)
    previous = dataset.wave_analysis(other)
    return {
        "wave_id": wave.pk,
        "other_wave_id": other.pk,
        "alpha": current.rules.alpha,
        "comparisons": [item.to_dict() for item in dataset.comparison(current, previous)],
    }
