"""Server-side SVG charts of survey results (matplotlib, SVG canvas) that pass a strict CSP.

Drawn with the helpers of ``core.svgcharts`` (styles become presentation attributes, text
stays text, a ``<title>`` and ``<desc>`` for readers). Charts are served as separate ``.svg`` images and
embedded with ``<img alt=…>``; each sits next to a table with the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

import math
from collections.abc import Sequence
from dataclasses import dataclass

from burgerlink.core.numbers import format_number, format_percent
from burgerlink.core.svgcharts import (
    BAR_COLOUR,
    GRID_COLOUR,
    HIGHLIGHT_COLOUR,
    TEXT_COLOUR,
    new_figure,
    number_axis,
    percent_axis,
    render_svg,
)
from burgerlink.core.svgcharts import MUTED_COLOUR as QUADRANT_COLOUR

INTERVAL_COLOUR = TEXT_COLOUR
# The id prefix of the figures written on a chart (bar labels, point numbers): one group per
# figure, in the order of the table beside the chart, so a test can read them back.
VALUE_ID = "waarde-"


def _render(figure: Figure, title: str, description: str) -> str:
    # Served as separate .svg images, hence standalone (with an XML declaration).
    return render_svg(figure, title=title, description=description, standalone=True)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value with its interval (None: hidden), highlighted or not."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    highlight: bool = False


def bars_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    axis_label: str = "",
    limits: tuple[float, float] = (1.0, 10.0),
    percent: bool = False,
    hidden_label: str = "",
) -> str:
    """Horizontal bars with 95% intervals; a hidden value shows ``hidden_label`` instead."""
    count = max(len(bars), 1)
    figure = new_figure(6.4, 0.9 + 0.38 * count)
    axes = figure.add_subplot()
    scale = 100.0 if percent else 1.0
    positions = list(range(len(bars)))[::-1]
    low_limit, high_limit = limits[0] * scale, limits[1] * scale
    for index, (position, bar) in enumerate(zip(positions, bars, strict=True)):
        if not _finite(bar.value):
            axes.text(
                low_limit,
                position,
                " " + hidden_label,
                va="center",
                ha="left",
                fontsize=8,
                color=TEXT_COLOUR,
                gid=f"{VALUE_ID}{index}",
            )
            continue
        value = float(bar.value or 0.0) * scale
        colour = HIGHLIGHT_COLOUR if bar.highlight else BAR_COLOUR
        axes.barh(position, value - low_limit, left=low_limit, height=0.6, color=colour)
        if _finite(bar.low) and _finite(bar.high):
            low, high = float(bar.low or 0.0) * scale, float(bar.high or 0.0) * scale
            axes.plot([low, high], [position, position], color=INTERVAL_COLOUR, linewidth=1.2)
            for end in (low, high):
                axes.plot(
                    [end, end],
                    [position - 0.15, position + 0.15],
                    color=INTERVAL_COLOUR,
                    linewidth=1.2,
                )
        text = format_percent(bar.value) if percent else format_number(bar.value, 1)
        right = max(value, float(bar.high or 0.0) * scale if _finite(bar.high) else value)
        axes.text(
            right,
            position,
            f"  {text}",
            va="center",
            ha="left",
            fontsize=8,
            color=TEXT_COLOUR,
            gid=f"{VALUE_ID}{index}",
        )
    axes.set_yticks(positions, [bar.label for bar in bars], fontsize=8)
    axes.set_xlim(low_limit, high_limit * 1.08 if percent else high_limit + 0.6)
    axes.set_ylim(-0.7, count - 0.3)
    if percent:
        percent_axis(axes.xaxis)
    else:
        number_axis(axes.xaxis)
    if axis_label:
        axes.set_xlabel(axis_label, fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _render(figure, title, description)


def distribution_svg(
    categories: Sequence[str],
    shares: Sequence[float | None],
    *,
    title: str,
    description: str = "",
    axis_label: str = "",
    digits: int = 1,
) -> str:
    """Vertical bars: the share of answers per category (0–1), labelled with ``digits``."""
    figure = new_figure(6.4, 2.8)
    axes = figure.add_subplot()
    positions = list(range(len(categories)))
    heights = [
        100 * float(share) if share is not None and _finite(share) else 0.0 for share in shares
    ]
    axes.bar(positions, heights, color=BAR_COLOUR, width=0.7)
    for index, (position, height, share) in enumerate(zip(positions, heights, shares, strict=True)):
        axes.annotate(
            format_percent(share, digits),
            (position, height),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color=TEXT_COLOUR,
            gid=f"{VALUE_ID}{index}",
        )
    axes.set_xticks(positions, list(categories), fontsize=8)
    axes.set_ylim(0, max([*heights, 10.0]) * 1.2)
    percent_axis(axes.yaxis)
    axes.tick_params(axis="y", labelsize=8)
    if axis_label:
        axes.set_xlabel(axis_label, fontsize=8)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _render(figure, title, description)


@dataclass(frozen=True)
class Point:
    """An aspect in the priority matrix."""

    label: str
    importance: float | None
    performance: float | None


def priority_matrix_svg(
    points: Sequence[Point],
    *,
    importance_split: float | None,
    performance_split: float | None,
    quadrant_labels: tuple[str, str, str, str],
    title: str,
    description: str = "",
    x_label: str = "",
    y_label: str = "",
    percent: bool = False,
) -> str:
    """Scatter of importance (x) against performance (y) with the quadrant lines.

    ``quadrant_labels``: improve (top left), maintain (top right), lower priority (bottom
    left), possible overkill (bottom right) — read clockwise from the important, weak corner.
    """
    figure = new_figure(6.4, 4.6)
    axes = figure.add_subplot()
    scale = 100.0 if percent else 1.0
    shown = [p for p in points if _finite(p.importance) and _finite(p.performance)]
    xs = [float(p.importance or 0.0) for p in shown]
    ys = [float(p.performance or 0.0) * scale for p in shown]
    axes.scatter(xs, ys, s=28, color=BAR_COLOUR, zorder=3)
    for index, (point, x, y) in enumerate(zip(shown, xs, ys, strict=True)):
        axes.annotate(
            point.label,
            (x, y),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=7,
            color=TEXT_COLOUR,
            gid=f"{VALUE_ID}{index}",
        )
    if xs:
        x_pad = max((max(xs) - min(xs)) * 0.25, 0.05)
        y_pad = max((max(ys) - min(ys)) * 0.25, 0.05 * scale if percent else 0.2)
        axes.set_xlim(min(xs) - x_pad, max(xs) + x_pad * 1.8)
        axes.set_ylim(min(ys) - y_pad, max(ys) + y_pad)
    if _finite(importance_split):
        axes.axvline(
            float(importance_split or 0.0), color=QUADRANT_COLOUR, linestyle="--", linewidth=1
        )
    if _finite(performance_split):
        axes.axhline(
            float(performance_split or 0.0) * scale,
            color=QUADRANT_COLOUR,
            linestyle="--",
            linewidth=1,
        )
    improve, maintain, lower, overkill = quadrant_labels
    for x, y, text, ha, va in (
        (0.02, 0.97, improve, "left", "top"),
        (0.98, 0.97, maintain, "right", "top"),
        (0.02, 0.03, lower, "left", "bottom"),
        (0.98, 0.03, overkill, "right", "bottom"),
    ):
        axes.text(
            x, y, text, ha=ha, va=va, fontsize=8, color=QUADRANT_COLOUR, transform=axes.transAxes
        )
    number_axis(axes.xaxis)
    if percent:
        percent_axis(axes.yaxis)
    else:
        number_axis(axes.yaxis)
    axes.set_xlabel(x_label, fontsize=8)
    axes.set_ylabel(y_label, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.grid(color=GRID_COLOUR, linewidth=0.4)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _render(figure, title, description)
