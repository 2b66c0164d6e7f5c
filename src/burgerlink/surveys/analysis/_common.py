"""Array aliases, input validation and small numeric helpers shared by the analysis modules."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
Label = Hashable

VarianceMethod = Literal["linearisation", "kish"]
SHORT = 4096


def as_values(values: npt.ArrayLike, name: str = "values") -> FloatArray:
    """Return ``values`` as a 1-D float64 array (NaN = missing or "don't know")."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    return array


def as_weights(
    weights: npt.ArrayLike | None, size: int, name: str = "weights"
) -> FloatArray | None:
    """Return validated weights (finite, non-negative, one per row) or None for equal weights."""
    if weights is None:
        return None
    array = np.asarray(weights, dtype=np.float64)
    if array.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {array.shape}")
    if size and not (np.isfinite(array).all() and array.min() >= 0.0):
        raise ValueError(f"{name} must be finite and non-negative")
    return array


def bincount(codes: IntArray, weights: FloatArray | None = None, minlength: int = 0) -> FloatArray:
    """Return ``np.bincount`` as float64 (sums of ``weights`` per code, or counts)."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=minlength), dtype=np.float64)


def dot(a: FloatArray, b: FloatArray) -> float:
    """Return ``Σ a·b`` for two 1-D arrays, single-threaded.

    ``np.einsum`` runs its own vectorised loop; ``a @ b`` would call a multithreaded BLAS whose
    thread hand-offs can cost milliseconds per call on a busy machine, and these reductions
    are memory-bound anyway. Short arrays (BLAS stays on one thread) take ``np.dot``, which
    has less call overhead.
    """
    if a.size < SHORT:
        return float(np.dot(a, b))
    return float(np.einsum("i,i->", a, b))


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` if it lies strictly between 0 and 1, else raise ValueError."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence}")
    return float(confidence)


def t_quantile(confidence: float, df: FloatArray) -> FloatArray:
    """Return the two-sided Student t quantile for ``confidence`` at each ``df`` (NaN if df ≤ 0)."""
    df = np.asarray(df, dtype=np.float64)
    out = np.full(df.shape, np.nan)
    ok = df > 0
    out[ok] = special.stdtrit(df[ok], 0.5 + confidence / 2.0)
    return out


def z_quantile(confidence: float) -> float:
    """Return the two-sided standard normal quantile for ``confidence`` (1.96 for 0.95)."""
    return float(special.ndtri(0.5 + confidence / 2.0))


def t_two_sided_p(t: float, df: float) -> float:
    """Return the two-sided p-value of Student's t statistic ``t`` with ``df`` degrees of freedom."""
    if not (math.isfinite(t) and df > 0):
        return math.nan
    return float(2.0 * special.stdtr(df, -abs(t)))


def python_number(value: Any) -> Any:
    """Return a JSON-ready Python scalar: NaN and infinities become None, numpy scalars plain."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def python_list(values: npt.ArrayLike) -> list[Any]:
    """Return an array as a JSON-ready list (NaN → None)."""
    return [python_number(value) for value in np.asarray(values).tolist()]


def python_label(label: Label) -> Any:
    """Return a group label as a JSON-ready Python value."""
    return python_number(label)


def consecutive_start(categories: Sequence[float] | FloatArray) -> float | None:
    """Return the first category when the categories are consecutive integers, else None."""
    return _consecutive_start(tuple(float(c) for c in np.asarray(categories).tolist()))


@lru_cache(maxsize=256)
def _consecutive_start(categories: tuple[float, ...]) -> float | None:
    array = np.asarray(categories, dtype=np.float64)
    if array.size == 0 or not np.all(array == np.round(array)):
        return None
    if array.size > 1 and not np.all(np.diff(array) == 1.0):
        return None
    return float(array[0])
