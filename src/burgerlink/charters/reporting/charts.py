"""Server-side SVG charts (matplotlib, Agg-free SVG canvas) that pass a strict CSP.

matplotlib writes ``style="fill: …; stroke: …"`` attributes and a ``<style>`` element; a
Content-Security-Policy without ``'unsafe-inline'`` styles blocks both, also inside an SVG served
as an image. Every property matplotlib uses is also an SVG presentation attribute, so
``csp_safe_svg`` rewrites each ``style`` attribute into attributes and moves the global
``<style>`` rules onto the root element (the properties inherit). Text stays text
(``svg.fonttype = 'none'``): no embedded or external fonts, and screen readers and search can
read the labels. Each chart sits next to a table with the same numbers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from io import StringIO

import matplotlib

matplotlib.use("Agg")  # never a GUI backend on a server, even if one is installed

from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

# Process-wide and set once: every SVG the platform writes keeps its text as text, and ids are
# stable, so the same figures give byte-identical charts (cacheable, testable).
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "burgerlink"
matplotlib.rcParams["font.family"] = "sans-serif"
matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", "Arial", "Liberation Sans"]

BAR_COLOUR = "#154273"  # 10.4:1 on white
TARGET_COLOUR = "#a50021"  # 7.6:1 on white
GRID_COLOUR = "#b3b3b3"
TEXT_COLOUR = "#1a1a1a"

_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL)
_EMPTY_DEFS = re.compile(r"<defs>\s*</defs>\s*")
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_PROPERTY = re.compile(r"^[a-z-]+$")


def _style_to_attributes(match: re.Match[str]) -> str:
    parts = []
    for declaration in html.unescape(match.group(1)).split(";"):
        name, _sep, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and value and _PROPERTY.match(name):
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
    return "".join(parts)


def csp_safe_svg(svg: str, *, title: str, description: str = "") -> str:
    """Return matplotlib's SVG without style attributes or elements, with a title for readers."""
    svg = _DOCTYPE.sub("", svg)
    svg = _METADATA.sub("", svg)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _EMPTY_DEFS.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(_style_to_attributes, svg)
    label = f'<title id="chart-title">{html.escape(title)}</title>'
    if description:
        label += f'<desc id="chart-desc">{html.escape(description)}</desc>'
    described = ' aria-describedby="chart-desc"' if description else ""
    return _SVG_OPEN.sub(
        lambda m: (
            f'<svg{m.group(1)} role="img" aria-labelledby="chart-title"{described}'
            ' stroke-linejoin="round" stroke-linecap="butt">' + label
        ),
        svg,
        count=1,
    )


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
    figure = Figure(figsize=(6.4, 3.0), dpi=72)
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    heights = [100 * share if share is not None else 0.0 for share in shares]
    axes.bar(positions, heights, color=BAR_COLOUR, width=0.6, label=share_label or None)
    for position, share in zip(positions, shares, strict=True):
        text = no_data_label if share is None else f"{100 * share:.0f}%"
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
    axes.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    axes.set_xticks(positions, list(labels), fontsize=8)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if share_label or target_label:
        axes.legend(
            loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False
        )
    figure.tight_layout()
    out = StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return csp_safe_svg(out.getvalue(), title=title, description=description)
