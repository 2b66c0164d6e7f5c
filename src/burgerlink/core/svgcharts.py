"""Server-side SVG charts (matplotlib, SVG canvas) that pass a strict Content-Security-Policy.

matplotlib writes ``style="fill: …; stroke: …"`` attributes and a ``<style>`` element; a
Content-Security-Policy without ``'unsafe-inline'`` styles blocks both, also inside an SVG served
as an image. Every property matplotlib uses is also an SVG presentation attribute, so
``csp_safe_svg`` rewrites each ``style`` attribute into attributes and drops the global
``<style>`` rules (their properties are set on the root element, from where they inherit). Text
stays text (``svg.fonttype = 'none'``): no embedded or external fonts, and screen readers, the
PDF reports and search can read the labels. Numbers on a chart (bar labels, axis ticks) are
written by ``core.numbers``, as in the tables: the same rounding and the page's language. Every chart of the platform sits next to a table
with the same numbers; the chart modules of the capabilities draw with the helpers here.
"""

from __future__ import annotations

import html
import re
from functools import cache
from io import StringIO
from typing import TYPE_CHECKING, Any

from burgerlink.core.numbers import axis_formatter

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@cache
def _matplotlib() -> Any:
    """Import and configure matplotlib on first use: a second's import that most requests skip."""
    import matplotlib

    matplotlib.use("Agg")  # never a GUI backend on a server, even if one is installed
    # Process-wide and set once: every SVG the platform writes keeps its text as text, and ids
    # are stable, so the same figures give byte-identical charts (cacheable, testable).
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "burgerlink"
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", "Arial", "Liberation Sans"]
    return matplotlib


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` × ``height`` inches at 72 dpi, drawn on an SVG canvas."""
    _matplotlib()
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=72)
    FigureCanvasSVG(figure)
    return figure


def percent_axis(axis: Any) -> None:
    """Label an axis that runs from 0 to 100 as percentages in the page's language ("85%")."""
    axis.set_major_formatter(axis_formatter(percent=True))


def number_axis(axis: Any) -> None:
    """Label a numeric axis in the page's language (decimal comma in Dutch: "7,5")."""
    axis.set_major_formatter(axis_formatter())


# Contrast against white, measured for WCAG 1.4.11 (non-text contrast ≥ 3:1).
BAR_COLOUR = "#154273"  # 10.4:1
HIGHLIGHT_COLOUR = "#a50021"  # 7.6:1
GRID_COLOUR = "#b3b3b3"
TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#595959"  # 7.0:1

_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL)
_XML_DECLARATION = re.compile(r"<\?xml[^>]*\?>\s*")
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


def csp_safe_svg(svg: str, *, title: str, description: str = "", standalone: bool = False) -> str:
    """Return matplotlib's SVG without style attributes or elements, titled for readers.

    ``standalone`` keeps an XML declaration in front, for a chart served as its own ``.svg``
    file; without it the result can be placed inline in an HTML page.
    """
    svg = _XML_DECLARATION.sub("", svg)
    svg = _DOCTYPE.sub("", svg)
    svg = _METADATA.sub("", svg)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _EMPTY_DEFS.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(_style_to_attributes, svg)
    label = f'<title id="chart-title">{html.escape(title)}</title>'
    if description:
        label += f'<desc id="chart-desc">{html.escape(description)}</desc>'
    described = ' aria-describedby="chart-desc"' if description else ""
    body = _SVG_OPEN.sub(
        lambda m: (
            f'<svg{m.group(1)} role="img" aria-labelledby="chart-title"{described}'
            ' stroke-linejoin="round" stroke-linecap="butt">' + label
        ),
        svg,
        count=1,
    )
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body) if standalone else body


def render_svg(
    figure: Figure, *, title: str, description: str = "", standalone: bool = False
) -> str:
    """Lay out ``figure`` and return it as a CSP-safe SVG with a title and description."""
    figure.tight_layout()
    out = StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return csp_safe_svg(out.getvalue(), title=title, description=description, standalone=standalone)
