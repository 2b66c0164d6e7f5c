"""A table that may scroll sideways says so: every ``table-wrap`` is a named, focusable region.

WCAG 1.4.10 (Reflow) lets a two-dimensional data table scroll inside the page at 320 px, as long
as keyboard users can reach the scrolling part (``tabindex="0"``) and screen reader users hear
what it is (``role="region"`` with a name). The browser sweep (``tests/e2e/test_reflow.py``)
finds the wrappers that scroll with the demo's data; this test covers every template, whatever
its data.
"""

from __future__ import annotations

import re
from pathlib import Path

import burgerlink

SOURCE = Path(burgerlink.__file__).resolve().parent
WRAPPER = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


def _wrappers() -> list[tuple[str, str]]:
    found = []
    for template in sorted(SOURCE.rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        name = str(template.relative_to(SOURCE))
        found.extend((name, match.group(0)) for match in WRAPPER.finditer(text))
    return found


def test_templates_have_table_wrappers() -> None:
    assert len(_wrappers()) > 10


def test_every_table_wrapper_is_a_named_focusable_region() -> None:
    unnamed = [
        f"{name}: {tag}"
        for name, tag in _wrappers()
        if 'role="region"' not in tag
        or 'tabindex="0"' not in tag
        or not re.search(r"aria-label(?:ledby)?=\"[^\"]+\"", tag)
    ]
    assert not unnamed, "\n".join(unnamed)
