"""Open data of one petition: its counts (total and per place), status and the answer.

JSON for programs, CSV for spreadsheets. The CSV goes through the export kit's writer, so every
cell is formula-safe (a place typed as ``=HYPERLINK(...)`` is shown, never run).
"""

from __future__ import annotations

import io
from typing import Any

from burgerlink.core.exports.columns import Column
from burgerlink.core.exports.writers import open_writer, write_table
from burgerlink.participation.models import Petition
from burgerlink.participation.petitions import mail, selectors


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def document(petition: Petition, *, base_url: str) -> dict[str, Any]:
    """The petition as an open-data document (counts as of ``counted_at``)."""
    return {
        "id": petition.pk,
        "organisation": petition.organisation.slug,
        "title": petition.title,
        "text": petition.text,
        "petitioner": petition.petitioner_name,
        "url": mail.petition_url(base_url, petition),
        "status": petition.stage,
        "status_label": str(petition.get_stage_display()),
        "published_at": _moment(petition.published_at),
        "closes_on": petition.closes_on.isoformat(),
        "signatures": petition.signature_count,
        "counted_at": _moment(petition.counted_at),
        "signatures_per_place": [
            {"place": row.place, "signatures": row.count}
            for row in selectors.place_counts(petition)
        ],
        "thresholds": {
            "response": petition.response_threshold or None,
            "citizens_initiative": petition.initiative_threshold or None,
        },
        "agenda_url": petition.agenda_url or None,
        "decision_url": petition.decision_url or None,
        "answer": petition.answer or None,
        "answered_at": _moment(petition.answered_at),
    }


COLUMNS = [
    Column("petitie", "Petitie (id)", kind="number"),
    Column("titel", "Titel"),
    Column("status", "Status"),
    Column("woonplaats", "Woonplaats (leeg: alle woonplaatsen samen)"),
    Column("handtekeningen", "Bevestigde handtekeningen", kind="number"),
    Column("geteld", "Geteld op", kind="datetime"),
    Column("antwoord", "Antwoord van de organisatie"),
]


def csv_bytes(petition: Petition) -> bytes:
    """The petition's counts as CSV: a first row with the total, then one row per place."""
    places = selectors.place_counts(petition)
    rows: list[tuple[Any, ...]] = [("", petition.signature_count)] + [
        (p.place, p.count) for p in places
    ]
    width = len(rows)
    chunk: list[list[Any]] = [
        [petition.pk] * width,
        [petition.title] * width,
        [str(petition.get_stage_display())] * width,
        [place for place, _n in rows],
        [n for _place, n in rows],
        [petition.counted_at] * width,
        [petition.answer] * width,
    ]
    buffer = io.BytesIO()
    write_table(open_writer("csv", buffer, COLUMNS), [chunk])
    return buffer.getvalue()
