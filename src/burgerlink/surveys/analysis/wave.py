"""The full analysis of one survey wave: weights, all levels, intervals and drivers.

``analyse_wave`` computes the weights (post-stratification or raking, optional trimming), the
estimates of every analysed variable on the three levels, and the derived importance of the
aspects for the outcome with the priority matrix. ``WaveResult.to_dict()`` gives the JSON body of
``GET /api/v1/surveys/{survey_id}/waves/{wave_id}/results``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from burgerlink.surveys.analysis._common import FloatArray, Label, as_weights, python_label
from burgerlink.surveys.analysis.drivers import (
    DriverAnalysis,
    ImportanceMethod,
    PerformanceMeasure,
    SplitRule,
    derive_importance,
    scale_to_100,
)
from burgerlink.surveys.analysis.levels import (
    GOVERNMENT,
    LIFE_EVENT,
    ORGANISATION,
    Grouping,
    LevelResult,
    OrganisationGrades,
    VariableSpec,
    estimate_levels,
)
from burgerlink.surveys.analysis.results import GradeEstimate
from burgerlink.surveys.analysis.settings import EstimateSettings, SmallGroupRule
from burgerlink.surveys.analysis.weighting import (
    PostStratification,
    Raking,
    Trimming,
    WeightingResult,
    kish_effective_n,
    trim_weights,
)

LEVELS = (GOVERNMENT, LIFE_EVENT, ORGANISATION)


@dataclass(frozen=True)
class DriverSettings:
    """Which outcome and aspects the driver analysis uses, and how.

    ``aspects`` defaults to every variable of kind ``scale``. ``performance``: the aspects'
    ``mean``, ``share`` positive, or ``scaled`` (the mean on one 0–100 scale per answer range:
    the choice when aspects of different kinds stand in one matrix).
    """

    outcome: str
    aspects: tuple[str, ...] | None = None
    method: ImportanceMethod = "correlation"
    performance: PerformanceMeasure = "mean"
    split: SplitRule = "mean"
    min_cases: int = 30


@dataclass(frozen=True)
class WaveSettings:
    """Everything configurable about a wave's analysis.

    ``population_sizes[level][label]`` (government: label ``"all"``) switches on the
    finite-population correction; ``organisation_rules`` sets the small-group rule per
    organisation (others use ``estimates.small_groups``).
    """

    estimates: EstimateSettings = field(default_factory=EstimateSettings)
    drivers: DriverSettings | None = None
    population_sizes: Mapping[str, Mapping[Label, float]] | None = None
    organisation_rules: Mapping[Label, SmallGroupRule] | None = None
    distributions: bool = True


@dataclass(frozen=True)
class WaveData:
    """The answers of one wave as arrays.

    ``answers``: one row per response, one column per ``variables`` entry, NaN = missing or
    don't know. ``life_events``: one label per response. ``organisation_grades``: the long table
    of organisation grades. ``base_weights``: design weights (None: equal). ``sampled``: per
    response whether it was drawn from the sampled population (None: all were); the population
    correction counts and shrinks only those (``levels.estimate_levels``).
    """

    answers: npt.ArrayLike
    variables: Sequence[VariableSpec]
    life_events: Grouping | npt.ArrayLike | None = None
    organisation_grades: OrganisationGrades | None = None
    base_weights: npt.ArrayLike | None = None
    sampled: npt.ArrayLike | None = None


@dataclass(frozen=True)
class WaveResult:
    """Everything ``analyse_wave`` computed; ``to_dict()`` is the API's JSON body."""

    n_responses: int
    variables: tuple[VariableSpec, ...]
    weighting: WeightingResult
    levels: dict[str, LevelResult]
    drivers: DriverAnalysis | None
    settings: WaveSettings

    @property
    def weights(self) -> FloatArray:
        """The final weight of every response."""
        return self.weighting.weights

    def estimate(self, level: str, group: Label, variable: str) -> GradeEstimate:
        """Return one estimate, e.g. ``estimate("life_event", "moving", "chain")``."""
        return self.levels[level].variables[variable].estimate(group)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the wave's results."""
        rule = self.settings.estimates.small_groups
        return {
            "n_responses": self.n_responses,
            "settings": {
                "confidence": self.settings.estimates.confidence,
                "variance": self.settings.estimates.variance,
                "hide_below": rule.hide_below,
                "flag_below": rule.flag_below,
                "organisation_rules": {
                    str(python_label(label)): {
                        "hide_below": item.hide_below,
                        "flag_below": item.flag_below,
                    }
                    for label, item in (self.settings.organisation_rules or {}).items()
                },
            },
            "variables": [spec.to_dict() for spec in self.variables if spec.analysed],
            "weighting": self.weighting.to_dict(),
            "levels": {
                level: {
                    "groups": self.levels[level].records(
                        with_distribution=self.settings.distributions
                    )
                }
                for level in LEVELS
                if level in self.levels
            },
            "drivers": None if self.drivers is None else self.drivers.to_dict(),
        }


def _weights(
    data: WaveData,
    size: int,
    weighting: PostStratification | Raking | None,
    trimming: Trimming | None,
) -> WeightingResult:
    base = as_weights(data.base_weights, size, "base_weights")
    if weighting is not None:
        return weighting.apply(base, trimming)
    weights = np.ones(size) if base is None else base
    if trimming is not None:
        trimmed = trim_weights(
            weights,
            upper_ratio=trimming.upper_ratio,
            lower_ratio=trimming.lower_ratio,
            upper=trimming.upper,
            lower=trimming.lower,
            max_iter=trimming.max_iter,
            tol=trimming.tol,
        )
        return WeightingResult(
            weights=trimmed.weights,
            method="trim",
            effective_n=kish_effective_n(trimmed.weights),
            iterations=trimmed.iterations,
            converged=trimmed.converged,
            max_margin_error=0.0,
            n_trimmed=trimmed.n_trimmed,
        )
    return WeightingResult(
        weights=weights,
        method="none" if base is None else "base",
        effective_n=kish_effective_n(weights),
        iterations=0,
        converged=True,
        max_margin_error=0.0,
    )


def _columns(matrix: FloatArray, positions: list[int]) -> FloatArray:
    """Return the columns at ``positions``: a view when they are consecutive, else a copy."""
    if positions and positions == list(range(positions[0], positions[0] + len(positions))):
        return matrix[:, positions[0] : positions[0] + len(positions)]
    return matrix[:, positions]


def analyse_wave(
    data: WaveData,
    *,
    weighting: PostStratification | Raking | None = None,
    trimming: Trimming | None = None,
    settings: WaveSettings | None = None,
) -> WaveResult:
    """Run the full analysis of a wave: weights, all levels with intervals, drivers.

    Weights: ``weighting`` (post-stratification or raking, from the base weights) and/or
    ``trimming``; without either, the base weights (or equal weights).
    """
    settings = settings or WaveSettings()
    variables = tuple(data.variables)
    names = [spec.name for spec in variables]
    if len(set(names)) != len(names):
        raise ValueError("variable names must be unique")
    matrix = np.asarray(data.answers, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(variables):
        raise ValueError(
            f"answers must have shape (responses, {len(variables)}), got {matrix.shape}"
        )
    size = matrix.shape[0]
    weighting_result = _weights(data, size, weighting, trimming)
    unweighted = weighting_result.method == "none"
    weights = None if unweighted else weighting_result.weights
    levels = estimate_levels(
        matrix,
        variables,
        weights,
        life_events=data.life_events,
        organisation_grades=data.organisation_grades,
        settings=settings.estimates,
        population_sizes=settings.population_sizes,
        organisation_rules=settings.organisation_rules,
        sampled=data.sampled,
    )
    drivers = None
    if settings.drivers is not None:
        drivers = _drivers(matrix, variables, weights, levels[GOVERNMENT], settings.drivers)
    return WaveResult(
        n_responses=size,
        variables=variables,
        weighting=weighting_result,
        levels=levels,
        drivers=drivers,
        settings=settings,
    )


def _drivers(
    matrix: FloatArray,
    variables: tuple[VariableSpec, ...],
    weights: FloatArray | None,
    government: LevelResult,
    spec: DriverSettings,
) -> DriverAnalysis:
    position = {variable.name: i for i, variable in enumerate(variables)}
    aspect_names = (
        list(spec.aspects)
        if spec.aspects is not None
        else [variable.name for variable in variables if variable.kind == "scale"]
    )
    missing = [name for name in [spec.outcome, *aspect_names] if name not in position]
    if missing:
        raise ValueError(f"driver analysis: unknown variables {', '.join(missing)}")
    columns = [position[name] for name in aspect_names]
    performance = np.array(
        [
            float(
                government.variables[name].share[0]
                if spec.performance == "share"
                else government.variables[name].mean[0]
            )
            for name in aspect_names
        ]
    )
    ranges = [_answer_range(variables[i]) for i in columns]
    if spec.performance == "scaled":
        performance = scale_to_100(performance, ranges)
    threshold = [variables[i].share_threshold for i in columns]
    return derive_importance(
        _columns(matrix, columns),
        matrix[:, position[spec.outcome]],
        weights,
        names=aspect_names,
        outcome_name=spec.outcome,
        method=spec.method,
        performance=spec.performance,
        share_threshold=threshold[0] if threshold else 4.0,
        performance_values=performance,
        split=spec.split,
        min_cases=spec.min_cases,
        ranges=ranges,
    )


def _answer_range(variable: VariableSpec) -> tuple[float, float]:
    """The lowest and highest answer category of a variable (NaN: a numeric one)."""
    categories = variable.answer_categories
    if categories is None or not categories.size:
        return (math.nan, math.nan)
    return (float(categories[0]), float(categories[-1]))
