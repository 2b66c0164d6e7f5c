"""Charts of measured compliance: the share met per period against the charter's target.

Drawn with ``core.svgcharts`` (CSP-safe SVG, text as text); each chart sits next to a table
with the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from burgerlink.core.numbers import format_percent
from burgerlink.core.svgcharts import (
    BAR_COLOUR,
    GRID_COLOUR,
    TEXT_COLOUR,
    new_figure,
    percent_axis,
    render_svg,
)
from burgerlink.core.svgcharts import HIGHLIGHT_COLOUR as TARGET_COLOUR


def share_trend_svg(
    *,
    labels: Sequence[str],
    shares: Sequence[float | None],
    targets: Sequence[float | None],
    title: str,
    description: str = "",
    share_label: str = "",
    target_label: str = "",
    no_data_label: str = "",
) -> str:
    """A bar per period with the share met (0–1) and the target as a dashed step line."""
    figure = new_figure(6.4, 3.0)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    heights = [100 * share if share is not None else 0.0 for share in shares]
    axes.bar(positions, heights, color=BAR_COLOUR, width=0.6, label=share_label or None)
    for position, share in zip(positions, shares, strict=True):
        text = no_data_label if share is None else format_percent(share)
        if text:
            axes.annotate(
                text,
                (position, 100 * share if share is not None else 0),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                color=TEXT_COLOUR,
                # A white box keeps the figure readable where it crosses the target line.
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            )
    if any(target is not None for target in targets):
        steps_x: list[float] = []
        steps_y: list[float] = []
        for position, target in zip(positions, targets, strict=True):
            if target is None:
                continue
            # A separate segment per period (NaN breaks the line): a target that changed with
            # a new charter version shows as a step, not as a slope.
            steps_x += [position - 0.45, position + 0.45, float("nan")]
            steps_y += [100 * target, 100 * target, float("nan")]
        axes.plot(
            steps_x,
            steps_y,
            color=TARGET_COLOUR,
            linestyle="--",
            linewidth=2,
            label=target_label or None,
        )
    axes.set_ylim(0, 110)
    axes.set_yticks([0, 20, 40, 60, 80, 100])
    percent_axis(axes.yaxis)
    axes.set_xticks(positions, list(labels), fontsize=8)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if share_label or target_label:
        axes.legend(
            loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False
        )
    return render_svg(figure, title=title, description=description)
