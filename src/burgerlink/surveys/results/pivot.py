"""Pure array work of the results area: answers in long format → a matrix, weights from margins.

No ORM here: the selectors fetch rows and hand arrays to these functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from burgerlink.surveys.analysis import (
    Margin,
    Raking,
    Trimming,
    WeightingError,
    WeightingResult,
    kish_effective_n,
)
from burgerlink.surveys.definition import DONT_KNOW, NOT_APPLICABLE

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
UNKNOWN = "__unknown__"
TRIM_UPPER_RATIO = 5.0


@dataclass
class LongAnswers:
    """Numeric answers in long format, as three aligned arrays."""

    response: IntArray
    column: npt.NDArray[np.intp]
    value: FloatArray

    @classmethod
    def empty(cls) -> LongAnswers:
        """No answers."""
        return cls(np.zeros(0, np.int64), np.zeros(0, np.intp), np.zeros(0, np.float64))

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[Any, ...]], index: Mapping[str, int]) -> LongAnswers:
        """Convert ``(response_id, code, number)`` rows; unknown codes get column -1."""
        if not rows:
            return cls.empty()
        count = len(rows)
        # itemgetter/map/fromiter stay in C: no per-answer Python work beyond the rows
        return cls(
            np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=count),
            np.fromiter(
                map(index.get, map(itemgetter(1), rows), repeat(-1)), dtype=np.intp, count=count
            ),
            np.fromiter(map(itemgetter(2), rows), dtype=np.float64, count=count),
        )

    @classmethod
    def concatenate(cls, parts: Iterable[LongAnswers]) -> LongAnswers:
        """Join several chunks."""
        items = list(parts)
        if not items:
            return cls.empty()
        return cls(
            np.concatenate([part.response for part in items]),
            np.concatenate([part.column for part in items]),
            np.concatenate([part.value for part in items]),
        )


def pivot(
    response_ids: IntArray,
    answers: LongAnswers,
    n_columns: int,
    coded_columns: Sequence[int] = (),
) -> FloatArray:
    """Return a column-major matrix: one row per response id, one column per variable.

    ``response_ids`` must be sorted; answers of other responses or with column -1 are ignored.
    In ``coded_columns`` the codes 98 (don't know) and 99 (not applicable) become NaN.
    """
    matrix = np.full((response_ids.size, n_columns), np.nan, dtype=np.float64, order="F")
    if answers.response.size and response_ids.size:
        rows = np.searchsorted(response_ids, answers.response)
        rows_clipped = np.minimum(rows, response_ids.size - 1)
        keep = (response_ids[rows_clipped] == answers.response) & (answers.column >= 0)
        matrix[rows_clipped[keep], answers.column[keep]] = answers.value[keep]
    for column in coded_columns:
        values = matrix[:, column]
        values[(values == DONT_KNOW) | (values == NOT_APPLICABLE)] = np.nan
    return matrix


def category_codes(values: Sequence[str | None], categories: Sequence[str]) -> IntArray:
    """Return the position of each value in ``categories`` (-1: missing or unknown)."""
    lookup = {category: i for i, category in enumerate(categories)}
    return np.fromiter(
        (lookup.get(value, -1) if value is not None else -1 for value in values),
        dtype=np.int64,
        count=len(values),
    )


@dataclass(frozen=True)
class Weights:
    """The final weights of a wave and how they were obtained.

    For raking: the sweeps it took (``iterations``), whether it converged and the largest
    relative deviation of a weighted margin from its target after trimming
    (``max_margin_error``); 0 and 0.0 for weights that were not computed here.
    """

    weights: FloatArray | None
    method: str
    effective_n: float
    design_effect: float | None
    variables: tuple[str, ...] = ()
    message: str = ""
    converged: bool = True
    n_trimmed: int = 0
    iterations: int = 0
    max_margin_error: float = 0.0

    def take(self, rows: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> FloatArray | None:
        """The weights of some rows (None when unweighted)."""
        return None if self.weights is None else self.weights[rows]


def unweighted(size: int, message: str = "") -> Weights:
    """Equal weights."""
    return Weights(None, "none", float(size), 1.0 if size else None, message=message)


def stored_weights(values: FloatArray) -> Weights:
    """Weights delivered with the responses (e.g. by a fieldwork bureau)."""
    return Weights(
        values,
        "base",
        kish_effective_n(values),
        _design_effect(values),
    )


def _design_effect(weights: FloatArray) -> float | None:
    effective = kish_effective_n(weights)
    return weights.size / effective if effective > 0 else None


class TargetsError(ValueError):
    """The population targets cannot be met by the respondents."""


def rake_to_targets(
    targets: Mapping[str, Mapping[str, float]],
    codes: Mapping[str, IntArray],
    size: int,
) -> Weights:
    """Rake to population shares per variable (``targets[variable][category] = share``).

    Respondents without a known category of a variable keep their share: an extra category
    "unknown" gets the observed share of unknowns as its target, and the known categories share
    the rest in the population's proportions. Weights are trimmed at 5× the median. Raises
    ``TargetsError`` (with the variable and category) when a category with a target has no
    respondents.
    """
    margins = []
    names = []
    for name, shares in targets.items():
        categories = list(shares)
        code = codes.get(name)
        if code is None:
            continue
        total = float(sum(max(float(value), 0.0) for value in shares.values()))
        if total <= 0:
            continue
        wanted = np.array([max(float(shares[c]), 0.0) / total for c in categories])
        counts = np.bincount(code[code >= 0], minlength=len(categories))
        empty = [
            c
            for c, want, have in zip(categories, wanted, counts, strict=True)
            if want > 0 and have == 0
        ]
        if empty:
            raise TargetsError(name, empty[0])
        unknown = code < 0
        share_unknown = float(unknown.mean()) if size else 0.0
        if share_unknown > 0:
            code = np.where(unknown, len(categories), code)
            wanted = np.append(wanted * (1 - share_unknown), share_unknown)
        margins.append(Margin(codes=code, targets=wanted, name=name))
        names.append(name)
    if not margins or size == 0:
        return unweighted(size)
    try:
        result: WeightingResult = Raking(margins, targets_are="shares").apply(
            None, Trimming(upper_ratio=TRIM_UPPER_RATIO)
        )
    except WeightingError as error:
        raise TargetsError(str(error), "") from error
    design = result.design_effect
    return Weights(
        result.weights,
        "rake",
        result.effective_n,
        design if math.isfinite(design) else None,
        variables=tuple(names),
        converged=result.converged,
        n_trimmed=result.n_trimmed,
        iterations=result.iterations,
        max_margin_error=result.max_margin_error,
    )
