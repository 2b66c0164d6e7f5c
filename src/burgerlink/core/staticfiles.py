"""Static files for production: hashed names (cached for a year), gzip and brotli copies."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Front-end packages from npm are copied whole; their CSS may point at files the package does
# not ship (the Utrecht design tokens' background-image-icon.css names an SVG it leaves out), and
# the source maps their scripts name are left out on purpose (see ``collectstatic``).
VENDOR_PREFIX = "vendor/"


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # untyped base
    """Whitenoise's manifest storage that tolerates dangling references in third-party CSS."""

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        """Hash ``name``; a file that a package names but does not ship keeps its plain name."""
        try:
            return str(super().hashed_name(name, content, filename))
        except ValueError:
            if content is None and (name.startswith(VENDOR_PREFIX) or name.endswith(".map")):
                return name
            raise
