"""The export of the compensation register: what the filter on the page shows, as CSV or Excel.

The export kit (``core.exports``) queues the job, writes the file formula-safe, audits the
request and every download and serves it with ``Cache-Control: no-store``. This module only says
what a row holds and how to read the rows: the same queryset as the register page
(``selectors.register_entries`` and ``register_rows``), rebuilt in the job from the filter
stored with the export (``Export.params``), in the page's sort order.

A row is one ledger entry: reference, kind of record, norm, channel or product, when it was
received and due, how late in the unit of its norm, the compensation, its status and a claim's
status. Never in the export: the claimant's name, e-mail address, IBAN or message (the claim
page holds those, for the members who handle the claim).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from burgerlink.charters.charter.display import compensation_label, product_label
from burgerlink.charters.compensation import selectors
from burgerlink.charters.compensation.selectors import RegisterFilter
from burgerlink.charters.models import ClaimStatus, CompensationEntry, LatenessUnit
from burgerlink.core.exports import Column, ExportKind, PreparedExport, by_columns
from burgerlink.core.models import Export
from burgerlink.core.permissions import Perm

REGISTER = "charters.compensation_register"
CHUNK = 2_000


def columns() -> list[Column]:
    """The register export's columns, labelled in the active language."""
    return [
        Column("kenmerk", _("Kenmerk")),
        Column("soort", _("Soort (contact of zaak)")),
        Column("norm_code", _("Code van de norm")),
        Column("norm", _("Norm")),
        Column("kanaal_of_product", _("Kanaal of product")),
        Column("ontvangen", _("Ontvangen"), "datetime"),
        Column("termijn", _("Uiterste moment volgens de norm"), "datetime"),
        Column("te_laat", _("Te laat (in de eenheid van de norm)"), "number", measure="scale"),
        Column("eenheid", _("Eenheid van 'te laat'")),
        Column("bedrag", _("Bedrag (euro)"), "number", measure="scale", decimals=2),
        Column("compensatie", _("Compensatie")),
        Column("status", _("Status")),
        Column("reden_afwijzing", _("Reden van afwijzing")),
        Column("claim", _("Status van de claim")),
        Column("bijgewerkt", _("Laatst gewijzigd"), "datetime"),
    ]


def _group(entry: CompensationEntry) -> str:
    norm = entry.norm
    if norm.case_type:
        return product_label(norm.case_type)
    return norm.channel.name if norm.channel is not None else ""


def _row(entry: CompensationEntry) -> list[Any]:
    claim_status = getattr(entry, "claim_status", None) or ""
    return [
        entry.source_id,
        str(entry.get_record_kind_display()),
        entry.norm.code,
        entry.norm.title,
        _group(entry),
        entry.received_at,
        entry.deadline,
        entry.lateness,
        str(LatenessUnit(entry.lateness_unit).label) if entry.lateness_unit else "",
        entry.amount,
        compensation_label(entry.norm),
        str(entry.get_status_display()),
        entry.decline_reason,
        str(ClaimStatus(claim_status).label) if claim_status else "",
        entry.updated_at,
    ]


def register_filter(export: Export) -> RegisterFilter:
    """The filter the export was requested with (stored in its ``params``)."""
    return RegisterFilter.from_params(export.params)


def _entries(export: Export) -> Any:
    return selectors.register_entries(export.organisation, register_filter(export))


def _chunks(export: Export, width: int) -> Iterator[list[list[Any]]]:
    filters = register_filter(export)
    rows: list[list[Any]] = []
    for entry in selectors.register_rows(_entries(export), filters.sort).iterator(chunk_size=CHUNK):
        rows.append(_row(entry))
        if len(rows) == CHUNK:
            yield by_columns(rows, width)
            rows = []
    if rows:
        yield by_columns(rows, width)


def _prepare(export: Export) -> PreparedExport:
    found = columns()
    return PreparedExport(
        columns=found,
        chunks=_chunks(export, len(found)),
        rows=_entries(export).count(),
        title=_("Compensatieregister"),
        sheet=_("Register"),
    )


def _describe(export: Export) -> str:
    query = str(export.params.get("query") or "")
    return f"compensatieregister {query}".strip() if query else "compensatieregister"


def _file_stem(export: Export) -> str:
    return f"compensatieregister-{timezone.localdate():%Y-%m-%d}"


KIND = ExportKind(
    name=REGISTER,
    permission=Perm.HANDLE_CLAIMS,
    count=lambda export: _entries(export).count(),
    prepare=_prepare,
    describe=_describe,
    file_stem=_file_stem,
    formats=("csv", "xlsx"),
    audit_action="compensation.export",
    rows_word="compensaties",
    empty_message=gettext_lazy("Dit filter toont geen compensaties om te exporteren."),
)
"""The register as the filter shows it (no ``subject``; the filter is in ``params``)."""
