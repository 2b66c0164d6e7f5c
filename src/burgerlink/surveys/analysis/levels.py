"""Estimates on the three levels: government as a whole, per life-event chain, per organisation.

Input layout:

* ``answers``: one row per response, one column per variable (NaN = missing / don't know);
  a column-major (Fortran-ordered) array is read without copying columns.
* life events: one label per response (``Grouping``; negative integer codes, ``None``, ``""`` or
  NaN mean "no event": such responses count at government level only).
* organisation grades: a long table (``OrganisationGrades``), one row per (response,
  organisation) grade. Its rows carry the weight of their response. The government-wide
  organisation grade pools all rows; because one respondent grades several organisations, its
  variance sums residuals per response first (cluster-robust linearisation, ``df = m - 1`` for
  ``m`` responses with a grade), and its share satisfied rests on the effective n of the same
  cluster-robust variance of the share (``moments.clustered_share_n_eff``), not on the Kish
  n_eff of the grades; its population correction is not applied.
* sampled rows: given ``sampled`` (one flag per response: drawn from the sampled population)
  and a government population size, the correction applies to the sampled answers only
  (``moments.sampled_correction``); without ``sampled`` every row counts as sampled.

Grouping is vectorised (``np.bincount`` over group × answer category); the only Python loops
are over variables and over groups' labels.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from burgerlink.surveys.analysis._common import (
    FloatArray,
    IntArray,
    Label,
    as_values,
    as_weights,
    python_label,
)
from burgerlink.surveys.analysis.moments import (
    Scratch,
    WeightArrays,
    category_tables,
    cluster_squares,
    clustered_share_n_eff,
    estimate_variable,
    finalise,
    finalise_many,
    general_moments,
    indicator,
    sampled_correction,
    variable_moments,
)
from burgerlink.surveys.analysis.results import GroupedEstimates
from burgerlink.surveys.analysis.settings import GRADE_CATEGORIES, EstimateSettings, SmallGroupRule

VariableKind = Literal["grade", "scale", "binary", "numeric", "background"]
GOVERNMENT, LIFE_EVENT, ORGANISATION = "government", "life_event", "organisation"
TOTAL_LABEL = "all"

_KIND_DEFAULTS: dict[str, tuple[tuple[float, ...] | None, float]] = {
    "grade": (GRADE_CATEGORIES, 7.0),
    "scale": ((1.0, 2.0, 3.0, 4.0, 5.0), 4.0),
    "binary": ((0.0, 1.0), 1.0),
    "numeric": (None, float("nan")),
    "background": (None, float("nan")),
}


@lru_cache(maxsize=256)
def _sorted_categories(categories: tuple[float, ...] | None) -> FloatArray | None:
    if categories is None:
        return None
    array = np.unique(np.asarray(categories, dtype=np.float64))
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class VariableSpec:
    """What a column of ``answers`` is and how to summarise it.

    ``kind``: ``grade`` (1-10, share satisfied = share ≥ 7), ``scale`` (1-5, share ≥ 4),
    ``binary`` (1 = good/yes, 0 = not good/no; the share is the share good), ``numeric`` (any
    number; no share unless a threshold is given) or ``background`` (a weighting variable, not
    analysed). ``threshold`` and ``categories`` override the kind's defaults.
    """

    name: str
    kind: VariableKind = "grade"
    threshold: float | None = None
    categories: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        """Reject unknown kinds."""
        if self.kind not in _KIND_DEFAULTS:
            raise ValueError(f"{self.name}: unknown variable kind {self.kind!r}")

    @property
    def analysed(self) -> bool:
        """Whether the variable gets estimates (background variables do not)."""
        return self.kind != "background"

    @property
    def share_threshold(self) -> float:
        """The threshold of the share (NaN: no share)."""
        return _KIND_DEFAULTS[self.kind][1] if self.threshold is None else float(self.threshold)

    @property
    def answer_categories(self) -> FloatArray | None:
        """The answer categories as a sorted read-only array, or None for numeric variables."""
        return _sorted_categories(self.categories or _KIND_DEFAULTS[self.kind][0])

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON description of the variable."""
        categories = self.answer_categories
        threshold = self.share_threshold
        return {
            "name": self.name,
            "kind": self.kind,
            "threshold": None if np.isnan(threshold) else threshold,
            "categories": None if categories is None else categories.tolist(),
        }


@dataclass(frozen=True)
class Grouping:
    """Group codes per row (``0..len(labels)-1``; ``len(labels)``: no group) and the labels."""

    codes: IntArray
    labels: tuple[Label, ...]

    @property
    def n_groups(self) -> int:
        """Number of labelled groups."""
        return len(self.labels)

    @property
    def n_bins(self) -> int:
        """Number of bins for ``np.bincount`` (the groups plus one for "no group")."""
        return len(self.labels) + 1

    @classmethod
    def from_codes(cls, codes: npt.ArrayLike, labels: Sequence[Label]) -> Grouping:
        """Build from integer codes into ``labels`` (-1, or any negative code: no group)."""
        array = np.asarray(codes)
        if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
            raise ValueError("group codes must be a one-dimensional integer array")
        size = len(labels)
        if array.size and array.max() >= size:
            raise ValueError("a group code has no label")
        result = array.astype(np.intp, copy=True)
        result[result < 0] = size
        return cls(result, tuple(labels))

    @classmethod
    def from_labels(cls, labels: npt.ArrayLike) -> Grouping:
        """Build from one label per row (integers, strings...), sorted labels as groups.

        No group: a negative integer, ``None``, ``""`` or NaN.
        """
        array = np.asarray(labels)
        if array.ndim != 1:
            raise ValueError("group labels must be one-dimensional")
        if np.issubdtype(array.dtype, np.integer):
            return cls._from_integers(array)
        if array.dtype.kind == "f":
            missing = np.isnan(array)
        elif array.dtype.kind == "O":
            missing = np.asarray(
                np.equal(array, np.asarray(None, dtype=object)) | np.equal(array, ""),
                dtype=np.bool_,
            )
        elif array.dtype.kind in "US":
            missing = array == array.dtype.type()
        else:
            missing = np.zeros(array.size, dtype=np.bool_)
        present = array[~missing]
        uniques, inverse = np.unique(present, return_inverse=True)
        codes = np.full(array.size, uniques.size, dtype=np.intp)
        codes[~missing] = inverse.reshape(-1)
        return cls(codes, tuple(_plain(label) for label in uniques.tolist()))

    @classmethod
    def _from_integers(cls, array: npt.NDArray[np.integer[Any]]) -> Grouping:
        if array.size == 0:
            return cls(np.zeros(0, dtype=np.intp), ())
        high = int(array.max())
        if high < 0:
            return cls(np.zeros(array.size, dtype=np.intp), ())
        if high < 4 * array.size + 1024:
            values = array.astype(np.intp)
            values[values < 0] = high + 1
            present = np.flatnonzero(np.bincount(values, minlength=high + 2)[: high + 1])
            remap = np.full(high + 2, present.size, dtype=np.intp)
            remap[present] = np.arange(present.size)
            return cls(remap[values], tuple(int(label) for label in present))
        missing = array < 0
        uniques, inverse = np.unique(array[~missing], return_inverse=True)
        codes = np.full(array.size, uniques.size, dtype=np.intp)
        codes[~missing] = inverse.reshape(-1)
        return cls(codes, tuple(int(label) for label in uniques))

    def take(self, rows: IntArray) -> Grouping:
        """Return the grouping of ``rows`` (same labels)."""
        return Grouping(self.codes[rows], self.labels)


def _plain(label: Any) -> Label:
    value = label.item() if isinstance(label, np.generic) else label
    if not isinstance(value, Hashable):
        raise ValueError(f"group label {value!r} is not hashable")
    return value


def as_grouping(groups: Grouping | npt.ArrayLike, size: int, name: str) -> Grouping:
    """Return ``groups`` as a ``Grouping`` of ``size`` rows."""
    grouping = groups if isinstance(groups, Grouping) else Grouping.from_labels(groups)
    if grouping.codes.shape != (size,):
        raise ValueError(f"{name} must have one label per row ({size}), got {grouping.codes.shape}")
    return grouping


@dataclass(frozen=True)
class OrganisationGrades:
    """Long table of organisation grades: one row per (response, organisation) grade.

    ``response`` indexes the rows of ``answers``; each response grades an organisation at most
    once. Grades are 1-10 with NaN for "don't know" unless ``categories`` says otherwise.
    """

    response: npt.ArrayLike
    organisation: Grouping | npt.ArrayLike
    grade: npt.ArrayLike
    name: str = "organisation_grade"
    threshold: float = 7.0
    categories: tuple[float, ...] = GRADE_CATEGORIES


@dataclass(frozen=True)
class LevelResult:
    """Estimates of one level: per variable, one ``GroupedEstimates`` over the level's groups."""

    level: str
    labels: tuple[Label, ...]
    variables: dict[str, GroupedEstimates] = field(default_factory=dict)

    def records(self, *, with_distribution: bool = True) -> list[dict[str, Any]]:
        """Return one JSON row per group: ``{"group": label, "variables": {name: estimate}}``."""
        rows: list[dict[str, Any]] = []
        for position, label in enumerate(self.labels):
            variables = {
                name: estimates.record_at(position, with_distribution=with_distribution)
                for name, estimates in self.variables.items()
            }
            rows.append({"group": python_label(label), "variables": variables})
        return rows


def per_group(
    labels: Sequence[Label], values: Mapping[Label, float] | None, default: float
) -> FloatArray | None:
    """Return ``values`` aligned with ``labels`` (``default`` where absent), or None."""
    if not values:
        return None
    return np.array([float(values.get(label, default)) for label in labels])


def estimate_groups(
    values: npt.ArrayLike,
    groups: Grouping | npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    threshold: float = 7.0,
    categories: Sequence[float] | None = GRADE_CATEGORIES,
    settings: EstimateSettings | None = None,
    population_sizes: Mapping[Label, float] | None = None,
    small_groups: Mapping[Label, SmallGroupRule] | None = None,
) -> GroupedEstimates:
    """Return the estimates of one variable per group (one pass over the rows).

    ``small_groups`` overrides the settings' rule for some groups (e.g. per organisation);
    ``population_sizes`` enables the finite-population correction for the groups it names.
    """
    settings = settings or EstimateSettings()
    y = as_values(values)
    grouping = as_grouping(groups, y.size, "groups")
    prepared = WeightArrays.of(as_weights(weights, y.size))
    hide, flag = _rules(grouping.labels, small_groups, settings)
    result, _ = estimate_variable(
        y,
        grouping.codes,
        grouping.n_bins,
        prepared,
        labels=grouping.labels,
        settings=settings,
        threshold=threshold,
        categories=None if categories is None else np.unique(np.asarray(categories, float)),
        hide_below=hide,
        flag_below=flag,
        population=per_group(grouping.labels, population_sizes, np.nan),
    )
    return result


def _rules(
    labels: Sequence[Label],
    rules: Mapping[Label, SmallGroupRule] | None,
    settings: EstimateSettings,
) -> tuple[FloatArray | None, FloatArray | None]:
    if not rules:
        return None, None
    default = settings.small_groups
    chosen = [rules.get(label, default) for label in labels]
    return (
        np.array([float(rule.hide_below) for rule in chosen]),
        np.array([float(rule.flag_below) for rule in chosen]),
    )


def estimate_levels(
    answers: npt.ArrayLike,
    variables: Sequence[VariableSpec],
    weights: npt.ArrayLike | None = None,
    *,
    life_events: Grouping | npt.ArrayLike | None = None,
    organisation_grades: OrganisationGrades | None = None,
    settings: EstimateSettings | None = None,
    population_sizes: Mapping[str, Mapping[Label, float]] | None = None,
    organisation_rules: Mapping[Label, SmallGroupRule] | None = None,
    sampled: npt.ArrayLike | None = None,
) -> dict[str, LevelResult]:
    """Return every analysed variable per level: ``government``, ``life_event``, ``organisation``.

    The government level has one group (``"all"``) with every analysed variable plus, given a
    long table, the pooled organisation grade; the life-event level has every analysed variable
    per event; the organisation level the organisation grade per organisation.
    ``population_sizes[level][label]`` gives population sizes (government: label ``"all"``);
    ``organisation_rules`` overrides the small-group rule per organisation. ``sampled`` (one
    flag per response) limits the government level's population correction to the responses
    drawn from the sampled population.
    """
    settings = settings or EstimateSettings()
    matrix = np.asarray(answers, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(variables):
        raise ValueError(
            f"answers must have shape (responses, {len(variables)}), got {matrix.shape}"
        )
    size = matrix.shape[0]
    raw_weights = as_weights(weights, size)
    prepared = WeightArrays.of(raw_weights)
    populations = population_sizes or {}
    government_population = populations.get(GOVERNMENT, {}).get(TOTAL_LABEL)
    grouping = None if life_events is None else as_grouping(life_events, size, "life_events")
    event_labels: tuple[Label, ...] = () if grouping is None else grouping.labels
    event_population = per_group(event_labels, populations.get(LIFE_EVENT), np.nan)

    analysed = [(column, spec) for column, spec in enumerate(variables) if spec.analysed]
    offset_cache: dict[int, IntArray] = {}
    scratch = Scratch.of(size)
    found = [
        variable_moments(
            matrix[:, column],
            None if grouping is None else grouping.codes,
            1 if grouping is None else grouping.n_bins,
            prepared,
            groups=1 if grouping is None else grouping.n_groups,
            threshold=spec.share_threshold,
            categories=spec.answer_categories,
            total=grouping is not None,
            offset_cache=offset_cache,
            scratch=scratch,
        )
        for column, spec in analysed
    ]
    names = [spec.name for _, spec in analysed]
    # without life events the "groups" of a variable are already all its rows
    everyone = [
        (item.groups, item.group_tables, item.threshold)
        if item.total is None
        else (item.total, item.total_tables, item.threshold)
        for item in found
    ]
    population = None if government_population is None else float(government_population)
    if population is not None and sampled is not None:
        drawn = np.asarray(sampled, dtype=np.bool_)
        if drawn.shape != (size,):
            raise ValueError(f"sampled must have one flag per response ({size})")
        everyone = [
            (sampled_correction(matrix[:, column], prepared, drawn, population, moments), t, c)
            for (column, _spec), (moments, t, c) in zip(analysed, everyone, strict=True)
        ]
        population = None  # inside the moments now
    totals = finalise_many(
        everyone,
        labels=(TOTAL_LABEL,),
        settings=settings,
        population=None if population is None else np.array([population]),
    )
    government = LevelResult(GOVERNMENT, (TOTAL_LABEL,), dict(zip(names, totals, strict=True)))
    events = LevelResult(LIFE_EVENT, event_labels)
    if grouping is not None:
        by_event = finalise_many(
            [(item.groups, item.group_tables, item.threshold) for item in found],
            labels=event_labels,
            settings=settings,
            population=event_population,
        )
        events.variables.update(zip(names, by_event, strict=True))

    organisations = LevelResult(ORGANISATION, ())
    if organisation_grades is not None:
        pooled, organisations = _organisation_level(
            organisation_grades,
            raw_weights,
            size,
            settings=settings,
            population=populations.get(ORGANISATION),
            rules=organisation_rules,
        )
        government.variables[organisation_grades.name] = pooled
    return {GOVERNMENT: government, LIFE_EVENT: events, ORGANISATION: organisations}


def _organisation_level(
    table: OrganisationGrades,
    weights: FloatArray | None,
    n_responses: int,
    *,
    settings: EstimateSettings,
    population: Mapping[Label, float] | None,
    rules: Mapping[Label, SmallGroupRule] | None,
) -> tuple[GroupedEstimates, LevelResult]:
    response = np.asarray(table.response)
    if response.ndim != 1 or not np.issubdtype(response.dtype, np.integer):
        raise ValueError("organisation_grades.response must be integer row indices")
    if response.size and (response.min() < 0 or response.max() >= n_responses):
        raise ValueError("organisation_grades.response points outside the responses")
    rows = response.astype(np.intp)
    grades = as_values(table.grade, "organisation_grades.grade")
    if grades.shape != rows.shape:
        raise ValueError("organisation_grades: grade and response differ in length")
    grouping = as_grouping(table.organisation, rows.size, "organisation_grades.organisation")
    prepared = WeightArrays.of(weights).take(rows)
    categories = np.unique(np.asarray(table.categories, dtype=np.float64))
    hide, flag = _rules(grouping.labels, rules, settings)
    tables = category_tables(grades, grouping.codes, grouping.n_bins, prepared, categories)
    labels = grouping.labels
    part = slice(0, grouping.n_groups)
    everyone = tables.total()
    if tables.n_other == 0:
        by_group_moments = tables.moments(table.threshold).take(part)
        pooled_moments = everyone.moments(table.threshold)
    else:
        by_group_moments = general_moments(
            grades, grouping.codes, grouping.n_bins, prepared, table.threshold
        ).take(part)
        pooled_moments = general_moments(grades, None, 1, prepared, table.threshold)
    ss_w2, n_units = cluster_squares(
        grades, rows, n_responses, weights, float(np.nan_to_num(pooled_moments.mean[0]))
    )
    clustered = pooled_moments.with_clusters(ss_w2, n_units)
    share = float(pooled_moments.sum_w_at_least[0]) / float(pooled_moments.sum_w[0] or 1.0)
    share_squares, _units = cluster_squares(
        indicator(grades, table.threshold), rows, n_responses, weights, share
    )
    clustered = replace(
        clustered,
        share_n_eff=clustered_share_n_eff(clustered, share_squares, pooled_moments.ss_w2),
    )
    pooled = finalise(
        clustered,
        labels=(TOTAL_LABEL,),
        settings=replace(settings, variance="linearisation"),
        threshold=table.threshold,
        tables=everyone,
    )
    by_group = finalise(
        by_group_moments,
        labels=labels,
        settings=settings,
        threshold=table.threshold,
        hide_below=hide,
        flag_below=flag,
        population=per_group(labels, population, np.nan),
        tables=tables.take(part),
    )
    return pooled, LevelResult(ORGANISATION, labels, {table.name: by_group})
