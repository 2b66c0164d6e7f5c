"""``burgerlink collectstatic``: Django's, leaving out what packages ship for bundlers.

The Utrecht design tokens alone ship 15 MB of token tables in JSON and JavaScript modules, and
the API docs' scripts come with megabytes of source maps; hashing and compressing (gzip and
brotli) them made every deploy minutes slower for files no page asks for.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.management.commands import collectstatic

SKIPPED = ["*.json", "*.cjs", "*.mjs", "*.ts", "*.scss", "*.less", "*.md", "*.map"]


class Command(collectstatic.Command):
    """Collect static files, skipping JSON, JS modules, type files, sources and source maps."""

    def set_options(self, **options: Any) -> None:
        """Django's options plus the platform's ignore patterns."""
        super().set_options(**options)
        self.ignore_patterns = sorted(set(self.ignore_patterns) | set(SKIPPED))
