"""Choosing between a Dutch text and its English translation for the active language."""

from __future__ import annotations

from django.utils.translation import get_language


def in_language(nl: str, en: str) -> str:
    """Return ``en`` when English is active and a translation exists, else the Dutch ``nl``."""
    return en if (get_language() or "nl").startswith("en") and en else nl
