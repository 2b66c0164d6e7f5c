"""The printable poster of one channel's promises: an HTML template rendered to a tagged PDF.

Printed for the counter or put on the website, the poster makes the promise visible where the
service happens (the second C). WeasyPrint writes PDF/UA-1: tagged, with the document's language
and title, so screen readers can read the PDF as well.
"""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import get_language

from burgerlink.charters.charter.display import NormGroup
from burgerlink.charters.models import CharterVersion
from burgerlink.core.models import Organisation
from burgerlink.core.models.organisations import HEX_PATTERN
from burgerlink.core.pdf import html_to_pdf

DEFAULT_PRIMARY = "#154273"


def poster_html(
    *,
    organisation: Organisation,
    version: CharterVersion,
    group: NormGroup,
    charter_url: str,
    today: date,
) -> str:
    """Return the poster as HTML (the same markup the PDF is made from)."""
    return render_to_string(
        "charters/charter/poster.html",
        {
            "organisation": organisation,
            "version": version,
            "group": group,
            "charter_url": charter_url,
            "today": today,
            "language": (get_language() or "nl")[:2],
        },
    )


def render_poster(
    *,
    organisation: Organisation,
    version: CharterVersion,
    group: NormGroup,
    charter_url: str,
    today: date,
) -> bytes:
    """Return the poster of one channel or product as a tagged A4 PDF (PDF/UA-1)."""
    primary = organisation.primary_colour
    css = render_to_string(
        "charters/charter/poster.css",
        {"primary": primary if HEX_PATTERN.match(primary) else DEFAULT_PRIMARY},
    )
    html = poster_html(
        organisation=organisation,
        version=version,
        group=group,
        charter_url=charter_url,
        today=today,
    )
    return html_to_pdf(html, css)
