"""The vectorised core: sufficient statistics per group and category, then estimates.

Every estimate comes from per-group moments (``Moments``). For a variable with known answer
categories they follow exactly from a table of counts, sums of weights and sums of squared
weights per group and category (``category_tables``: three ``np.bincount`` calls over
``group × category``); otherwise from row residuals (``general_moments``). ``finalise_many``
turns the moments of many variables over the same groups into means, intervals, shares and
small-group flags in one pass over a (variables × groups) array. The formulas are in the
docstring of ``burgerlink.surveys.analysis.estimates``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from burgerlink.surveys.analysis._common import (
    BoolArray,
    FloatArray,
    IntArray,
    Label,
    bincount,
    consecutive_start,
    dot,
    t_quantile,
    z_quantile,
)
from burgerlink.surveys.analysis.results import GroupedDistribution, GroupedEstimates
from burgerlink.surveys.analysis.settings import EstimateSettings


@dataclass(frozen=True)
class Moments:
    """Sufficient statistics per group, from which every estimate follows.

    ``n_units`` is what the linearisation variance counts (answers, or clusters);
    ``ss_w = Σw(y-ȳ)²``, ``ss_w2 = Σw²(y-ȳ)²`` (or the sum of squared cluster totals of ``w·e``).
    Two optional arrays (None, or NaN for a group: not set) carry what a plain table of
    answers cannot know: ``share_n_eff``, the effective n of the share's Wilson interval when it
    is not Kish's ``n_eff`` over the population correction (clusters, ``clustered_share_n_eff``;
    a partly sampled group, ``sampled_correction``), and ``applied_fpc``, a population
    correction already inside ``ss_w2`` (reported, not applied again).
    """

    n: FloatArray
    n_units: FloatArray
    sum_w: FloatArray
    sum_w2: FloatArray
    mean: FloatArray
    ss_w: FloatArray
    ss_w2: FloatArray
    sum_w_at_least: FloatArray
    share_n_eff: FloatArray | None = None
    applied_fpc: FloatArray | None = None

    def take(self, part: slice) -> Moments:
        """Return the moments of the groups in ``part``."""
        return Moments(
            n=self.n[part],
            n_units=self.n_units[part],
            sum_w=self.sum_w[part],
            sum_w2=self.sum_w2[part],
            mean=self.mean[part],
            ss_w=self.ss_w[part],
            ss_w2=self.ss_w2[part],
            sum_w_at_least=self.sum_w_at_least[part],
            share_n_eff=None if self.share_n_eff is None else self.share_n_eff[part],
            applied_fpc=None if self.applied_fpc is None else self.applied_fpc[part],
        )

    def optional(self, name: str) -> FloatArray:
        """One of the optional arrays, NaN per group where it is not set."""
        value = getattr(self, name)
        return np.full(self.n.shape, np.nan) if value is None else np.asarray(value, np.float64)

    def with_clusters(self, ss_w2: FloatArray, n_units: FloatArray) -> Moments:
        """Return these moments with cluster-level squares and counts for the variance."""
        return replace(self, ss_w2=ss_w2, n_units=n_units)


_OPTIONAL = ("share_n_eff", "applied_fpc")
_MOMENTS = tuple(field.name for field in fields(Moments) if field.name not in _OPTIONAL)


@dataclass(frozen=True)
class CategoryTables:
    """Per group (rows) and category (columns): answers, sums of weights and of squared weights.

    Only rows with a positive weight count. ``n_other`` counts non-missing answers that are none
    of the categories (over all groups); when it is not 0 the tables describe only the answers
    that are, and the moments must come from the general path.
    """

    categories: FloatArray
    counts: FloatArray
    weights: FloatArray
    weights_sq: FloatArray
    n_other: int

    def take(self, part: slice) -> CategoryTables:
        """Return the tables of the groups in ``part``."""
        return CategoryTables(
            categories=self.categories,
            counts=self.counts[part],
            weights=self.weights[part],
            weights_sq=self.weights_sq[part],
            n_other=self.n_other,
        )

    def total(self) -> CategoryTables:
        """Return the one-group table of all groups together."""
        return CategoryTables(
            categories=self.categories,
            counts=self.counts.sum(axis=0, keepdims=True),
            weights=self.weights.sum(axis=0, keepdims=True),
            weights_sq=self.weights_sq.sum(axis=0, keepdims=True),
            n_other=self.n_other,
        )

    def moments(self, threshold: float) -> Moments:
        """Return the exact moments per group (valid when ``n_other == 0``)."""
        c = self.categories
        n = self.counts.sum(axis=1)
        sum_w = self.weights.sum(axis=1)
        sum_w2 = self.weights_sq.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (self.weights @ c) / sum_w
        deviation_sq = np.square(c[None, :] - np.nan_to_num(mean)[:, None])
        at_least = self.weights[:, c >= threshold].sum(axis=1)
        return Moments(
            n=n,
            n_units=n,
            sum_w=sum_w,
            sum_w2=sum_w2,
            mean=mean,
            ss_w=(self.weights * deviation_sq).sum(axis=1),
            ss_w2=(self.weights_sq * deviation_sq).sum(axis=1),
            sum_w_at_least=at_least,
        )

    def distribution(self, suppressed: BoolArray) -> GroupedDistribution:
        """Return counts and weighted shares per group; suppressed groups are NaN."""
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = self.weights / self.weights.sum(axis=1, keepdims=True)
        weighted = self.weights.copy()
        shares[suppressed] = np.nan
        weighted[suppressed] = np.nan
        counts = self.counts.astype(np.intp)
        counts[suppressed] = -1
        return GroupedDistribution(
            categories=tuple(float(x) for x in self.categories),
            counts=counts,
            weighted=weighted,
            shares=shares,
            n_other=self.n_other,
        )


@dataclass(frozen=True)
class WeightArrays:
    """Weights prepared once for many variables: ``w``, ``w²`` and the rows with weight 0."""

    w: FloatArray | None
    w2: FloatArray | None
    zero: IntArray | None

    @classmethod
    def of(cls, weights: FloatArray | None) -> WeightArrays:
        """Prepare validated weights (None: equal weights)."""
        if weights is None:
            return cls(None, None, None)
        zero_rows = np.flatnonzero(weights == 0.0)
        return cls(weights, weights * weights, zero_rows if zero_rows.size else None)

    def take(self, rows: IntArray) -> WeightArrays:
        """Return the weights of ``rows`` (for a long table indexed by response)."""
        if self.w is None or self.w2 is None:
            return self
        w = self.w[rows]
        zero_rows = np.flatnonzero(w == 0.0)
        return WeightArrays(w, self.w2[rows], zero_rows if zero_rows.size else None)


@dataclass(frozen=True)
class Scratch:
    """Row-sized buffers reused by every variable of a run (one allocation instead of many).

    A fresh row-sized temporary costs a memory mapping and its page faults each time; the
    per-variable passes write into these instead.
    """

    floats: FloatArray
    index: IntArray
    joint: IntArray
    flags: BoolArray

    @classmethod
    def of(cls, size: int) -> Scratch:
        """Allocate buffers for ``size`` rows."""
        return cls(
            np.empty(size),
            np.empty(size, dtype=np.intp),
            np.empty(size, dtype=np.intp),
            np.empty(size, dtype=np.bool_),
        )

    def fits(self, size: int) -> bool:
        """Whether the buffers have ``size`` rows."""
        return self.floats.size == size


def category_index(
    values: FloatArray, categories: FloatArray, scratch: Scratch | None = None
) -> IntArray:
    """Return each row's bin: 1..K for the categories, 0 or K+1 for missing and other answers.

    Consecutive whole-number categories (grades, scales, 0/1) take five vectorised passes;
    other category sets use a binary search. Which answers were "other" (not missing, none of
    the categories) follows from the bin counts: see ``category_tables``. With ``scratch`` the
    result lives in ``scratch.index`` (valid until the next call).
    """
    k = categories.size
    start = consecutive_start(categories)
    if start is not None:
        scratch = scratch if scratch is not None and scratch.fits(values.size) else None
        shifted = np.empty(values.size) if scratch is None else scratch.floats
        index = np.empty(values.size, np.intp) if scratch is None else scratch.index
        off_grid = np.empty(values.size, np.bool_) if scratch is None else scratch.flags
        np.subtract(values, start - 1.0, out=shifted)  # categories -> 1..K
        np.fmax(shifted, 0.0, out=shifted)  # NaN and below the range -> 0
        np.minimum(shifted, k + 1.0, out=shifted)  # above the range -> K+1
        np.copyto(index, shifted, casting="unsafe")
        np.not_equal(index, shifted, out=off_grid)  # not a whole number: other
        if off_grid.any():
            index[off_grid] = k + 1
        return index
    position = np.searchsorted(categories, values)
    np.clip(position, 0, k - 1, out=position)
    match = categories[position] == values
    return np.where(match, position + 1, k + 1).astype(np.intp)


def category_tables(
    values: FloatArray,
    codes: IntArray | None,
    n_bins: int,
    weights: WeightArrays,
    categories: FloatArray,
    offsets: IntArray | None = None,
    scratch: Scratch | None = None,
) -> CategoryTables:
    """Return the per-group, per-category tables of ``values`` (``codes`` None: one group).

    ``offsets`` may hold ``codes * (K + 2)`` computed once for many variables with K categories;
    ``scratch`` provides reusable buffers.
    """
    if scratch is not None and not scratch.fits(values.size):
        scratch = None
    index = category_index(values, categories, scratch)
    k = categories.size + 2
    if codes is None:
        joint = index
        n_bins = 1
    else:
        base = codes * k if offsets is None else offsets
        joint = np.add(base, index, out=None if scratch is None else scratch.joint)
    size = n_bins * k
    counts = bincount(joint, minlength=size)
    bins = counts.reshape(n_bins, k)
    nan = np.isnan(values, out=None if scratch is None else scratch.flags)
    n_other = int(bins[:, 0].sum() + bins[:, -1].sum()) - int(np.count_nonzero(nan))
    if weights.w is None or weights.w2 is None:
        sum_w = counts
        sum_w2 = counts
    else:
        if weights.zero is not None:
            counts = counts - bincount(joint[weights.zero], minlength=size)
        sum_w = bincount(joint, weights.w, size)
        sum_w2 = bincount(joint, weights.w2, size)

    def table(flat: FloatArray) -> FloatArray:
        """The categories' columns of a flat (group × bin) count, without the other bins."""
        return flat.reshape(n_bins, k)[:, 1:-1]

    return CategoryTables(
        categories=categories,
        counts=table(counts),
        weights=table(sum_w),
        weights_sq=table(sum_w2),
        n_other=n_other,
    )


def general_moments(
    values: FloatArray,
    codes: IntArray | None,
    n_bins: int,
    weights: WeightArrays,
    threshold: float,
    clusters: IntArray | None = None,
) -> Moments:
    """Return the moments per group from row residuals (any values; optional clusters).

    ``clusters`` (one non-negative integer per row) is supported for one group only.
    """
    if codes is None:
        codes = np.zeros(values.size, dtype=np.intp)
        n_bins = 1
    elif clusters is not None:
        raise ValueError("clusters are supported for one group only")
    valid = ~np.isnan(values)
    if weights.w is not None:
        valid &= weights.w > 0.0
        w = np.where(valid, weights.w, 0.0)
    else:
        w = valid.astype(np.float64)
    y = np.where(valid, values, 0.0)

    def per_group(x: FloatArray) -> FloatArray:
        """Sum of ``x`` per group."""
        return bincount(codes, x, n_bins)

    n = per_group(valid.astype(np.float64))
    sum_w = per_group(w)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = per_group(w * y) / sum_w
    residual = np.where(valid, y - np.nan_to_num(mean)[codes], 0.0)
    weighted_residual = w * residual
    if clusters is None:
        ss_w2 = per_group(weighted_residual * weighted_residual)
        n_units = n
    else:
        totals = bincount(clusters, weighted_residual)
        ss_w2 = np.array([dot(totals, totals)])  # one group: sum of squared cluster totals
        n_units = np.array(
            [float(np.count_nonzero(np.bincount(clusters, weights=valid.astype(np.float64))))]
        )
    return Moments(
        n=n,
        n_units=n_units,
        sum_w=sum_w,
        sum_w2=per_group(w * w),
        mean=mean,
        ss_w=per_group(weighted_residual * residual),
        ss_w2=ss_w2,
        sum_w_at_least=per_group(np.where(y >= threshold, w, 0.0)),
    )


def cluster_squares(
    values: FloatArray,
    clusters: IntArray,
    n_clusters: int,
    cluster_weights: FloatArray | None,
    mean: float,
) -> tuple[FloatArray, FloatArray]:
    """Return ``Σ_c (w_c Σ_{i∈c} (y_i - ȳ))²`` and the number of clusters with an answer.

    For rows that carry the weight of their cluster (organisation grades carry their
    response's weight): the cluster totals of the linearised residuals, without a per-row pass
    over the weights. Missing answers and clusters with weight 0 are left out.
    """
    valid = ~np.isnan(values)
    sums = np.bincount(clusters, weights=np.where(valid, values, 0.0), minlength=n_clusters)
    counts = np.bincount(clusters, weights=valid.astype(np.float64), minlength=n_clusters)
    totals = sums - mean * counts
    answered = counts > 0
    if cluster_weights is not None:
        totals *= cluster_weights
        answered &= cluster_weights > 0
    return np.array([dot(totals, totals)]), np.array([float(np.count_nonzero(answered))])


def indicator(values: FloatArray, threshold: float) -> FloatArray:
    """``1[y ≥ threshold]`` per row, NaN where the answer is missing."""
    return np.where(np.isnan(values), np.nan, (values >= threshold).astype(np.float64))


def clustered_share_n_eff(
    moments: Moments, share_squares: FloatArray, mean_ss_w2: FloatArray
) -> FloatArray:
    """The effective n of a one-group share whose rows cluster (one respondent, many grades).

    ``moments``: the clustered moments of the answers (``n_units`` = m clusters, ``ss_w2`` the
    squared cluster totals of the mean's residuals); ``share_squares``: the same squared
    cluster totals for the share's indicator, ``Σ_c (Σ_{i∈c} w_i (1[y_i ≥ t] - p))²``;
    ``mean_ss_w2``: ``Σw²(y-ȳ)²`` over the rows. Result: ``p(1-p) / v`` with
    ``v = m/(m-1) · share_squares / (Σw)²``, the cluster-robust linearisation variance of the
    share, the same estimator as the mean's interval. Where that is undefined (a share of 0
    or 1) the mean's design effect of clustering stands in: Kish's ``n_eff`` over
    ``v_clustered(mean) / v_rows(mean)``.
    """
    sum_w = float(moments.sum_w[0])
    if sum_w <= 0:
        return np.array([np.nan])
    share = float(moments.sum_w_at_least[0]) / sum_w
    m = float(moments.n_units[0])
    n = float(moments.n[0])
    kish = sum_w * sum_w / float(moments.sum_w2[0]) if moments.sum_w2[0] > 0 else 0.0
    if m > 1 and 0.0 < share < 1.0 and share_squares[0] > 0:
        variance = m / (m - 1.0) * float(share_squares[0]) / (sum_w * sum_w)
        return np.array([share * (1.0 - share) / variance])
    clustered = float(moments.ss_w2[0]) * m / (m - 1.0) if m > 1 else math.nan
    by_rows = float(mean_ss_w2[0]) * n / (n - 1.0) if n > 1 else math.nan
    if clustered > 0 and by_rows > 0:
        return np.array([kish * by_rows / clustered])
    return np.array([kish])


def sampled_correction(
    values: FloatArray,
    weights: WeightArrays,
    sampled: BoolArray,
    population: float,
    moments: Moments,
) -> Moments:
    """One-group moments with the population correction on the sampled rows only.

    Only answers drawn from the sampled population (``sampled``) use up part of it: with
    ``n_s`` such answers the correction is ``f = 1 - n_s/N``, and it scales their share of the
    variance, ``ss_w2 = f·Σ_s w²e² + Σ_o w²e²`` (``e = y - ȳ``; other rows: open link, paper,
    imports), and of the effective n of the share, ``(Σw)² / (f·Σ_s w² + Σ_o w²)``. With every
    row sampled both equal the usual ``v·(1 - n/N)`` and ``n_eff/(1 - n/N)``. ``applied_fpc``
    reports ``(f·Σ_s w² + Σ_o w²) / Σw²``.
    """
    valid = ~np.isnan(values)
    if weights.w is not None:
        valid &= weights.w > 0.0
    w2 = np.ones(values.size) if weights.w2 is None else weights.w2
    mean = float(np.nan_to_num(moments.mean[0]))
    residual = np.where(valid, values - mean, 0.0)
    squares = np.where(valid, w2, 0.0)
    mine = valid & sampled
    n_sampled = float(np.count_nonzero(mine))
    if population < n_sampled:
        raise ValueError("a population size is smaller than its number of sampled answers")
    f = 1.0 - n_sampled / population
    ss_all = dot(squares, residual * residual)
    ss_sampled = dot(np.where(mine, squares, 0.0), residual * residual)
    w2_all = float(squares.sum())
    w2_sampled = float(squares[mine].sum())
    corrected_w2 = f * w2_sampled + (w2_all - w2_sampled)
    sum_w = float(moments.sum_w[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        share_n_eff = sum_w * sum_w / corrected_w2 if corrected_w2 > 0 else math.inf
        applied = corrected_w2 / w2_all if w2_all > 0 else 1.0
    return replace(
        moments,
        ss_w2=np.array([f * ss_sampled + (ss_all - ss_sampled)]),
        share_n_eff=np.array([share_n_eff]),
        applied_fpc=np.array([applied]),
    )


def _wilson(
    share: FloatArray, n_eff: FloatArray, z: float, fpc: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    """Wilson bounds on ``n* = n_eff / fpc`` (call with floating-point warnings silenced)."""
    z2 = z * z
    k = np.asarray(fpc, dtype=np.float64) / np.asarray(n_eff, dtype=np.float64)
    denominator = 1.0 + z2 * k
    centre = (share + z2 * k / 2.0) / denominator
    half = z * np.sqrt(np.maximum(share * (1.0 - share) * k + z2 * k * k / 4.0, 0.0))
    half = half / denominator
    return np.asarray(centre - half, dtype=np.float64), np.asarray(centre + half, dtype=np.float64)


def wilson_bounds(
    share: FloatArray, n_eff: FloatArray, confidence: float, fpc: FloatArray | float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Return the Wilson interval of ``share`` on ``n* = n_eff / fpc`` (vectorised)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return _wilson(share, n_eff, z_quantile(confidence), fpc)


def finalise(
    moments: Moments,
    *,
    labels: Sequence[Label],
    settings: EstimateSettings,
    threshold: float,
    hide_below: FloatArray | None = None,
    flag_below: FloatArray | None = None,
    population: FloatArray | None = None,
    tables: CategoryTables | None = None,
) -> GroupedEstimates:
    """Turn moments per group into means, intervals, shares and small-group flags.

    ``hide_below``/``flag_below`` are per-group thresholds (default: ``settings.small_groups``);
    ``population`` holds each group's population size (NaN: unknown, no correction).
    """
    (result,) = finalise_many(
        [(moments, tables, threshold)],
        labels=labels,
        settings=settings,
        hide_below=hide_below,
        flag_below=flag_below,
        population=population,
    )
    return result


def finalise_many(
    parts: Sequence[tuple[Moments, CategoryTables | None, float]],
    *,
    labels: Sequence[Label],
    settings: EstimateSettings,
    hide_below: FloatArray | None = None,
    flag_below: FloatArray | None = None,
    population: FloatArray | None = None,
) -> list[GroupedEstimates]:
    """``finalise`` for several variables over the same groups, in one vectorised pass.

    ``parts`` holds per variable its moments, its tables (for the distribution) and the
    threshold of its share. Arithmetic runs on (variables × groups) arrays.
    """
    if not parts:
        return []
    m = Moments(*(np.stack([getattr(part[0], name) for part in parts]) for name in _MOMENTS))
    given_n_eff = np.stack([part[0].optional("share_n_eff") for part in parts])
    applied_fpc = np.stack([part[0].optional("applied_fpc") for part in parts])
    n = m.n
    rule = settings.small_groups
    hide = float(rule.hide_below) if hide_below is None else hide_below
    flag = float(rule.flag_below) if flag_below is None else flag_below
    preset = ~np.isnan(applied_fpc)  # a correction already inside ss_w2
    with np.errstate(invalid="ignore", divide="ignore"):
        if population is None:
            fpc = np.ones(n.shape)
        else:
            if np.any(population < n):
                raise ValueError("a population size is smaller than its number of answers")
            fpc = np.where(np.isnan(population), 1.0, 1.0 - n / population)
        n_eff = np.where(m.sum_w2 > 0, m.sum_w * m.sum_w / m.sum_w2, 0.0)
        if settings.variance == "kish":
            df = n_eff - 1.0
            variance = (m.ss_w / m.sum_w) / df * np.where(preset, applied_fpc, 1.0)
        else:
            df = m.n_units - 1.0
            variance = m.n_units / df * m.ss_w2 / (m.sum_w * m.sum_w)
        fpc = np.where(preset, 1.0, fpc)
        variance = np.where(df > 0, variance * fpc, np.nan)
        fpc = np.where(preset, applied_fpc, fpc)
        df = np.where(df > 0, df, np.nan)
        se = np.sqrt(variance)
        half = t_quantile(settings.confidence, df) * se
        answered = m.sum_w > 0
        mean = np.where(answered, m.mean, np.nan)
        share = np.where(answered, m.sum_w_at_least / m.sum_w, np.nan)
        share_n_eff = np.where(np.isnan(given_n_eff), n_eff / fpc, given_n_eff)
        share_low, share_high = _wilson(share, share_n_eff, z_quantile(settings.confidence), 1.0)
    suppressed = n < hide
    flagged = n < flag
    ci_low, ci_high = mean - half, mean + half
    for array in (mean, se, ci_low, ci_high, share, share_low, share_high):
        array[suppressed] = np.nan
    without_share = np.isnan([threshold for _, _, threshold in parts])  # numeric variables
    for array in (share, share_low, share_high):
        array[without_share] = np.nan
    counts = n.astype(np.intp)
    return [
        GroupedEstimates(
            labels=tuple(labels),
            n=counts[v],
            n_eff=n_eff[v],
            share_n_eff=share_n_eff[v],
            sum_weights=m.sum_w[v],
            mean=mean[v],
            se=se[v],
            df=df[v],
            ci_low=ci_low[v],
            ci_high=ci_high[v],
            share=share[v],
            share_low=share_low[v],
            share_high=share_high[v],
            fpc=fpc[v],
            suppressed=suppressed[v],
            flagged=flagged[v],
            confidence=settings.confidence,
            threshold=float(threshold),
            distribution=None if tables is None else tables.distribution(suppressed[v]),
        )
        for v, (_, tables, threshold) in enumerate(parts)
    ]


@dataclass(frozen=True)
class VariableMoments:
    """One variable's moments per group and for all rows, with their tables, before finalising."""

    groups: Moments
    group_tables: CategoryTables | None
    total: Moments | None
    total_tables: CategoryTables | None
    threshold: float


def variable_moments(
    values: FloatArray,
    codes: IntArray | None,
    n_bins: int,
    weights: WeightArrays,
    *,
    groups: int,
    threshold: float,
    categories: FloatArray | None = None,
    total: bool = False,
    offset_cache: dict[int, IntArray] | None = None,
    scratch: Scratch | None = None,
) -> VariableMoments:
    """Return the moments of one variable for the first ``groups`` bins and, with ``total``, all.

    Uses the category tables when every answer is one of ``categories``, else row residuals.
    ``offset_cache`` keeps ``codes * (K + 2)`` per K between calls with the same ``codes``;
    ``scratch`` holds reusable row buffers.
    """
    part = slice(0, groups)
    tables = total_tables = None
    if categories is not None:
        offsets = None
        if codes is not None and offset_cache is not None:
            width = categories.size + 2
            offsets = offset_cache.get(width)
            if offsets is None:
                offsets = offset_cache[width] = codes * width
        tables = category_tables(values, codes, n_bins, weights, categories, offsets, scratch)
        total_tables = tables.total() if total else None
        if tables.n_other == 0:
            return VariableMoments(
                groups=tables.moments(threshold).take(part),
                group_tables=tables.take(part),
                total=None if total_tables is None else total_tables.moments(threshold),
                total_tables=total_tables,
                threshold=threshold,
            )
    return VariableMoments(
        groups=general_moments(values, codes, n_bins, weights, threshold).take(part),
        group_tables=None if tables is None else tables.take(part),
        total=general_moments(values, None, 1, weights, threshold) if total else None,
        total_tables=total_tables,
        threshold=threshold,
    )


def estimate_variable(
    values: FloatArray,
    codes: IntArray | None,
    n_bins: int,
    weights: WeightArrays,
    *,
    labels: Sequence[Label],
    settings: EstimateSettings,
    threshold: float,
    categories: FloatArray | None = None,
    hide_below: FloatArray | None = None,
    flag_below: FloatArray | None = None,
    population: FloatArray | None = None,
    total: bool = False,
    total_population: float | None = None,
) -> tuple[GroupedEstimates, GroupedEstimates | None]:
    """Estimate one variable per group and, with ``total``, for all rows together.

    ``codes`` maps rows to bins ``0..n_bins-1``; ``labels`` names the first ``len(labels)`` bins
    (one more bin may hold rows without a group: they count in the total only).
    ``hide_below``, ``flag_below`` and ``population`` have one element per labelled group; the
    total uses the settings' small-group rule and ``total_population``.
    """
    found = variable_moments(
        values,
        codes,
        n_bins,
        weights,
        groups=len(labels),
        threshold=threshold,
        categories=categories,
        total=total,
    )
    by_group = finalise(
        found.groups,
        labels=labels,
        settings=settings,
        threshold=threshold,
        hide_below=hide_below,
        flag_below=flag_below,
        population=population,
        tables=found.group_tables,
    )
    if found.total is None:
        return by_group, None
    overall = finalise(
        found.total,
        labels=("all",),
        settings=settings,
        threshold=threshold,
        population=None if total_population is None else np.array([total_population]),
        tables=found.total_tables,
    )
    return by_group, overall
