"""Printable letters for people reached by post: one A4 page each, link in text and as QR code.

The address block sits where a window envelope shows it (NEN 1026 / C5 window). The QR code is
an SVG drawn by ``qrcode`` without Pillow and embedded as a data URI, so WeasyPrint fetches
nothing from outside the document; the PDF is tagged (PDF/UA-1) like the other printables.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string

from burgerlink.core.models.organisations import HEX_PATTERN
from burgerlink.core.pdf import html_to_pdf

DEFAULT_PRIMARY = "#154273"


@dataclass(frozen=True)
class Letter:
    """One page: where it goes and the personal link."""

    address_lines: list[str]
    link: str
    qr_data_uri: str

    @property
    def link_lines(self) -> tuple[str, str]:
        """The link in two printed lines: the address up to the code, then the code itself.

        The code never breaks (a break at one of its hyphens would look like a hyphenation),
        so readers who type the link see exactly where it continues.
        """
        cut = self.link.rstrip("/").rfind("/") + 1
        return self.link[:cut], self.link[cut:]


def qr_svg(text: str) -> str:
    """An SVG QR code (medium error correction) for ``text``."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    return str(image.to_string(encoding="unicode"))


def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` as a ``data:image/svg+xml`` URI."""
    encoded = base64.b64encode(qr_svg(text).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def make_letter(postal_address: str, link: str) -> Letter:
    """A letter for one postal address and personal link."""
    lines = [line for line in postal_address.splitlines() if line.strip()]
    return Letter(address_lines=lines, link=link, qr_data_uri=qr_data_uri(link))


def letters_html(
    *,
    organisation_name: str,
    website: str,
    title: str,
    closes_at: datetime,
    anonymous: bool,
    letters: list[Letter],
    kind: str,
    today: date,
) -> str:
    """The letters as one HTML document (the same markup the PDF is made from)."""
    return render_to_string(
        "surveys/fieldwork/letters.html",
        {
            "organisation_name": organisation_name,
            "website": website,
            "title": title,
            "closes_at": closes_at,
            "anonymous": anonymous,
            "letters": letters,
            "reminder": kind == "reminder",
            "today": today,
        },
    )


def render_pdf(html: str, primary_colour: str) -> bytes:
    """Render the letters' HTML to a tagged A4 PDF."""
    css = render_to_string(
        "surveys/fieldwork/letters.css",
        {"primary": primary_colour if HEX_PATTERN.match(primary_colour) else DEFAULT_PRIMARY},
    )
    return html_to_pdf(html, css)
