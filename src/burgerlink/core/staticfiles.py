"""Static files for production: hashed names (cached for a year), gzip and brotli copies."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Front-end packages from npm are copied whole; their CSS may point at files the package does
# not ship (the Utrecht design tokens' background-image-icon.css names an SVG it leaves out), and
# the source maps their scripts name are left out on purpose (see StaticFilesConfig).
VENDOR_PREFIX = "vendor/"


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's manifest storage that tolerates dangling references in third-party CSS."""

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        """Hash ``name``; a file that a package names but does not ship keeps its plain name."""
        try:
            return str(super().hashed_name(name, content, filename))
        except ValueError:
            if content is None and (name.startswith(VENDOR_PREFIX) or name.endswith(".map")):
                return name
            raise


class StaticFilesConfig(BaseStaticFilesConfig):
    """``collectstatic`` leaves out what packages ship for bundlers and debuggers (JSON, maps).

    The Utrecht design tokens alone ship 15 MB of token tables in JSON and JavaScript; hashing
    and compressing them made every deploy minutes slower for files no page asks for.
    """

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "*.json",
        "*.cjs",
        "*.mjs",
        "*.ts",
        "*.scss",
        "*.less",
        "*.md",
        "*.map",
    ]
