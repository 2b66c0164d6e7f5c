"""Tagged PDF (PDF/UA-1) from HTML with WeasyPrint, for posters, letters and reports.

Every PDF of the platform is made here, so all of them share two rules: the result is tagged for
screen readers (PDF/UA-1), and rendering never fetches anything from outside the document — only
``data:`` URIs (embedded charts, QR codes) — so a crafted organisation text cannot make the server
read files or call other hosts. WeasyPrint is imported on first use: it takes a second to import,
and most processes (commands, workers, most requests) never make a PDF.
"""

from __future__ import annotations

PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, css: str = "") -> bytes:
    """Render an HTML document (and optional extra CSS) to a tagged PDF."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    stylesheets = [CSS(string=css, url_fetcher=fetcher)] if css else None
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets, pdf_variant=PDF_VARIANT
    )
    return bytes(pdf or b"")
