"""Survey weights: post-stratification, raking to population margins, trimming, Kish n_eff.

* **Post-stratification** (``poststratify``): respondents fall into joint cells (e.g. age × sex);
  each respondent's weight is ``base · target(cell) / Σ base(cell)``, so weighted cell totals
  equal the targets exactly.
* **Raking** (``rake``): iterative proportional fitting to several one-way margins (age, sex,
  district...). Each sweep multiplies the weights so that one margin after the other matches
  its targets; it stops when every weighted category total is within ``tol`` (relative) of its
  target, or after ``max_iter`` sweeps (``converged=False``). Raking factors are constant within
  the joint cells of the margins, so the sweeps run on the table of observed cells rather than
  on the respondents; the result is the same.
* **Trimming** (``trim_weights``): caps weights at ``upper`` and/or ``upper_ratio`` × the median
  weight (and raises them to ``lower``/``lower_ratio`` × median), redistributing the difference
  over the untrimmed weights proportionally so the total is preserved, repeated until every
  weight is within bounds. Given to ``rake``, trimming runs after every two sweeps (bounds from
  the current weights' median), so the final weights satisfy both margins and bounds when they
  can.
  After post-stratification, trimming runs once at the end; cell totals then hold approximately
  (``max_margin_error`` reports how closely).
* **Kish effective sample size** ``n_eff = (Σw)² / Σw²``; design effect of weighting ``n / n_eff``.

Targets are population counts (``targets_are="counts"``: weights sum to the population total;
every margin must then have the same total) or shares (``"shares"``: each margin is normalised
and the weights sum to the number of respondents, mean weight 1). A category or cell with a
positive target and no respondents raises ``WeightingError``: collapse categories first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from burgerlink.surveys.analysis._common import FloatArray, IntArray, as_weights, bincount, dot

TargetKind = Literal["counts", "shares"]
SWEEPS_PER_TRIM = 2


class WeightingError(ValueError):
    """Weights cannot be had as asked: invalid targets, an empty category, crossing bounds...

    The one error of weighting in the surveys: the engine raises it (in English, for
    developers) and so do the fieldwork rules that check a wave's targets (in Dutch, shown to
    staff).
    """


def kish_effective_n(weights: npt.ArrayLike) -> float:
    """Return Kish's effective sample size ``(Σw)² / Σw²`` (0 for no positive weight)."""
    w = np.asarray(weights, dtype=np.float64)
    sum_sq = dot(w, w)
    return float(w.sum()) ** 2 / sum_sq if sum_sq > 0 else 0.0


# --- results and specifications ---------------------------------------------------------------


@dataclass(frozen=True)
class TrimResult:
    """Trimmed weights, the bounds applied and how many weights sit at a bound."""

    weights: FloatArray
    lower: float
    upper: float
    n_trimmed: int
    iterations: int
    converged: bool


@dataclass(frozen=True)
class WeightingResult:
    """Final weights and a summary of how they were obtained."""

    weights: FloatArray
    method: str
    effective_n: float
    iterations: int
    converged: bool
    max_margin_error: float
    n_trimmed: int = 0

    @property
    def design_effect(self) -> float:
        """Kish's design effect of weighting ``n / n_eff`` (NaN without weights)."""
        return self.weights.size / self.effective_n if self.effective_n > 0 else math.nan

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON summary (not the weights themselves)."""
        w = self.weights
        return {
            "method": self.method,
            "n": int(w.size),
            "effective_n": self.effective_n,
            "design_effect": self.design_effect if math.isfinite(self.design_effect) else None,
            "iterations": self.iterations,
            "converged": self.converged,
            "max_margin_error": self.max_margin_error,
            "n_trimmed": self.n_trimmed,
            "sum": float(w.sum()),
            "min": float(w.min()) if w.size else None,
            "max": float(w.max()) if w.size else None,
        }


@dataclass(frozen=True)
class Trimming:
    """Bounds for weights: absolute (``lower``, ``upper``) and/or relative to the median."""

    upper_ratio: float | None = None
    lower_ratio: float | None = None
    upper: float | None = None
    lower: float | None = None
    max_iter: int = 100
    tol: float = 1e-10

    def __post_init__(self) -> None:
        """Reject bounds that cannot make sense."""
        for name in ("upper_ratio", "lower_ratio", "upper", "lower"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise ValueError(f"trimming {name} must be a non-negative number")
        if self.max_iter < 1:
            raise ValueError("trimming max_iter must be at least 1")

    def bounds(self, median: float) -> tuple[float, float]:
        """Return ``(lower, upper)`` for weights with the given median."""
        lower, upper = 0.0, math.inf
        if self.lower is not None:
            lower = max(lower, self.lower)
        if self.lower_ratio is not None:
            lower = max(lower, self.lower_ratio * median)
        if self.upper is not None:
            upper = min(upper, self.upper)
        if self.upper_ratio is not None:
            upper = min(upper, self.upper_ratio * median)
        if lower > upper:
            raise WeightingError(f"trimming bounds cross: lower {lower} > upper {upper}")
        return lower, upper


@dataclass(frozen=True)
class Margin:
    """One raking margin: a category code (``0..k-1``) per respondent and ``k`` targets."""

    codes: npt.ArrayLike
    targets: npt.ArrayLike
    name: str = ""


@dataclass(frozen=True)
class PostStratification:
    """Specification of post-stratification for ``analyse_wave`` (see ``poststratify``)."""

    cells: Sequence[npt.ArrayLike]
    targets: npt.ArrayLike
    targets_are: TargetKind = "counts"

    def apply(
        self, base_weights: npt.ArrayLike | None, trimming: Trimming | None
    ) -> WeightingResult:
        """Compute the weights."""
        return poststratify(
            self.cells,
            self.targets,
            base_weights=base_weights,
            targets_are=self.targets_are,
            trimming=trimming,
        )


@dataclass(frozen=True)
class Raking:
    """Specification of raking for ``analyse_wave`` (see ``rake``)."""

    margins: Sequence[Margin]
    targets_are: TargetKind = "counts"
    tol: float = 1e-6
    max_iter: int = 100

    def apply(
        self, base_weights: npt.ArrayLike | None, trimming: Trimming | None
    ) -> WeightingResult:
        """Compute the weights."""
        return rake(
            self.margins,
            base_weights=base_weights,
            targets_are=self.targets_are,
            tol=self.tol,
            max_iter=self.max_iter,
            trimming=trimming,
        )


# --- trimming ---------------------------------------------------------------------------------


def _median(values: FloatArray, multiplicity: FloatArray | None) -> float:
    """Return the median of ``values`` repeated ``multiplicity`` times (``np.median`` semantics)."""
    if multiplicity is None:
        return float(np.median(values))
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(multiplicity[order])
    total = cumulative[-1]
    low = np.searchsorted(cumulative, (total - 1) // 2, side="right")
    high = np.searchsorted(cumulative, total // 2, side="right")
    return float((values[order][low] + values[order][high]) / 2.0)


def _trim_units(
    values: FloatArray,
    multiplicity: FloatArray | None,
    lower: float,
    upper: float,
    *,
    max_iter: int,
    tol: float,
) -> tuple[FloatArray, int, bool]:
    """Clip ``values`` to the bounds, redistributing so that ``Σ values·multiplicity`` holds."""
    m = np.ones(values.size) if multiplicity is None else multiplicity
    total = dot(values, m)
    units = float(m.sum())
    if lower * units > total * (1 + 1e-12) or upper * units < total * (1 - 1e-12):
        raise WeightingError(
            f"the weights (total {total:g} over {units:g} respondents) cannot all lie within "
            f"[{lower:g}, {upper:g}]"
        )
    v = values.copy()
    for iteration in range(1, max_iter + 1):
        np.minimum(v, upper, out=v)
        np.maximum(v, lower, out=v)
        deficit = total - dot(v, m)
        if abs(deficit) <= tol * max(abs(total), 1e-300):
            return v, iteration, True
        movable = v < upper if deficit > 0 else v > lower
        room = dot(v[movable], m[movable])
        if room <= 0:
            return v, iteration, False
        v[movable] *= 1.0 + deficit / room
    np.minimum(v, upper, out=v)
    np.maximum(v, lower, out=v)
    return v, max_iter, abs(total - dot(v, m)) <= tol * max(abs(total), 1e-300)


def trim_weights(
    weights: npt.ArrayLike,
    *,
    upper_ratio: float | None = None,
    lower_ratio: float | None = None,
    upper: float | None = None,
    lower: float | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> TrimResult:
    """Return ``weights`` trimmed to the bounds with their total preserved.

    Bounds relative to the median use the median of the given weights.
    """
    w = np.asarray(weights, dtype=np.float64)
    validated = as_weights(w, w.size)
    assert validated is not None  # noqa: S101 - weights were given
    spec = Trimming(upper_ratio, lower_ratio, upper, lower, max_iter, tol)
    low, high = spec.bounds(_median(validated, None) if w.size else 0.0)
    trimmed, iterations, converged = _trim_units(
        validated, None, low, high, max_iter=max_iter, tol=tol
    )
    return TrimResult(
        weights=trimmed,
        lower=low,
        upper=high,
        n_trimmed=_at_bounds(trimmed, low, high),
        iterations=iterations,
        converged=converged,
    )


def _at_bounds(weights: FloatArray, lower: float, upper: float) -> int:
    scale = max(1.0, float(np.max(np.abs(weights)))) if weights.size else 1.0
    eps = 1e-12 * scale
    at_upper = weights >= upper - eps if math.isfinite(upper) else np.zeros(weights.size, bool)
    at_lower = weights <= lower + eps if lower > 0 else np.zeros(weights.size, bool)
    return int(np.count_nonzero(at_upper | at_lower))


# --- post-stratification ----------------------------------------------------------------------


def _codes(codes: npt.ArrayLike, size: int | None, categories: int, what: str) -> IntArray:
    array = np.asarray(codes)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise WeightingError(f"{what}: codes must be a one-dimensional integer array")
    if size is not None and array.size != size:
        raise WeightingError(f"{what}: {array.size} codes for {size} respondents")
    if array.size and (array.min() < 0 or array.max() >= categories):
        raise WeightingError(
            f"{what}: every respondent needs a category code 0..{categories - 1} "
            "(impute or drop respondents without one first)"
        )
    return array.astype(np.intp)


def _targets(targets: npt.ArrayLike, what: str) -> FloatArray:
    array = np.asarray(targets, dtype=np.float64)
    if array.size == 0 or not np.all(np.isfinite(array)) or array.min() < 0:
        raise WeightingError(f"{what}: targets must be non-negative numbers")
    if array.sum() <= 0:
        raise WeightingError(f"{what}: targets sum to 0")
    return array


def _base(base_weights: npt.ArrayLike | None, size: int) -> FloatArray | None:
    return as_weights(base_weights, size, "base_weights")


def poststratify(
    cells: Sequence[npt.ArrayLike] | npt.ArrayLike,
    targets: npt.ArrayLike,
    *,
    base_weights: npt.ArrayLike | None = None,
    targets_are: TargetKind = "counts",
    trimming: Trimming | None = None,
) -> WeightingResult:
    """Return weights whose totals per joint cell equal ``targets``.

    ``cells`` is one code array per stratifying variable (or a single array), ``targets`` has
    one dimension per variable (``targets[age, sex]``).
    """
    table = _targets(targets, "post-stratification")
    stacked = np.asarray(cells)
    if stacked.ndim not in (1, 2):
        raise WeightingError("post-stratification: cells must be one code array per variable")
    code_arrays = [stacked] if stacked.ndim == 1 else list(stacked)
    if table.ndim != len(code_arrays):
        raise WeightingError(
            f"post-stratification: targets have {table.ndim} dimensions for "
            f"{len(code_arrays)} cell variables"
        )
    first = np.asarray(code_arrays[0])
    size = first.size
    codes = [
        _codes(array, size, table.shape[axis], f"post-stratification variable {axis}")
        for axis, array in enumerate(code_arrays)
    ]
    joint = np.ravel_multi_index(tuple(codes), table.shape) if size else np.zeros(0, np.intp)
    base = _base(base_weights, size)
    cell_base = (
        bincount(joint, minlength=table.size) if base is None else bincount(joint, base, table.size)
    )
    flat = table.reshape(-1)
    if targets_are == "shares":
        flat = flat / flat.sum() * size
    elif targets_are != "counts":
        raise ValueError(f"targets_are must be 'counts' or 'shares', got {targets_are!r}")
    empty = np.flatnonzero((flat > 0) & (cell_base <= 0))
    if empty.size:
        described = ", ".join(str(np.unravel_index(cell, table.shape)) for cell in empty[:10])
        raise WeightingError(
            f"post-stratification: {empty.size} cell(s) have a target but no respondents: "
            f"{described} (collapse cells first)"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(cell_base > 0, flat / cell_base, 0.0)
    weights = factor[joint] if base is None else base * factor[joint]
    n_trimmed = 0
    iterations = 1
    converged = True
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
        weights, n_trimmed = trimmed.weights, trimmed.n_trimmed
        iterations, converged = trimmed.iterations, trimmed.converged
    achieved = bincount(joint, weights, table.size)
    return WeightingResult(
        weights=weights,
        method="poststratify",
        effective_n=kish_effective_n(weights),
        iterations=iterations,
        converged=converged,
        max_margin_error=_relative_error(achieved, flat),
        n_trimmed=n_trimmed,
    )


def _relative_error(achieved: FloatArray, targets: FloatArray) -> float:
    """Return ``max |achieved - target| / target`` (absolute where the target is 0)."""
    scale = np.where(targets > 0, targets, 1.0)
    return float(np.max(np.abs(achieved - targets) / scale)) if targets.size else 0.0


# --- raking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cells:
    """The observed joint cells of the margins: a cell per respondent, each margin's code per cell.

    ``stacked`` holds every margin's codes one after the other, offset so that one
    ``np.bincount`` gives all margin totals at once.
    """

    of_respondent: IntArray
    margin_codes: list[IntArray]
    count: int
    sizes: tuple[int, ...]

    @cached_property
    def stacked(self) -> IntArray:
        """Margin codes of every cell, margin after margin, offset past earlier margins."""
        offsets = np.cumsum((0, *self.sizes[:-1]))
        return np.concatenate(
            [codes + offset for codes, offset in zip(self.margin_codes, offsets, strict=True)]
        )


def _observed_cells(codes: list[IntArray], sizes: list[int]) -> _Cells:
    n = codes[0].size
    product = math.prod(sizes)
    if product <= max(8 * n, 1 << 16):
        flat = np.ravel_multi_index(tuple(codes), tuple(sizes))
        present = np.flatnonzero(np.bincount(flat, minlength=product))
        remap = np.zeros(product, dtype=np.intp)
        remap[present] = np.arange(present.size)
        margin_codes = [a.astype(np.intp) for a in np.unravel_index(present, tuple(sizes))]
        return _Cells(remap[flat], margin_codes, int(present.size), tuple(sizes))
    stacked = np.stack(codes, axis=1)
    uniques, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return _Cells(
        inverse.reshape(-1).astype(np.intp),
        [uniques[:, j].astype(np.intp) for j in range(len(codes))],
        int(uniques.shape[0]),
        tuple(sizes),
    )


def _margin_error(table: FloatArray, cells: _Cells, targets: list[FloatArray]) -> float:
    """Return the largest relative deviation of a margin total from its target."""
    everything = np.concatenate(targets)
    achieved = bincount(cells.stacked, np.tile(table, len(targets)), everything.size)
    return _relative_error(achieved, everything)


def _sweep(table: FloatArray, cells: _Cells, targets: list[FloatArray]) -> FloatArray:
    """One IPF sweep on the cell totals, in place; return the cumulative factor per cell."""
    factor = np.ones(table.size)
    for codes, target in zip(cells.margin_codes, targets, strict=True):
        current = np.bincount(codes, table, target.size)
        step = np.divide(target, current, out=np.ones(target.size), where=current > 0)
        cell_step = step[codes]
        table *= cell_step
        factor *= cell_step
    return factor


def rake(
    margins: Sequence[Margin],
    *,
    base_weights: npt.ArrayLike | None = None,
    targets_are: TargetKind = "counts",
    tol: float = 1e-6,
    max_iter: int = 100,
    trimming: Trimming | None = None,
) -> WeightingResult:
    """Return weights whose totals per category of every margin equal its targets (IPF).

    Converged means every category total is within ``tol`` (relative) of its target. Without
    convergence after ``max_iter`` sweeps the result says ``converged=False``.
    """
    if not margins:
        raise WeightingError("raking needs at least one margin")
    if targets_are not in ("counts", "shares"):
        raise ValueError(f"targets_are must be 'counts' or 'shares', got {targets_are!r}")
    size = np.asarray(margins[0].codes).size
    base = _base(base_weights, size)
    targets: list[FloatArray] = []
    codes: list[IntArray] = []
    for position, margin in enumerate(margins):
        what = f"margin {margin.name or position}"
        target = _targets(margin.targets, what)
        if target.ndim != 1:
            raise WeightingError(f"{what}: targets must be one-dimensional")
        codes.append(_codes(margin.codes, size, target.size, what))
        targets.append(target / target.sum() * size if targets_are == "shares" else target)
    totals = [float(target.sum()) for target in targets]
    if max(totals) - min(totals) > 1e-6 * max(totals):
        raise WeightingError(
            f"margins disagree on the population total ({', '.join(f'{t:g}' for t in totals)}); "
            "use targets_are='shares' or make the counts consistent"
        )
    for position, (code, target) in enumerate(zip(codes, targets, strict=True)):
        have = (
            bincount(code, minlength=target.size)
            if base is None
            else bincount(code, base, target.size)
        )
        empty = np.flatnonzero((target > 0) & (have <= 0))
        if empty.size:
            name = margins[position].name or position
            raise WeightingError(
                f"margin {name}: categor{'y' if empty.size == 1 else 'ies'} "
                f"{', '.join(map(str, empty.tolist()))} ha{'s' if empty.size == 1 else 've'} "
                "a target but no respondents (collapse categories first)"
            )
    cells = _observed_cells(codes, [target.size for target in targets])
    respondent_cell = cells.of_respondent
    counts = bincount(respondent_cell, minlength=cells.count)
    if trimming is None:
        table = counts.copy() if base is None else bincount(respondent_cell, base, cells.count)
        initial = table.copy()
        iterations, error = 0, _margin_error(table, cells, targets)
        while error > tol and iterations < max_iter:
            _sweep(table, cells, targets)
            iterations += 1
            error = _margin_error(table, cells, targets)
        with np.errstate(invalid="ignore", divide="ignore"):
            factor = np.where(initial > 0, table / initial, 0.0)
        cell_weight = factor[respondent_cell]
        weights = cell_weight if base is None else base * cell_weight
        return WeightingResult(
            weights=weights,
            method="rake",
            effective_n=kish_effective_n(weights),
            iterations=iterations,
            converged=error <= tol,
            max_margin_error=error,
        )
    return _rake_trimmed(
        cells, targets, base, counts, trimming=trimming, tol=tol, max_iter=max_iter
    )


def _rake_trimmed(
    cells: _Cells,
    targets: list[FloatArray],
    base: FloatArray | None,
    counts: FloatArray,
    *,
    trimming: Trimming,
    tol: float,
    max_iter: int,
) -> WeightingResult:
    """Rake with trimming between sweeps: two IPF sweeps, then trim, until both hold.

    Two sweeps per trim rather than one: a single sweep tends to oscillate against the trim and
    takes several times as many sweeps to converge. ``max_iter`` counts sweeps. Without base
    weights every respondent of a cell has the same weight, so the units are the cells (value =
    weight per respondent, multiplicity = respondents); with base weights the units are the
    respondents.
    """
    if base is None:
        unit_cell = np.arange(cells.count)
        multiplicity: FloatArray | None = counts
        values = np.ones(cells.count)
    else:
        unit_cell = cells.of_respondent
        multiplicity = None
        values = base.copy()

    def cell_totals(v: FloatArray) -> FloatArray:
        """Weighted respondents per cell."""
        mass = v if multiplicity is None else v * multiplicity
        return bincount(unit_cell, mass, cells.count)

    table = cell_totals(values)
    error = _margin_error(table, cells, targets)
    iterations = 0
    low = high = math.nan
    trimmed_ok = False
    while iterations < max_iter:
        for _ in range(min(SWEEPS_PER_TRIM, max_iter - iterations)):
            factor = _sweep(table, cells, targets)
            values = values * factor[unit_cell]
            iterations += 1
        low, high = trimming.bounds(_median(values, multiplicity))
        values, _, trimmed_ok = _trim_units(
            values,
            multiplicity,
            low,
            high,
            max_iter=trimming.max_iter,
            tol=trimming.tol,
        )
        table = cell_totals(values)
        error = _margin_error(table, cells, targets)
        if error <= tol and trimmed_ok:
            break
    weights = values[cells.of_respondent] if base is None else values
    return WeightingResult(
        weights=weights,
        method="rake",
        effective_n=kish_effective_n(weights),
        iterations=iterations,
        converged=error <= tol and trimmed_ok,
        max_margin_error=error,
        n_trimmed=_at_bounds(weights, low, high) if iterations else 0,
    )
