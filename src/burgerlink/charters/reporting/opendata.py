"""The open-data files of an organisation's compliance: columns, their meaning, CSV and JSON.

One row per norm and month, from the pre-aggregated ComplianceMonth counts. Numbers are written
for machines (a dot as decimal separator, shares as 0–1 with four decimals, months as
YYYY-MM), whatever the visitor's language.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from io import StringIO
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.reporting.selectors import OpenDataRow
from burgerlink.core.exports import safe_cell
from burgerlink.core.models import Organisation
from burgerlink.core.numbers import round_half_away

FIELDS: list[tuple[str, str | Promise]] = [
    ("organisation", _("Korte naam (slug) van de organisatie.")),
    ("month", _("Maand van ontvangst (Nederlandse tijd), als JJJJ-MM.")),
    ("code", _("Code van de norm; blijft gelijk over versies van het handvest.")),
    ("title_nl", _("Titel van de norm in het Nederlands.")),
    ("title_en", _("Titel van de norm in het Engels (leeg als die ontbreekt).")),
    ("record_kind", _("contact (klantcontacten, per kanaal) of case (zaken, per zaaktype).")),
    ("channel", _("Code van het kanaal, bij normen op klantcontacten.")),
    ("case_type", _("Zaaktype of product, bij normen op zaken.")),
    ("target_share", _("Streefpercentage als deel van 1 (0.8 = 80%), van de versie die gold.")),
    ("n", _("Aantal gemeten: op tijd plus te laat (open en over de termijn telt als te laat).")),
    ("met", _("Aantal op tijd afgehandeld.")),
    ("missed", _("Aantal te laat, inclusief open en over de termijn.")),
    ("open", _("Aantal nog open binnen de termijn (nog niet meegeteld in n).")),
    ("share_met", _("met gedeeld door n, als deel van 1; leeg als n nul is.")),
]
FIELD_NAMES = [name for name, _description in FIELDS]


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def row_values(organisation: Organisation, row: OpenDataRow) -> dict[str, Any]:
    """One open-data row as plain values (numbers as numbers, nothing localised)."""
    return {
        "organisation": organisation.slug,
        "month": f"{row.month:%Y-%m}",
        "code": row.norm.code,
        "title_nl": row.norm.title_nl,
        "title_en": row.norm.title_en,
        "record_kind": row.norm.record_kind,
        "channel": row.norm.channel_code or "",
        "case_type": row.norm.case_type,
        "target_share": round_half_away(row.norm.target_share, 4),
        "n": row.counts.n,
        "met": row.counts.met,
        "missed": row.counts.missed,
        "open": row.counts.open,
        "share_met": None if row.share_met is None else round_half_away(row.share_met, 4),
    }


def _cell(value: Any) -> Any:
    """A CSV cell: shares with four decimals; titles typed by staff made formula-safe."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return safe_cell(value)


def to_csv(organisation: Organisation, rows: Sequence[OpenDataRow]) -> str:
    """The rows as CSV (UTF-8, comma-separated, a header row with the column names)."""
    out = StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELD_NAMES)
    for row in rows:
        values = row_values(organisation, row)
        writer.writerow([_cell(values[name]) for name in FIELD_NAMES])
    return out.getvalue()


def to_json(
    organisation: Organisation, rows: Sequence[OpenDataRow], *, generated_at: datetime
) -> dict[str, Any]:
    """The rows as a JSON document that describes its own columns."""
    return {
        "organisation": {"slug": organisation.slug, "name": organisation.name},
        "generated_at": generated_at.isoformat(),
        "description": str(
            _(
                "Naleving van de servicebeloften uit het kwaliteitshandvest, per norm en maand. "
                "Open zaken en contacten worden beoordeeld op het moment dat de cijfers zijn "
                "bijgewerkt."
            )
        ),
        "fields": [{"name": name, "description": str(text)} for name, text in FIELDS],
        "rows": [row_values(organisation, row) for row in rows],
    }
