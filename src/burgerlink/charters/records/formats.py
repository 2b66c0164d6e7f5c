"""Column mappings for the Dutch standards: Open Klant klantcontacten and ZGW (Zaken API) zaken.

Open Klant 2 ``klantcontact``: ``nummer`` (or ``uuid``) is the source id, ``kanaal`` the channel,
``plaatsgevondenOp`` when it happened, ``indicatieContactGelukt`` whether it succeeded. Open Klant
has no moment of handling, so such contacts are measured only by norms that need none.

ZGW ``zaak``: ``identificatie`` is the source id, the last part of the ``zaaktype`` URL (or its
``identificatie`` when expanded) the case type, ``registratiedatum`` the receipt, ``startdatum``
the start of the term, ``einddatum`` the decision, and ``verlenging.duur`` (ISO 8601, e.g. P4W)
an extension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass
class Mapped:
    """Canonical columns built from JSON objects."""

    columns: dict[str, list[Any]]
    extra: dict[str, Any] = field(default_factory=dict)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def open_klant_contacts(records: list[dict[str, Any]]) -> Mapped:
    """Map Open Klant klantcontact objects onto the contacts columns."""
    answered = []
    for item in records:
        flag = item.get("indicatieContactGelukt")
        answered.append("" if flag is None else ("ja" if flag else "nee"))
    return Mapped(
        columns={
            "source_id": [_text(item.get("nummer") or item.get("uuid")) for item in records],
            "channel": [_text(item.get("kanaal")) for item in records],
            "received_at": [_text(item.get("plaatsgevondenOp")) for item in records],
            "handled_at": [_text(item.get("afgehandeldOp")) for item in records],
            "wait_seconds": ["" for _ in records],
            "answered": answered,
        }
    )


def _case_type(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("identificatie") or value.get("omschrijving"))
    text = _text(value).rstrip("/")
    return text.rsplit("/", 1)[-1] if "/" in text else text


def extension_days(duration: str) -> int | None:
    """Days in an ISO 8601 duration of weeks and/or days (P4W, P28D, P1W3D); None if other."""
    match = DURATION.match(duration.strip()) if duration else None
    if not match or not any(match.groups()):
        return None
    weeks, days = (int(part) if part else 0 for part in match.groups())
    return weeks * 7 + days


def zgw_cases(records: list[dict[str, Any]]) -> Mapped:
    """Map ZGW zaak objects onto the cases columns; extensions are returned in ``extra``."""
    extensions = []
    for item in records:
        extension = item.get("verlenging") or {}
        days = extension_days(_text(extension.get("duur")))
        if days:
            extensions.append(
                (_text(item.get("identificatie")), days, _text(extension.get("reden")))
            )
    return Mapped(
        columns={
            "source_id": [_text(item.get("identificatie")) for item in records],
            "case_type": [_case_type(item.get("zaaktype")) for item in records],
            "received_at": [
                _text(item.get("registratiedatum") or item.get("startdatum")) for item in records
            ],
            "complete_at": [_text(item.get("startdatum")) for item in records],
            "decided_at": [_text(item.get("einddatum")) for item in records],
        },
        extra={
            "extension_items": extensions,
            "extension_cases": [_text(item.get("identificatie")) for item in records],
        },
    )
