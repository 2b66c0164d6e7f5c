"""The columns of each kind of import file, their Dutch aliases, and mappings of other formats.

Canonical columns (issue #3): contacts ``source_id,channel,received_at,handled_at,wait_seconds,
answered``; cases ``source_id,case_type,received_at,complete_at,decided_at``; suspensions
``source_id,start,end,reason``. Presets map the exports of other systems onto these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ColumnSpec:
    """A canonical column: its type, whether it must be present and filled, and other names."""

    name: str
    kind: str  # text, channel, datetime, duration, bool, int, unit
    required: bool = False
    aliases: tuple[str, ...] = ()


CONTACT_COLUMNS = (
    ColumnSpec("source_id", "text", True, ("kenmerk", "id", "referentie", "contact_id", "nummer")),
    ColumnSpec("channel", "channel", True, ("kanaal",)),
    ColumnSpec(
        "received_at", "datetime", True, ("ontvangen", "ontvangen_op", "datum_tijd", "start")
    ),
    ColumnSpec("handled_at", "datetime", False, ("afgehandeld", "afgehandeld_op", "beantwoord_op")),
    ColumnSpec("wait_seconds", "duration", False, ("wachttijd", "wachttijd_seconden", "wait")),
    ColumnSpec("answered", "bool", False, ("beantwoord", "vraag_beantwoord", "gelukt")),
    ColumnSpec("reclassified_as", "channel", False, ("behandeld_als", "geherclassificeerd_als")),
)
CASE_COLUMNS = (
    ColumnSpec("source_id", "text", True, ("kenmerk", "id", "zaaknummer", "identificatie")),
    ColumnSpec("case_type", "text", True, ("zaaktype", "product", "soort")),
    ColumnSpec("received_at", "datetime", True, ("ontvangen", "registratiedatum", "ontvangen_op")),
    ColumnSpec("complete_at", "datetime", False, ("compleet", "compleet_op", "aanvraag_compleet")),
    ColumnSpec(
        "decided_at", "datetime", False, ("besloten", "besloten_op", "einddatum", "besluitdatum")
    ),
)
SUSPENSION_COLUMNS = (
    ColumnSpec("source_id", "text", True, ("kenmerk", "zaaknummer", "identificatie")),
    ColumnSpec("start", "datetime", True, ("begin", "van", "startdatum")),
    ColumnSpec("end", "datetime", False, ("einde", "tot", "einddatum")),
    ColumnSpec("reason", "text", False, ("reden", "toelichting")),
    ColumnSpec("legal_basis", "text", False, ("grondslag",)),
)
EXTENSION_COLUMNS = (
    ColumnSpec("source_id", "text", True, ("kenmerk", "zaaknummer", "identificatie")),
    ColumnSpec("amount", "int", True, ("duur", "aantal")),
    ColumnSpec("unit", "unit", True, ("eenheid",)),
    ColumnSpec("reason", "text", False, ("reden", "toelichting")),
)
COLUMNS = {
    "contacts": CONTACT_COLUMNS,
    "cases": CASE_COLUMNS,
    "suspensions": SUSPENSION_COLUMNS,
    "extensions": EXTENSION_COLUMNS,
}
UNIT_WORDS = {
    "weeks": "weeks",
    "week": "weeks",
    "weken": "weeks",
    "calendar_days": "calendar_days",
    "days": "calendar_days",
    "dagen": "calendar_days",
    "kalenderdagen": "calendar_days",
}


@dataclass(frozen=True)
class Preset:
    """How another system's export maps onto a canonical file."""

    code: str
    label: str
    kind: str
    columns: dict[str, tuple[str, ...]]
    constants: dict[str, Any] = field(default_factory=dict)
    inverted: frozenset[str] = frozenset()


PRESETS = {
    # A typical telephony (ACD) export: one row per call, the wait as hh:mm:ss.
    "acd": Preset(
        code="acd",
        label="Telefooncentrale (ACD-export)",
        kind="contacts",
        columns={
            "source_id": ("callid", "call_id", "gesprek_id", "gespreksid"),
            "received_at": ("starttime", "start_time", "begintijd", "aanvang"),
            "handled_at": ("answertime", "answer_time", "opgenomen_om"),
            "wait_seconds": ("waittime", "wait_time", "wachttijd", "queue_time"),
            "answered": ("abandoned", "opgehangen"),
        },
        constants={"channel": "phone"},
        inverted=frozenset({"answered"}),
    ),
}


def resolve_columns(
    kind: str, headers: list[str], preset: Preset | None = None
) -> tuple[dict[str, str], list[str]]:
    """Map canonical names to the file's headers; return the mapping and missing required names."""
    specs = COLUMNS[kind]
    present = set(headers)
    mapping: dict[str, str] = {}
    for spec in specs:
        candidates = (spec.name, *spec.aliases)
        if preset is not None and spec.name in preset.columns:
            candidates = (*preset.columns[spec.name], *candidates)
        for candidate in candidates:
            if candidate in present:
                mapping[spec.name] = candidate
                break
    constants = preset.constants if preset else {}
    missing = [
        spec.name
        for spec in specs
        if spec.required and spec.name not in mapping and spec.name not in constants
    ]
    return mapping, missing


# One or two example rows per kind for the downloadable templates: they import as they are (the
# suspension and extension belong to the example case, so import the cases first).
EXAMPLE_CASE_TYPE = "omgevingsvergunning-regulier"
EXAMPLES: dict[str, list[list[str]]] = {
    "contacts": [
        ["T-2025-0001", "phone", "07-03-2025 09:00", "07-03-2025 09:01", "37", "ja", ""],
        ["E-2025-0001", "email", "07-03-2025 16:00", "10-03-2025 09:15", "", "", ""],
    ],
    "cases": [
        ["Z-2025-0001", EXAMPLE_CASE_TYPE, "03-03-2025", "10-03-2025", "28-04-2025 16:00"],
    ],
    "suspensions": [
        ["Z-2025-0001", "04-03-2025", "10-03-2025", "Aanvraag was niet compleet", "Awb 4:15"],
    ],
    "extensions": [
        ["Z-2025-0001", "6", "weken", "Advies van een andere instantie nodig"],
    ],
}


def template_rows(kind: str, case_type: str = "") -> tuple[list[str], list[list[str]]]:
    """The columns of ``kind`` and example rows, with ``case_type`` in the case example."""
    columns = [spec.name for spec in COLUMNS[kind]]
    rows = [
        [case_type if case_type and value == EXAMPLE_CASE_TYPE else value for value in row]
        for row in EXAMPLES[kind]
    ]
    return columns, rows
