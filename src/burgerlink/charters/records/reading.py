"""Reading an import file into chunks of canonical columns, fastest reader first.

Three readers, in the order an import tries them (``ReadMode``): pyarrow with typed columns
(moments, numbers and repeated words parsed in C++), pyarrow with text columns, and the careful
line-by-line reader of ``core.files``, which names the exact line of every problem. XLSX and JSON
(Open Klant, ZGW) have one reader each.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import IO, Any

import pyarrow as pa
from django.utils.translation import gettext as _

from burgerlink.charters.models import BatchKind
from burgerlink.charters.records import readers
from burgerlink.charters.records.schema import Preset, resolve_columns
from burgerlink.core.files import (
    Chunk,
    FileLimits,
    UnreadableFileError,
    read_csv,
    read_json_objects,
    read_xlsx,
)
from burgerlink.core.models import Channel


class ReadMode(Enum):
    """How a CSV file is read: the first that works on the file wins."""

    TYPED = "typed"  # pyarrow parses moments, numbers and words itself (contacts)
    TEXT = "text"  # pyarrow reads text; Python converts (local times, durations as 0:00:37)
    CAREFUL = "careful"  # line by line: irregular files, exact line numbers for every problem


CHANNEL_ALIASES = {
    "telefoon": "phone",
    "tel": "phone",
    "telefonisch": "phone",
    "mail": "email",
    "e-mail": "email",
    "brief": "letter",
    "post": "letter",
    "balie": "counter",
    "loket": "counter",
    "formulier": "web_form",
    "webformulier": "web_form",
    "contactformulier": "web_form",
    "sociale media": "social_media",
    "social media": "social_media",
    "socialmedia": "social_media",
    "webchat": "chat",
    "melding": "public_space_report",
    "melding openbare ruimte": "public_space_report",
    "mor": "public_space_report",
}


def channel_lookup() -> dict[str, int]:
    """Every word that names a channel (codes, Dutch and English names, aliases) → channel id."""
    lookup: dict[str, int] = {}
    by_code = {}
    for channel in Channel.objects.all():
        by_code[channel.code] = channel.pk
        for word in (channel.code, channel.name_nl, channel.name_en):
            lookup[word.strip().lower()] = channel.pk
    for word, code in CHANNEL_ALIASES.items():
        if code in by_code:
            lookup.setdefault(word, by_code[code])
    return lookup


def typed_contact_columns(preset: Preset | None) -> readers.ColumnTypes:
    """For the fast reader: which file columns of a contacts CSV pyarrow can parse itself."""

    def types(names: list[str]) -> dict[str, Any]:
        mapping, _missing = resolve_columns(BatchKind.CONTACTS, names, preset)
        words = pa.dictionary(pa.int32(), pa.string())
        wanted = {
            "received_at": pa.timestamp("us", "UTC"),
            "handled_at": pa.timestamp("us", "UTC"),
            "wait_seconds": pa.float64(),
            "channel": words,
            "answered": words,
            "reclassified_as": words,
        }
        return {mapping[name]: kind for name, kind in wanted.items() if name in mapping}

    return types


def read_chunks(
    stream: IO[bytes],
    fmt: str,
    kind: str,
    *,
    mode: ReadMode,
    limits: FileLimits,
    types: readers.ColumnTypes | None = None,
    utf8: bool | None = None,
) -> Iterator[Chunk]:
    """The file's rows in chunks; ``types`` are the typed columns of ``ReadMode.TYPED``."""
    if fmt == "xlsx":
        yield from read_xlsx(stream, limits=limits)
    elif fmt == "json":
        yield from _json_chunks(stream, kind, limits)
    elif fmt == "sav":
        raise UnreadableFileError(
            _("Een SPSS-bestand kan hier niet worden ingelezen; gebruik CSV, Excel of JSON.")
        )
    elif mode is not ReadMode.CAREFUL:
        typed = types if mode is ReadMode.TYPED else None
        yield from readers.read_csv_fast(stream, typed, utf8=utf8, limits=limits)
    else:
        yield from read_csv(stream, utf8=utf8, limits=limits)


def _json_chunks(stream: IO[bytes], kind: str, limits: FileLimits) -> Iterator[Chunk]:
    """Map Open Klant klantcontacten (contacts) or ZGW zaken (cases) onto canonical columns."""
    from burgerlink.charters.records import formats

    first = 1
    for records in read_json_objects(stream, limits=limits):
        mapped = (
            formats.open_klant_contacts(records)
            if kind == "contacts"
            else formats.zgw_cases(records)
        )
        rows = list(range(first, first + len(records)))
        first += len(records)
        yield Chunk(mapped.columns, rows, {"json": True, **mapped.extra})
