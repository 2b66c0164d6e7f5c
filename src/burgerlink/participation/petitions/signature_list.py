"""The signature list for the council, as CSV (the export kit's formula-safe writer) and PDF.

Each download is recorded in the audit log (who, which petition, how many signatures); the
staff shell sends it with ``Cache-Control: no-store``. The list holds what the council needs to
judge a citizens' initiative: name, place, and the moment of confirmation; e-mail addresses
stay out of it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from burgerlink.core.exports.columns import Column
from burgerlink.core.exports.writers import by_columns, open_writer, write_table
from burgerlink.core.models import User
from burgerlink.core.pdf import html_to_pdf
from burgerlink.core.services import record_audit
from burgerlink.participation.models import Petition
from burgerlink.participation.petitions import selectors

CHUNK = 5_000
COLUMNS = [
    Column("nummer", "Volgnummer", kind="number"),
    Column("naam", "Naam"),
    Column("woonplaats", "Woonplaats"),
    Column("bevestigd", "Bevestigd op", kind="datetime"),
]


def _rows(petition: Petition) -> Iterator[tuple[int, str, str, Any]]:
    rows = selectors.signatures_for_export(petition).values_list("name", "place", "confirmed_at")
    for number, (name, place, confirmed_at) in enumerate(rows.iterator(chunk_size=CHUNK), 1):
        yield number, name, place, confirmed_at


def _chunks(petition: Petition) -> Iterator[list[list[Any]]]:
    batch: list[tuple[Any, ...]] = []
    for row in _rows(petition):
        batch.append(row)
        if len(batch) == CHUNK:
            yield by_columns(batch, len(COLUMNS))
            batch = []
    if batch:
        yield by_columns(batch, len(COLUMNS))


def _audit(petition: Petition, by: User, file_format: str, rows: int) -> None:
    record_audit(
        action="petitions.signature-list",
        actor=by,
        organisation=petition.organisation,
        obj=petition,
        summary=f"handtekeningenlijst petitie {petition.pk} als {file_format}: {rows} handtekeningen",
    )


def csv_list(petition: Petition, *, by: User) -> bytes:
    """The signature list as CSV (UTF-8 with BOM), audited."""
    buffer = io.BytesIO()
    rows = write_table(open_writer("csv", buffer, COLUMNS), _chunks(petition))
    _audit(petition, by, "csv", rows)
    return buffer.getvalue()


def pdf_list(petition: Petition, *, by: User) -> bytes:
    """The signature list as a tagged PDF, audited."""
    rows = list(_rows(petition))
    html = render_to_string(
        "participation/petitions/signature_list_pdf.html",
        {
            "petition": petition,
            "organisation": petition.organisation,
            "rows": rows,
            "made": timezone.now(),
        },
    )
    pdf = html_to_pdf(html)
    _audit(petition, by, "pdf", len(rows))
    return pdf
