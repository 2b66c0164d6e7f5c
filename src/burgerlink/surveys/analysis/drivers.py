"""Derived importance of aspects for an overall grade, and the priority matrix.

* **Correlation** (``weighted_correlations``): the weighted Pearson correlation of each aspect
  with the outcome over the rows where both are answered (pairwise complete):
  ``r = Σw(x-x̄)(y-ȳ) / √(Σw(x-x̄)² · Σw(y-ȳ)²)`` with means over those rows.
* **Standardised regression** (``driver_regression``): weighted least squares of the outcome's
  z-score on the aspects' z-scores over the rows where the outcome and every aspect are answered
  (listwise complete), z-scores with weighted means and standard deviations. Computed from the
  weighted correlation matrix ``R``: ``β = R_xx⁻¹ r_xy``, ``R² = r_xyᵀ β``.
* **Relative weights** (Johnson 2000, same rows): with ``R_xx = V diag(λ) Vᵀ`` and
  ``Λ = V diag(√λ) Vᵀ`` (correlations of the aspects with their closest orthogonal
  counterparts), ``β* = Λ⁻¹ r_xy`` and ``ε_j = Σ_k Λ_jk² β*_k²``; the ``ε_j`` sum to ``R²``.
* **Performance** (``aspect_performance``): the aspect's weighted mean (``mean``), its share at or
  above a threshold (``share``), or its mean on one 0–100 scale (``scaled``:
  ``100 · (ȳ - low) / (high - low)`` with the lowest and highest answer category, so a yes/no
  item (0–1), a five-point item (1–5) and a grade (1–10) are compared like with like; for a
  yes/no item it equals the share "yes" × 100).
* **Priority matrix** (``priority_matrix``): importance (x) against performance (y, one of the
  measures above), split at the mean (or median) of each over the aspects; a value at
  or above its split counts as high. Quadrants: high importance + low performance ``improve``,
  high + high ``maintain``, low + low ``lower priority``, low importance + high performance
  ``possible overkill``.

Degenerate input never raises: a constant aspect, too few cases or collinear aspects give NaN
where a number cannot be had, and a flag (``constant``, ``too_few_cases``, ``collinear``) says
why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from burgerlink.surveys.analysis._common import (
    FloatArray,
    IntArray,
    as_values,
    as_weights,
    dot,
    python_number,
)

ImportanceMethod = Literal["correlation", "regression", "relative_weight"]
PerformanceMeasure = Literal["mean", "share", "scaled"]
SplitRule = Literal["mean", "median"]

CONSTANT, TOO_FEW_CASES, COLLINEAR = "constant", "too_few_cases", "collinear"


class Quadrant(StrEnum):
    """The four quadrants of the priority matrix."""

    IMPROVE = "improve"
    MAINTAIN = "maintain"
    LOWER_PRIORITY = "lower priority"
    POSSIBLE_OVERKILL = "possible overkill"


# --- inputs -----------------------------------------------------------------------------------


def _matrix(aspects: npt.ArrayLike, rows: int | None = None) -> FloatArray:
    matrix = np.asarray(aspects, dtype=np.float64)
    if matrix.ndim == 1:
        matrix = matrix[:, None]
    if matrix.ndim != 2:
        raise ValueError(f"aspects must be a (rows, aspects) matrix, got shape {matrix.shape}")
    if rows is not None and matrix.shape[0] != rows:
        raise ValueError(f"aspects have {matrix.shape[0]} rows, the outcome {rows}")
    return matrix


def _usable_outcome(outcome: FloatArray, weights: FloatArray | None) -> FloatArray:
    """Return the weight of each row for the outcome: 0 where the outcome is missing."""
    valid = ~np.isnan(outcome)
    if weights is None:
        return valid.astype(np.float64)
    return np.where(valid, weights, 0.0)


# --- correlations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Correlations:
    """Pairwise-complete weighted correlations of each aspect with the outcome."""

    r: FloatArray
    n: IntArray
    flags: tuple[tuple[str, ...], ...]


def weighted_correlations(
    aspects: npt.ArrayLike,
    outcome: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    min_cases: int = 3,
) -> Correlations:
    """Return the weighted Pearson correlation of each aspect column with ``outcome``."""
    y = as_values(outcome, "outcome")
    x = _matrix(aspects, y.size)
    w = as_weights(weights, y.size)
    u = _usable_outcome(y, w)
    sums, _ = _pair_sums(x, y, u)
    n, s0, sx, sy, sxx, syy, sxy = sums
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = sx / s0, sy / s0
        var_x = (sxx - s0 * mx * mx) / s0
        var_y = (syy - s0 * my * my) / s0
        cov = (sxy - s0 * mx * my) / s0
        r = cov / np.sqrt(var_x * var_y)
        # constant: the variance is rounding noise next to the (shifted) second moment
        constant_x = ~(var_x > 1e-12 * (sxx / s0))
        constant_y = ~(var_y > 1e-12 * (syy / s0))
    flags: list[tuple[str, ...]] = []
    for j in range(x.shape[1]):
        mine: list[str] = []
        if n[j] < max(min_cases, 2):
            mine.append(TOO_FEW_CASES)
        elif constant_x[j] or constant_y[j]:
            mine.append(CONSTANT)
        if mine:
            r[j] = np.nan
        flags.append(tuple(mine))
    return Correlations(r=np.clip(r, -1.0, 1.0), n=n.astype(np.intp), flags=tuple(flags))


def _pair_sums(
    x: FloatArray, y: FloatArray, u: FloatArray
) -> tuple[
    tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray],
    FloatArray,
]:
    """Return per column: n, Σw, Σwx, Σwy, Σwx², Σwy², Σwxy over rows with both answered.

    Values are shifted by a rough per-column centre first (returned too), so that the raw
    power sums lose no precision; the sums describe the shifted values. Row weights ``u`` are 0
    where the outcome is missing.
    """
    k = x.shape[1]
    y_centre = _rough_centre(y[:, None])[0]
    centres = _rough_centre(x)
    y0 = np.where(np.isnan(y), 0.0, y - y_centre)
    y0_sq = y0 * y0
    sums = np.zeros((7, k))
    missing = np.empty(y.size, dtype=np.bool_)
    uj, x0, ux = np.empty(y.size), np.empty(y.size), np.empty(y.size)
    for j in range(k):
        column = x[:, j]
        np.isnan(column, out=missing)
        np.copyto(uj, u)
        np.copyto(uj, 0.0, where=missing)
        np.subtract(column, centres[j], out=x0)
        np.copyto(x0, 0.0, where=missing)
        np.multiply(uj, x0, out=ux)
        sums[:, j] = (
            np.count_nonzero(uj),
            uj.sum(),
            dot(uj, x0),
            dot(uj, y0),
            dot(ux, x0),
            dot(uj, y0_sq),
            dot(ux, y0),
        )
    return (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6]), centres


def _rough_centre(x: FloatArray) -> FloatArray:
    """Return the mean of each column over at most ~4096 evenly spaced rows (0 if none answered).

    Only used to shift values before summing powers, so it need not be exact.
    """
    sample = x[:: max(1, x.shape[0] // 4096)]
    answered = ~np.isnan(sample)
    counts = answered.sum(axis=0)
    sums = np.where(answered, sample, 0.0).sum(axis=0)
    return np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)


# --- regression and relative weights ----------------------------------------------------------


@dataclass(frozen=True)
class RegressionResult:
    """Standardised coefficients and relative weights on the listwise-complete rows."""

    beta: FloatArray
    relative_weights: FloatArray
    r_squared: float
    n: int
    flags: tuple[str, ...]
    aspect_flags: tuple[tuple[str, ...], ...]


def relative_weights_from_correlations(
    r_xx: FloatArray, r_xy: FloatArray
) -> tuple[FloatArray, FloatArray, float, bool]:
    """Return ``(β, relative weights, R², collinear)`` from a correlation matrix (Johnson 2000)."""
    eigenvalues, vectors = np.linalg.eigh(r_xx)
    collinear = bool(eigenvalues.min() <= 1e-10 * max(float(eigenvalues.max()), 1e-300))
    root = np.sqrt(np.clip(eigenvalues, 0.0, None))
    lam = (vectors * root) @ vectors.T
    if collinear:
        solved = np.linalg.lstsq(r_xx, r_xy, rcond=None)[0]
        beta_star = np.linalg.lstsq(lam, r_xy, rcond=None)[0]
    else:
        solved = np.linalg.solve(r_xx, r_xy)
        beta_star = (vectors / root) @ (vectors.T @ r_xy)
    beta: FloatArray = np.asarray(solved, dtype=np.float64)
    epsilon: FloatArray = np.asarray((lam * lam) @ (beta_star * beta_star), dtype=np.float64)
    return beta, epsilon, float(r_xy @ beta), collinear


def driver_regression(
    aspects: npt.ArrayLike,
    outcome: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    min_cases: int = 30,
) -> RegressionResult:
    """Return standardised WLS coefficients and relative weights of the aspects for ``outcome``.

    Rows: outcome and every aspect answered, positive weight. Constant aspects are left out
    (NaN, flag ``constant``); fewer than ``max(min_cases, aspects + 2)`` rows give NaN
    everywhere (flag ``too_few_cases``).
    """
    y = as_values(outcome, "outcome")
    x = _matrix(aspects, y.size)
    w = as_weights(weights, y.size)
    k = x.shape[1]
    incomplete = np.isnan(y)
    if w is not None:
        incomplete |= w <= 0
    missing = np.empty(y.size, dtype=np.bool_)
    for j in range(k):
        incomplete |= np.isnan(x[:, j], out=missing)
    rows = np.flatnonzero(~incomplete)
    nan = np.full(k, np.nan)
    if rows.size < max(min_cases, k + 2):
        return RegressionResult(
            nan, nan.copy(), math.nan, int(rows.size), (TOO_FEW_CASES,), tuple(() for _ in x.T)
        )
    # one contiguous row per variable (aspects, then the outcome) over the complete cases
    data = np.empty((k + 1, rows.size))
    for j in range(k):
        np.take(x[:, j], rows, out=data[j])
    np.take(y, rows, out=data[k])
    rw = np.ones(rows.size) if w is None else w[rows]
    total = float(rw.sum())
    scale = np.maximum(np.abs(data).max(axis=1), 1.0)
    data -= (np.array([dot(rw, row) for row in data]) / total)[:, None]
    data *= np.sqrt(rw)
    covariance = np.empty((k + 1, k + 1))
    for i in range(k + 1):
        for j in range(i, k + 1):
            covariance[i, j] = covariance[j, i] = dot(data[i], data[j]) / total
    sd = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    constant = sd <= 1e-12 * scale  # rounding noise of the centring
    aspect_flags = tuple((CONSTANT,) if constant[j] else () for j in range(k))
    if constant[k] or constant[:k].all():
        flags = (CONSTANT,)
        return RegressionResult(nan, nan.copy(), math.nan, int(rows.size), flags, aspect_flags)
    keep = np.flatnonzero(~constant[:k])
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = covariance / np.outer(sd, sd)
    beta, epsilon, r_squared, collinear = relative_weights_from_correlations(
        correlation[np.ix_(keep, keep)], correlation[keep, k]
    )
    full_beta, full_epsilon = nan.copy(), nan.copy()
    full_beta[keep] = beta
    full_epsilon[keep] = epsilon
    return RegressionResult(
        beta=full_beta,
        relative_weights=full_epsilon,
        r_squared=r_squared,
        n=int(rows.size),
        flags=(COLLINEAR,) if collinear else (),
        aspect_flags=aspect_flags,
    )


# --- priority matrix --------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityPoint:
    """One aspect in the priority matrix (quadrant None when a coordinate is missing)."""

    name: str
    importance: float
    performance: float
    quadrant: Quadrant | None


@dataclass(frozen=True)
class PriorityMatrix:
    """Aspects placed by importance and performance, with the split values used."""

    points: tuple[PriorityPoint, ...]
    importance_split: float
    performance_split: float
    split: SplitRule


def _split_value(values: FloatArray, rule: SplitRule) -> float:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return math.nan
    return float(np.median(finite) if rule == "median" else finite.mean())


def quadrant(high_importance: bool, high_performance: bool) -> Quadrant:
    """Return the quadrant of a point that is high or low on each axis."""
    if high_importance:
        return Quadrant.MAINTAIN if high_performance else Quadrant.IMPROVE
    return Quadrant.POSSIBLE_OVERKILL if high_performance else Quadrant.LOWER_PRIORITY


def priority_matrix(
    names: Sequence[str],
    importance: npt.ArrayLike,
    performance: npt.ArrayLike,
    *,
    split: SplitRule = "mean",
) -> PriorityMatrix:
    """Place aspects in the four quadrants, splitting each axis at its mean (or median)."""
    if split not in ("mean", "median"):
        raise ValueError(f"split must be 'mean' or 'median', got {split!r}")
    x = np.asarray(importance, dtype=np.float64)
    y = np.asarray(performance, dtype=np.float64)
    if not (len(names) == x.size == y.size):
        raise ValueError("names, importance and performance must have the same length")
    both = np.isfinite(x) & np.isfinite(y)
    x_split, y_split = _split_value(x[both], split), _split_value(y[both], split)
    points = []
    for name, xi, yi in zip(names, x.tolist(), y.tolist(), strict=True):
        known = math.isfinite(xi) and math.isfinite(yi)
        place = quadrant(xi >= x_split, yi >= y_split) if known else None
        points.append(PriorityPoint(name, xi, yi, place))
    return PriorityMatrix(tuple(points), x_split, y_split, split)


# --- everything together ----------------------------------------------------------------------


@dataclass(frozen=True)
class Driver:
    """One aspect's importance figures, performance and quadrant."""

    name: str
    n: int
    correlation: float
    beta: float
    relative_weight: float
    importance: float
    performance: float
    quadrant: Quadrant | None
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape (NaN → None)."""
        return {
            "variable": self.name,
            "n": self.n,
            "correlation": python_number(self.correlation),
            "beta": python_number(self.beta),
            "relative_weight": python_number(self.relative_weight),
            "importance": python_number(self.importance),
            "performance": python_number(self.performance),
            "quadrant": None if self.quadrant is None else self.quadrant.value,
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class DriverAnalysis:
    """Derived importance of every aspect for one outcome, with the priority matrix."""

    outcome: str
    method: ImportanceMethod
    performance_measure: PerformanceMeasure
    split: SplitRule
    r_squared: float
    n_complete: int
    importance_split: float
    performance_split: float
    drivers: tuple[Driver, ...]
    flags: tuple[str, ...]

    def driver(self, name: str) -> Driver:
        """Return the driver of aspect ``name``."""
        for item in self.drivers:
            if item.name == name:
                return item
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape: settings, R², splits and one row per aspect."""
        return {
            "outcome": self.outcome,
            "method": self.method,
            "performance": self.performance_measure,
            "split": self.split,
            "r_squared": python_number(self.r_squared),
            "n_complete": self.n_complete,
            "importance_split": python_number(self.importance_split),
            "performance_split": python_number(self.performance_split),
            "flags": list(self.flags),
            "aspects": [item.to_dict() for item in self.drivers],
        }


def aspect_performance(
    aspects: FloatArray,
    weights: FloatArray | None,
    measure: PerformanceMeasure,
    threshold: float,
    ranges: Sequence[tuple[float, float]] | None = None,
) -> FloatArray:
    """Each aspect's weighted mean, share at or above ``threshold``, or mean on 0–100.

    ``scaled`` needs ``ranges``: per aspect its lowest and highest answer category.
    """
    result = np.full(aspects.shape[1], np.nan)
    if measure == "scaled" and (ranges is None or len(ranges) != aspects.shape[1]):
        raise ValueError("performance 'scaled' needs the answer range of every aspect")
    for j in range(aspects.shape[1]):
        column = aspects[:, j]
        valid = ~np.isnan(column)
        w = valid.astype(np.float64) if weights is None else np.where(valid, weights, 0.0)
        total = float(w.sum())
        if total <= 0:
            continue
        values = np.where(valid, column, 0.0)
        if measure == "share":
            result[j] = dot(w, (values >= threshold).astype(np.float64)) / total
        else:
            result[j] = dot(w, values) / total
    if measure == "scaled" and ranges is not None:
        result = scale_to_100(result, ranges)
    return result


def scale_to_100(means: npt.ArrayLike, ranges: Sequence[tuple[float, float]]) -> FloatArray:
    """Means on one 0–100 scale: ``100 · (mean - low) / (high - low)`` per aspect (NaN: no range)."""
    values = np.asarray(means, dtype=np.float64)
    low = np.array([float(pair[0]) for pair in ranges])
    high = np.array([float(pair[1]) for pair in ranges])
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = 100.0 * (values - low) / (high - low)
    return np.asarray(np.where(high > low, scaled, np.nan), dtype=np.float64)


def derive_importance(
    aspects: npt.ArrayLike,
    outcome: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    names: Sequence[str],
    outcome_name: str = "outcome",
    method: ImportanceMethod = "correlation",
    performance: PerformanceMeasure = "mean",
    share_threshold: float = 4.0,
    performance_values: npt.ArrayLike | None = None,
    split: SplitRule = "mean",
    min_cases: int = 30,
    ranges: Sequence[tuple[float, float]] | None = None,
) -> DriverAnalysis:
    """Return correlations, standardised coefficients, relative weights and the priority matrix.

    ``method`` chooses which figure is the importance (x axis). Performance (y axis) is each
    aspect's weighted mean, share ≥ ``share_threshold`` or mean on 0–100 (``scaled``, with
    ``ranges``: each aspect's lowest and highest answer category), or ``performance_values``
    when the caller already has them (e.g. from the level estimates).
    """
    if method not in ("correlation", "regression", "relative_weight"):
        raise ValueError(f"unknown importance method {method!r}")
    y = as_values(outcome, "outcome")
    x = _matrix(aspects, y.size)
    if len(names) != x.shape[1]:
        raise ValueError(f"{len(names)} names for {x.shape[1]} aspects")
    w = as_weights(weights, y.size)
    correlations = weighted_correlations(x, y, w, min_cases=min_cases)
    regression = driver_regression(x, y, w, min_cases=min_cases)
    if performance_values is None:
        perf = aspect_performance(x, w, performance, share_threshold, ranges)
    else:
        perf = np.asarray(performance_values, dtype=np.float64)
        if perf.shape != (x.shape[1],):
            raise ValueError("performance_values must have one value per aspect")
    importance = {
        "correlation": correlations.r,
        "regression": regression.beta,
        "relative_weight": regression.relative_weights,
    }[method]
    matrix = priority_matrix(names, importance, perf, split=split)
    drivers = []
    for j, point in enumerate(matrix.points):
        flags = dict.fromkeys(correlations.flags[j] + regression.aspect_flags[j])
        drivers.append(
            Driver(
                name=point.name,
                n=int(correlations.n[j]),
                correlation=float(correlations.r[j]),
                beta=float(regression.beta[j]),
                relative_weight=float(regression.relative_weights[j]),
                importance=point.importance,
                performance=point.performance,
                quadrant=point.quadrant,
                flags=tuple(flags),
            )
        )
    return DriverAnalysis(
        outcome=outcome_name,
        method=method,
        performance_measure=performance,
        split=split,
        r_squared=regression.r_squared,
        n_complete=regression.n,
        importance_split=matrix.importance_split,
        performance_split=matrix.performance_split,
        drivers=tuple(drivers),
        flags=regression.flags,
    )
