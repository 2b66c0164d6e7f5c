"""Validate a chunk of raw rows into typed arrays, collecting an error per bad cell.

Each ``parse_*`` function takes a ``Chunk`` (raw values per column and the file row numbers) and
returns a typed batch plus ``Problem``s (``core.files``) that name the row and the column as the
file calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from django.utils.translation import gettext as _

from burgerlink.charters.records import convert
from burgerlink.charters.records.schema import UNIT_WORDS, Preset
from burgerlink.core.files import Chunk, Problem

Instants = npt.NDArray[np.datetime64]
MAX_SOURCE_ID = 64
MAX_CASE_TYPE = 80


@dataclass
class ContactBatch:
    """Typed contacts of one chunk."""

    source_ids: Any  # a pyarrow string array (numpy object arrays of str work too)
    channel_ids: npt.NDArray[np.int64]
    received: Instants
    handled: Instants
    wait_seconds: npt.NDArray[np.float64]
    answered: npt.NDArray[np.int8]
    reclassified: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.source_ids)


@dataclass
class CaseBatch:
    """Typed cases of one chunk."""

    source_ids: npt.NDArray[np.object_]
    case_types: npt.NDArray[np.object_]
    received: Instants
    complete: Instants
    decided: Instants
    rows: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.source_ids)


@dataclass
class SuspensionBatch:
    """Typed suspensions (or extensions) of one chunk."""

    source_ids: npt.NDArray[np.object_]
    start: Instants
    end: Instants
    reason: npt.NDArray[np.object_]
    legal_basis: npt.NDArray[np.object_]
    amount: npt.NDArray[np.float64]
    unit: npt.NDArray[np.object_]
    rows: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.source_ids)


class ChunkParser:
    """Parses chunks of one file: knows its column mapping, preset and the channel lookup."""

    def __init__(
        self,
        *,
        mapping: dict[str, str],
        preset: Preset | None,
        channel_lookup: dict[str, int],
        channel_choices: str = "",
        now: datetime | None = None,
    ) -> None:
        self.mapping = mapping
        self.preset = preset
        self.channels = channel_lookup
        self.channel_choices = channel_choices
        self.latest = np.datetime64(
            ((now or datetime.now(tz=UTC)) + timedelta(days=1)).replace(tzinfo=None), "us"
        )

    # --- helpers ----------------------------------------------------------------------------
    def _raw(self, chunk: Chunk, name: str) -> Any:
        if name in self.mapping:
            return chunk.columns[self.mapping[name]]
        # A column the file lacks: the preset's constant (or blank) on every row, as a
        # one-word dictionary so that converters look the word up once.
        constants = self.preset.constants if self.preset else {}
        return pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(len(chunk), dtype=np.int32)),
            pa.array([str(constants.get(name, ""))], type=pa.string()),
        )

    def _label(self, name: str) -> str:
        return self.mapping.get(name, name)

    def _errors(
        self, chunk: Chunk, mask: npt.NDArray[np.bool_], name: str, message: str
    ) -> list[Problem]:
        return [
            Problem(int(chunk.rows[i]), self._label(name), message) for i in np.flatnonzero(mask)
        ]

    def _required(self, chunk: Chunk, name: str) -> list[Problem]:
        blank = convert.blank_mask(self._raw(chunk, name))
        return self._errors(chunk, blank, name, _("Deze cel is leeg, maar is verplicht."))

    def _datetimes(self, chunk: Chunk, name: str, errors: list[Problem]) -> Instants:
        values, bad = convert.datetimes(self._raw(chunk, name))
        errors += self._errors(
            chunk,
            bad,
            name,
            _("Onbekende datum of tijd; gebruik 31-12-2025 14:30 of 2025-12-31T14:30:00+01:00."),
        )
        future = ~np.isnat(values) & (values > self.latest)
        errors += self._errors(chunk, future, name, _("Deze datum ligt in de toekomst."))
        return values

    def _not_before(
        self,
        chunk: Chunk,
        later: Instants,
        earlier: Instants,
        name: str,
        other: str,
        errors: list[Problem],
    ) -> None:
        wrong = ~np.isnat(later) & ~np.isnat(earlier) & (later < earlier)
        message = _("Ligt vóór '%(other)s' van dezelfde rij.") % {"other": self._label(other)}
        errors += self._errors(chunk, wrong, name, message)

    def _text_array(self, chunk: Chunk, name: str, max_length: int, errors: list[Problem]) -> Any:
        values, too_long = convert.text_array(self._raw(chunk, name), max_length=max_length)
        errors += self._errors(
            chunk, too_long, name, _("Te lang: hoogstens %(n)s tekens.") % {"n": max_length}
        )
        return values

    def _texts(
        self, chunk: Chunk, name: str, max_length: int, errors: list[Problem]
    ) -> npt.NDArray[np.object_]:
        return np.asarray(
            self._text_array(chunk, name, max_length, errors).to_pylist(), dtype=object
        )

    # --- kinds --------------------------------------------------------------------------------
    def contacts(self, chunk: Chunk) -> tuple[ContactBatch, list[Problem]]:
        """Parse a chunk of contacts."""
        errors: list[Problem] = []
        for name in ("source_id", "channel", "received_at"):
            errors += self._required(chunk, name)
        source_ids = self._text_array(chunk, "source_id", MAX_SOURCE_ID, errors)
        known = self.channel_choices
        channel_ids, bad = convert.codes(self._raw(chunk, "channel"), self.channels)
        errors += self._errors(
            chunk, bad, "channel", _("Onbekend kanaal; kies uit: %(known)s.") % {"known": known}
        )
        reclassified, bad = convert.codes(self._raw(chunk, "reclassified_as"), self.channels)
        errors += self._errors(
            chunk,
            bad,
            "reclassified_as",
            _("Onbekend kanaal; kies uit: %(known)s.") % {"known": known},
        )
        received = self._datetimes(chunk, "received_at", errors)
        handled = self._datetimes(chunk, "handled_at", errors)
        self._not_before(chunk, handled, received, "handled_at", "received_at", errors)
        wait, bad = convert.durations(self._raw(chunk, "wait_seconds"))
        errors += self._errors(
            chunk,
            bad,
            "wait_seconds",
            _("Geen geldige wachttijd; gebruik seconden (37) of 0:00:37."),
        )
        inverted = bool(self.preset and "answered" in self.preset.inverted)
        answered, bad = convert.booleans(self._raw(chunk, "answered"), invert=inverted)
        errors += self._errors(chunk, bad, "answered", _("Gebruik ja of nee."))
        batch = ContactBatch(
            source_ids=source_ids,
            channel_ids=channel_ids,
            received=received,
            handled=handled,
            wait_seconds=wait,
            answered=answered,
            reclassified=reclassified,
            rows=np.asarray(chunk.rows, dtype=np.int64),
        )
        return batch, errors

    def cases(self, chunk: Chunk) -> tuple[CaseBatch, list[Problem]]:
        """Parse a chunk of cases."""
        errors: list[Problem] = []
        for name in ("source_id", "case_type", "received_at"):
            errors += self._required(chunk, name)
        source_ids = self._texts(chunk, "source_id", MAX_SOURCE_ID, errors)
        case_types = self._texts(chunk, "case_type", MAX_CASE_TYPE, errors)
        received = self._datetimes(chunk, "received_at", errors)
        complete = self._datetimes(chunk, "complete_at", errors)
        decided = self._datetimes(chunk, "decided_at", errors)
        self._not_before(chunk, complete, received, "complete_at", "received_at", errors)
        self._not_before(chunk, decided, received, "decided_at", "received_at", errors)
        batch = CaseBatch(
            source_ids=source_ids,
            case_types=case_types,
            received=received,
            complete=complete,
            decided=decided,
            rows=np.asarray(chunk.rows, dtype=np.int64),
        )
        return batch, errors

    def suspensions(self, chunk: Chunk) -> tuple[SuspensionBatch, list[Problem]]:
        """Parse a chunk of suspensions (opschortingen)."""
        errors: list[Problem] = []
        for name in ("source_id", "start"):
            errors += self._required(chunk, name)
        source_ids = self._texts(chunk, "source_id", MAX_SOURCE_ID, errors)
        start = self._datetimes(chunk, "start", errors)
        end = self._datetimes(chunk, "end", errors)
        self._not_before(chunk, end, start, "end", "start", errors)
        reason = self._texts(chunk, "reason", 200, errors)
        basis = self._texts(chunk, "legal_basis", 60, errors)
        n = len(chunk)
        batch = SuspensionBatch(
            source_ids=source_ids,
            start=start,
            end=end,
            reason=reason,
            legal_basis=basis,
            amount=np.zeros(n),
            unit=np.full(n, "", dtype=object),
            rows=np.asarray(chunk.rows, dtype=np.int64),
        )
        return batch, errors

    def extensions(self, chunk: Chunk) -> tuple[SuspensionBatch, list[Problem]]:
        """Parse a chunk of extensions (verdagingen)."""
        errors: list[Problem] = []
        for name in ("source_id", "amount", "unit"):
            errors += self._required(chunk, name)
        source_ids = self._texts(chunk, "source_id", MAX_SOURCE_ID, errors)
        amount, bad = convert.integers(self._raw(chunk, "amount"))
        errors += self._errors(chunk, bad, "amount", _("Gebruik een heel getal."))
        units = np.asarray(
            [UNIT_WORDS.get(str(v).strip().lower(), "") for v in self._raw(chunk, "unit")],
            dtype=object,
        )
        filled = ~convert.blank_mask(self._raw(chunk, "unit"))
        errors += self._errors(chunk, filled & (units == ""), "unit", _("Gebruik weken of dagen."))
        reason = self._texts(chunk, "reason", 200, errors)
        n = len(chunk)
        batch = SuspensionBatch(
            source_ids=source_ids,
            start=np.full(n, np.datetime64("NaT"), dtype="datetime64[us]"),
            end=np.full(n, np.datetime64("NaT"), dtype="datetime64[us]"),
            reason=reason,
            legal_basis=np.full(n, "Awb 4:14", dtype=object),
            amount=amount,
            unit=units,
            rows=np.asarray(chunk.rows, dtype=np.int64),
        )
        return batch, errors
