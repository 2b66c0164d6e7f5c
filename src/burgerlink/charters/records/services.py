"""Import and measure service records: files (CSV, XLSX, JSON), API pushes, and re-measuring.

An import is all-or-nothing per file and idempotent by source id: every chunk is validated,
measured against the charter version valid on each record's date, and written inside one
transaction (on SQLite only once the whole file has been read and staged, see ``_run_staged``);
any row error rolls the whole file back and the batch keeps the row-level errors. Files are read
with ``burgerlink.core.files`` (encodings, limits, the one error model).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from burgerlink.charters.charter.selectors import rules_for
from burgerlink.charters.compensation.services import register_missed_promises
from burgerlink.charters.compliance import Tally, measure_cases, measure_contacts, month_tallies
from burgerlink.charters.models import (
    BatchKind,
    BatchStatus,
    Case,
    CharterNorm,
    Contact,
    Extension,
    ImportBatch,
    Suspension,
)
from burgerlink.charters.records import readers
from burgerlink.charters.records.parse import (
    CaseBatch,
    ChunkParser,
    ContactBatch,
    SuspensionBatch,
)
from burgerlink.charters.records.pgcopy import text_array
from burgerlink.charters.records.schema import COLUMNS, PRESETS, Preset, resolve_columns
from burgerlink.charters.records.writers import (
    DirectCopyConflictError,
    OrmWriter,
    WriteResult,
    contact_columns,
    contact_writer,
    update_measurements,
)
from burgerlink.charters.reporting.services import (
    add_to_compliance_months,
    refresh_compliance_months,
)
from burgerlink.core.files import (
    Chunk,
    FileLimits,
    ImportRejectedError,
    Problem,
    ProblemList,
    Progress,
    UnreadableFileError,
    fingerprint,
    read_csv,
    read_json_objects,
    read_xlsx,
)
from burgerlink.core.models import Channel, Organisation, User
from burgerlink.core.observability.metrics import timed_import
from burgerlink.core.services import record_audit

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


@dataclass
class _Run:
    """State of one import while it runs."""

    organisation: Organisation
    kind: str
    batch: ImportBatch
    problems: ProblemList = field(default_factory=ProblemList)
    seen: list[pa.Array] = field(default_factory=list)
    seen_rows: list[np.ndarray] = field(default_factory=list)
    id_column: str = "source_id"
    fast: bool = False  # this attempt may COPY straight in (see ``import_file``)
    month_counts: dict[tuple[int, date], Tally] | None = None
    periods: set[date] = field(default_factory=set)
    result: WriteResult = field(default_factory=WriteResult)
    total: int = 0
    writer: Any = None
    # SQLite (see ``_run_staged``): writes that wait for the import's short final transaction.
    later: list[Callable[[], None]] | None = None

    @property
    def direct(self) -> bool:
        """Whether the writer COPYs straight in (PostgreSQL, a fast attempt).

        A direct import leaves repeated source ids to the database's unique index, and looks
        for them itself only to complete the error report of a file that fails for other reasons.
        """
        return bool(getattr(self.writer, "direct", False))

    def fail(self, errors: list[Problem]) -> None:
        self.problems.extend(errors)

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def write(self, write: Callable[[], None]) -> None:
        """Write now, or (SQLite) in the import's final transaction."""
        if self.later is None:
            write()
        else:
            self.later.append(write)


def _repeated(ids: pa.Array, rows: np.ndarray, source_ids: Any, column: str) -> list[Problem]:
    """Errors for every id that occurs more than once in ``ids`` (each after its first row)."""
    encoded = pc.dictionary_encode(ids)
    valid = ~np.asarray(pc.is_null(ids).to_numpy(zero_copy_only=False), dtype=bool)
    indices = pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    counts = np.bincount(indices[valid], minlength=len(encoded.dictionary))
    if not (counts > 1).any():
        return []
    errors = []
    first_row: dict[int, int] = {}
    for position in np.flatnonzero(valid & (counts[indices] > 1)):
        code = int(indices[position])
        if code in first_row:
            errors.append(
                Problem(
                    int(rows[position]),
                    column,
                    _("Kenmerk '%(id)s' staat ook in rij %(row)s.")
                    % {"id": str(source_ids[int(position)]), "row": first_row[code]},
                )
            )
        else:
            first_row[code] = int(rows[position])
    return errors


def _duplicates(run: _Run, source_ids: Any, rows: np.ndarray, column: str) -> list[Problem]:
    """Errors for ids that occur twice within this chunk; the whole file is checked at the end."""
    ids = text_array(source_ids).cast(pa.string())
    run.seen.append(ids)
    run.seen_rows.append(np.asarray(rows))
    return [] if run.direct else _repeated(ids, np.asarray(rows), ids, column)


def _duplicates_across_chunks(run: _Run, column: str) -> list[Problem]:
    """Errors for ids that occur in two different chunks (one pass over all ids of the file)."""
    if len(run.seen) < (1 if run.direct else 2):
        return []
    every = pa.concat_arrays(run.seen)
    errors = _repeated(every, np.concatenate(run.seen_rows), every, column)
    # Repeats inside one chunk were reported with that chunk already.
    reported = {(e.row, e.message) for e in run.problems}
    return [e for e in errors if (e.row, e.message) not in reported]


def _typed_contact_columns(preset: Preset | None) -> readers.ColumnTypes:
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


def _chunks(
    stream: IO[bytes],
    fmt: str,
    kind: str,
    *,
    fast: bool,
    limits: FileLimits,
    types: readers.ColumnTypes | None = None,
    utf8: bool | None = None,
) -> Iterator[Chunk]:
    if fmt == "xlsx":
        yield from read_xlsx(stream, limits=limits)
    elif fmt == "json":
        yield from _json_chunks(stream, kind, limits)
    elif fmt == "sav":
        raise UnreadableFileError(
            _("Een SPSS-bestand kan hier niet worden ingelezen; gebruik CSV, Excel of JSON.")
        )
    elif fast:
        yield from readers.read_csv_fast(stream, types, utf8=utf8, limits=limits)
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


def import_file(
    *,
    organisation: Organisation,
    kind: str,
    stream: IO[bytes],
    filename: str = "",
    preset: str = "",
    by: User | None = None,
    source: str = "upload",
    progress: Progress | None = None,
    limits: FileLimits | None = None,
) -> ImportBatch:
    """Import one file of contacts, cases, suspensions or extensions; all-or-nothing.

    Returns the finished batch; raises ``ImportRejectedError`` (with the batch and its row errors)
    when anything in the file is wrong, in which case nothing of the file was stored. ``limits``
    default to the settings' (an upload's); ``progress`` hears the rows read so far.
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown kind {kind}")
    limits = limits or FileLimits.from_settings()
    chosen = PRESETS.get(preset) if preset else None
    try:
        file_print = fingerprint(stream, filename, limits=limits)
    except UnreadableFileError as refused:
        batch = ImportBatch.objects.create(
            organisation=organisation,
            kind=kind,
            source=source,
            filename=filename[:255],
            created_by=by,
        )
        run = _Run(organisation=organisation, kind=kind, batch=batch)
        run.fail([refused.problem])
        return _reject(run)
    batch = ImportBatch.objects.create(
        organisation=organisation,
        kind=kind,
        source=source,
        file_format=chosen.code if chosen else file_print.format,
        filename=filename[:255],
        sha256=file_print.sha256,
        created_by=by,
    )
    # Fastest first: pyarrow parses (moments and numbers too, where it can) and a first import
    # is COPYed straight in. A local time makes the typed reader give way to the plain fast one;
    # an irregular file, or source ids that exist already, to the careful reader (exact line
    # numbers for every problem) and the counting upsert.
    typed = _typed_contact_columns(chosen) if kind == BatchKind.CONTACTS else None
    mode = "typed" if typed else "fast"
    while True:
        stream.seek(0)
        try:
            return _run(
                _Run(organisation=organisation, kind=kind, batch=batch, fast=mode != "careful"),
                _chunks(
                    stream,
                    file_print.format,
                    kind,
                    fast=mode != "careful",
                    limits=limits,
                    types=typed if mode == "typed" else None,
                    utf8=file_print.utf8,
                ),
                chosen,
                progress,
                by,
            )
        except _RetrySafelyError as retry:
            text_will_do = isinstance(retry.__cause__, readers.TypedColumnsUnavailableError)
            mode = "fast" if mode == "typed" and text_will_do else "careful"


def push_records(
    *,
    organisation: Organisation,
    kind: str,
    columns: dict[str, list[Any]],
    extra: dict[str, Any] | None = None,
    by: User | None = None,
    by_label: str = "api",
) -> ImportBatch:
    """Import records pushed through the API (canonical columns); same rules as a file.

    Row numbers in errors count the pushed items from 1.
    """
    size = len(next(iter(columns.values()), []))
    batch = ImportBatch.objects.create(
        organisation=organisation, kind=kind, source=by_label[:20], file_format="api", created_by=by
    )
    chunk = Chunk(columns, list(range(1, size + 1)), extra or {})
    return _run(
        _Run(organisation=organisation, kind=kind, batch=batch), iter([chunk]), None, None, by
    )


class _RetrySafelyError(Exception):
    """Internal: roll back and import the file again the careful way."""


def _run(
    run: _Run,
    chunks: Iterator[Chunk],
    preset: Preset | None,
    progress: Progress | None,
    by: User | None,
) -> ImportBatch:
    with timed_import(run.kind):  # the import's duration, for /metrics
        return _run_measured(run, chunks, preset, progress, by)


def _run_measured(
    run: _Run,
    chunks: Iterator[Chunk],
    preset: Preset | None,
    progress: Progress | None,
    by: User | None,
) -> ImportBatch:
    try:
        if connection.vendor == "sqlite":
            _run_staged(run, chunks, preset, progress)
        else:
            with transaction.atomic():
                try:
                    _import_chunks(run, chunks, preset, progress)
                except (readers.FastPathUnavailableError, DirectCopyConflictError) as error:
                    raise _RetrySafelyError from error
                if run.failed:
                    raise _RollbackError
                if run.writer is not None:
                    run.result.add(run.writer.flush())
                _after_write(run)
    except _RollbackError:
        return _reject(run)
    except UnreadableFileError as problem:
        run.fail([problem.problem])
        return _reject(run)
    finally:
        if run.writer is not None:
            # After the transaction: a first import's table is dropped unless it was attached.
            run.writer.discard()
    return _finish(run, by)


def _run_staged(
    run: _Run, chunks: Iterator[Chunk], preset: Preset | None, progress: Progress | None
) -> None:
    """Import on SQLite, where one writer at a time has the whole database.

    The file is read, checked and measured without the write lock: contacts go into a temporary
    table (SQLite keeps those apart from the database file), other writes wait in ``run.later``.
    Only then does one short transaction write it all, so logins and other writes go on while a
    large file is read, and the import stays all-or-nothing.
    """
    run.later = []
    try:
        _import_chunks(run, chunks, preset, progress)
    except readers.FastPathUnavailableError as error:
        raise _RetrySafelyError from error
    if run.failed:
        raise _RollbackError
    with transaction.atomic():
        if run.writer is not None:
            run.result.add(run.writer.flush())
        for write in run.later:
            write()
        if run.failed:
            raise _RollbackError
        _after_write(run)


class _RollbackError(Exception):
    """Internal: undo the transaction of a file with errors."""


def _import_chunks(
    run: _Run,
    chunks: Iterator[Chunk],
    preset: Preset | None,
    progress: Progress | None,
) -> None:
    parser: ChunkParser | None = None
    writer = (
        contact_writer(run.organisation.pk, direct=run.fast)
        if run.kind == BatchKind.CONTACTS
        else None
    )
    run.writer = writer
    if run.direct:
        # Every row of a direct import is new, so the monthly figures can simply be added to.
        run.month_counts = {}
    contact_rules = rules_for(run.organisation, "contact") if run.kind == BatchKind.CONTACTS else []
    try:
        for chunk in chunks:
            if parser is None:
                mapping, missing = resolve_columns(run.kind, list(chunk.columns), preset)
                if missing:
                    found = ", ".join(name for name in chunk.columns if name) or "–"
                    raise UnreadableFileError(
                        _("Verplichte kolom ontbreekt: %(missing)s. Gevonden kolommen: %(found)s.")
                        % {"missing": ", ".join(missing), "found": found}
                    )
                parser = ChunkParser(
                    mapping=mapping,
                    preset=preset,
                    channel_lookup=channel_lookup(),
                    channel_choices=", ".join(
                        f"{code} ({name.lower()})"
                        for code, name in Channel.objects.values_list("code", "name_nl")
                    ),
                )
            for line, width in chunk.extra.get("bad_width", []):
                run.fail(
                    [
                        Problem(
                            line,
                            "",
                            _("Deze rij heeft %(got)s kolommen in plaats van %(want)s.")
                            % {"got": width, "want": chunk.extra.get("width", "?")},
                        )
                    ]
                )
            run.total += len(chunk)
            if not len(chunk):
                continue
            _one_chunk(run, parser, chunk, writer, contact_rules)
            if progress is not None:
                progress(run.total)
            if run.problems.full:
                break
    except BaseException:
        if writer is not None:
            writer.abandon()
        raise
    if writer is not None:
        writer.finish()
    if run.kind in {BatchKind.CONTACTS, BatchKind.CASES} and (run.failed or not run.direct):
        run.fail(_duplicates_across_chunks(run, run.id_column))
    if parser is None or run.total == 0:
        raise UnreadableFileError(_("Het bestand bevat geen rijen met gegevens."))


def _one_chunk(
    run: _Run, parser: ChunkParser, chunk: Chunk, writer: Any, contact_rules: list[Any]
) -> None:
    if run.kind == BatchKind.CONTACTS:
        contacts, errors = parser.contacts(chunk)
        errors += _duplicates(
            run, contacts.source_ids, contacts.rows, parser.mapping.get("source_id", "source_id")
        )
        run.fail(errors)
        if not run.failed:
            _write_contacts(run, contacts, writer, contact_rules)
    elif run.kind == BatchKind.CASES:
        cases, errors = parser.cases(chunk)
        errors += _duplicates(
            run, cases.source_ids, cases.rows, parser.mapping.get("source_id", "source_id")
        )
        run.fail(errors)
        if not run.failed:
            run.write(partial(_write_cases, run, cases, chunk.extra))
    else:
        parse = parser.suspensions if run.kind == BatchKind.SUSPENSIONS else parser.extensions
        items, errors = parse(chunk)
        run.fail(errors)
        if not run.failed:
            column = parser.mapping.get("source_id", "source_id")
            run.write(partial(_write_case_intervals, run, items, column))


def _write_contacts(run: _Run, contacts: ContactBatch, writer: Any, rules: list[Any]) -> None:
    effective = np.where(contacts.reclassified >= 0, contacts.reclassified, contacts.channel_ids)
    measured = measure_contacts(
        rules,
        channel_ids=effective,
        received=contacts.received,
        handled=contacts.handled,
        wait_seconds=contacts.wait_seconds,
        answered=contacts.answered,
    )
    run.periods.update(np.unique(measured.period).astype(object))
    if run.month_counts is not None:
        for slot, tally in month_tallies(measured, timezone.now()).items():
            run.month_counts[slot] = run.month_counts.get(slot, Tally()) + tally
    columns = contact_columns(run.organisation.pk, run.batch.pk, contacts, measured)
    run.result.add(writer.write(columns))


CASE_DATA = ["case_type", "received_at", "complete_at", "decided_at"]


def to_aware(values: np.ndarray) -> list[datetime | None]:
    """UTC ``datetime64`` values to aware datetimes (None for NaT)."""
    micros = values.astype("datetime64[us]").astype(np.int64)
    nat = np.isnat(values)
    return [
        None if nat[i] else datetime.fromtimestamp(int(micros[i]) / 1_000_000, tz=UTC)
        for i in range(len(values))
    ]


def _write_cases(run: _Run, cases: CaseBatch, extra: dict[str, Any]) -> None:
    received, complete, decided = (
        to_aware(cases.received),
        to_aware(cases.complete),
        to_aware(cases.decided),
    )
    rows: list[dict[str, Any]] = [
        {
            "organisation_id": run.organisation.pk,
            "source_id": str(cases.source_ids[i]),
            "case_type": str(cases.case_types[i]),
            "received_at": received[i],
            "complete_at": complete[i],
            "decided_at": decided[i],
            "batch_id": run.batch.pk,
            "period": timezone.localtime(received[i]).date().replace(day=1)
            if received[i]
            else None,
        }
        for i in range(len(cases))
    ]
    writer = OrmWriter(Case, run.organisation.pk, CASE_DATA)
    run.result.add(writer.write_rows(rows))
    _replace_intervals(run, extra)
    remeasure_cases(
        run.organisation, source_ids=[row["source_id"] for row in rows], periods=run.periods
    )


def _replace_intervals(run: _Run, extra: dict[str, Any]) -> None:
    """Store suspensions and extensions that came with cases (API push, ZGW verlenging).

    For the cases listed in ``suspension_cases`` / ``extension_cases`` the given intervals
    replace the stored ones (an empty list removes them).
    """
    for cases_key, items_key, model in (
        ("suspension_cases", "suspensions", Suspension),
        ("extension_cases", "extension_items", Extension),
    ):
        sources = extra.get(cases_key)
        if not sources:
            continue
        stored = dict(
            Case.objects.filter(organisation=run.organisation, source_id__in=sources).values_list(
                "source_id", "pk"
            )
        )
        model.objects.filter(case_id__in=stored.values()).delete()
        if model is Suspension:
            Suspension.objects.bulk_create(
                Suspension(
                    organisation=run.organisation,
                    case_id=stored[src],
                    start=start,
                    end=end,
                    reason=reason,
                )
                for src, start, end, reason in extra.get(items_key, [])
                if src in stored
            )
        else:
            Extension.objects.bulk_create(
                Extension(
                    organisation=run.organisation,
                    case_id=stored[src],
                    amount=days,
                    unit="calendar_days",
                    reason=reason,
                )
                for src, days, reason in extra.get(items_key, [])
                if src in stored
            )


def _write_case_intervals(run: _Run, items: SuspensionBatch, id_column: str) -> None:
    ids = sorted({str(s) for s in items.source_ids})
    cases = dict(
        Case.objects.filter(organisation=run.organisation, source_id__in=ids).values_list(
            "source_id", "pk"
        )
    )
    unknown = [
        Problem(
            int(items.rows[i]),
            id_column,
            _("Onbekende zaak '%(id)s': importeer eerst de zaken.") % {"id": items.source_ids[i]},
        )
        for i in range(len(items))
        if str(items.source_ids[i]) not in cases
    ]
    if unknown:
        run.fail(unknown)
        return
    starts, ends = to_aware(items.start), to_aware(items.end)
    case_ids = [cases[str(s)] for s in items.source_ids]
    touched = sorted(set(case_ids))
    if run.kind == BatchKind.SUSPENSIONS:
        # The file is the truth about the suspensions of the cases it mentions.
        Suspension.objects.filter(case_id__in=touched).delete()
        Suspension.objects.bulk_create(
            Suspension(
                organisation=run.organisation,
                case_id=case_ids[i],
                start=timezone.localtime(starts[i]).date(),
                end=timezone.localtime(ends[i]).date() if ends[i] else None,
                reason=str(items.reason[i] or ""),
                legal_basis=str(items.legal_basis[i] or "Awb 4:15"),
            )
            for i in range(len(items))
            if starts[i] is not None
        )
    else:
        Extension.objects.filter(case_id__in=touched).delete()
        Extension.objects.bulk_create(
            Extension(
                organisation=run.organisation,
                case_id=case_ids[i],
                amount=int(items.amount[i]),
                unit=str(items.unit[i]),
                reason=str(items.reason[i] or ""),
            )
            for i in range(len(items))
        )
    run.result.add(WriteResult(created=len(items)))
    remeasure_cases(
        run.organisation,
        source_ids=[source for source, pk in cases.items() if pk in set(touched)],
        periods=run.periods,
    )


def to_instants(moments: list[datetime | None]) -> np.ndarray:
    """Aware datetimes (or None) to a UTC ``datetime64[us]`` array with NaT for None."""
    return np.array(
        [
            np.datetime64(m.astimezone(UTC).replace(tzinfo=None), "us")
            if m
            else np.datetime64("NaT")
            for m in moments
        ],
        dtype="datetime64[us]",
    )


def _interval_days(case_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    today = timezone.localdate()
    suspended: dict[int, int] = {}
    for case_id, start, end in Suspension.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "start", "end"
    ):
        # Awb 4:15: the term stands still from the day after the request until the day the
        # application is complete; an open suspension runs until today.
        suspended[case_id] = suspended.get(case_id, 0) + max(0, ((end or today) - start).days)
    extended: dict[int, int] = {}
    for case_id, amount, unit in Extension.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "amount", "unit"
    ):
        extended[case_id] = extended.get(case_id, 0) + amount * (7 if unit == "weeks" else 1)
    return suspended, extended


def remeasure_cases(
    organisation: Organisation,
    *,
    source_ids: list[str] | None = None,
    periods: set[date] | None = None,
    since: date | None = None,
) -> int:
    """Measure (again) the organisation's cases, or the given ones; return how many changed."""
    cases = Case.objects.filter(organisation=organisation)
    if source_ids is not None:
        cases = cases.filter(source_id__in=source_ids)
    if since is not None:
        cases = cases.filter(period__gte=since.replace(day=1))
    rows = list(cases.values_list("pk", "case_type", "received_at", "complete_at", "decided_at"))
    if not rows:
        return 0
    pks = [row[0] for row in rows]
    suspended, extended = _interval_days(pks)
    types = sorted({row[1] for row in rows})
    index = {code: i for i, code in enumerate(types)}

    def instants(position: int) -> np.ndarray:
        return to_instants([r[position] for r in rows])  # type: ignore[misc]

    measured = measure_cases(
        rules_for(organisation, "case", index),
        case_type_keys=np.array([index[r[1]] for r in rows], dtype=np.int64),
        received=instants(2),
        complete=instants(3),
        decided=instants(4),
        suspended_days=np.array([suspended.get(pk, 0) for pk in pks], dtype=np.int64),
        extended_days=np.array([extended.get(pk, 0) for pk in pks], dtype=np.int64),
    )
    if periods is not None:
        periods.update(np.unique(measured.period).astype(object))
    return update_measurements(
        "charters_case",
        organisation.pk,
        pks,
        measured,
        {
            "suspended_days": [suspended.get(pk, 0) for pk in pks],
            "extended_days": [extended.get(pk, 0) for pk in pks],
        },
    )


def _after_write(run: _Run) -> None:
    record_kind = "contact" if run.kind == BatchKind.CONTACTS else "case"
    if run.month_counts is not None:
        codes = dict(
            CharterNorm.objects.filter(pk__in={norm for norm, _ in run.month_counts}).values_list(
                "pk", "code"
            )
        )
        # Two versions' norms with one code can both measure records of one month.
        by_code: dict[tuple[str, date], Tally] = {}
        for (norm, period), tally in run.month_counts.items():
            by_code[(codes[norm], period)] = by_code.get((codes[norm], period), Tally()) + tally
        add_to_compliance_months(
            organisation=run.organisation,
            record_kind=record_kind,
            counts={
                slot: (tally.measured, tally.met, tally.missed, tally.open_within)
                for slot, tally in by_code.items()
            },
        )
    else:
        refresh_compliance_months(
            organisation=run.organisation, record_kind=record_kind, periods=sorted(run.periods)
        )
    register_missed_promises(
        organisation=run.organisation,
        record_kind=record_kind,
        batch_id=None if record_kind == "case" else run.batch.pk,
    )


def _reject(run: _Run) -> ImportBatch:
    batch = run.batch
    batch.status = BatchStatus.FAILED
    batch.rows_total = run.total
    batch.errors = [problem.as_dict() for problem in run.problems]
    if run.problems.not_shown:
        batch.errors.append(
            Problem(None, "", _("En nog %(n)s fouten.") % {"n": run.problems.not_shown}).as_dict()
        )
    batch.finished_at = timezone.now()
    batch.save()
    raise ImportRejectedError(run.problems, batch=batch)


def _finish(run: _Run, by: User | None) -> ImportBatch:
    batch = run.batch
    batch.status = BatchStatus.DONE
    batch.rows_total = run.total
    batch.rows_created = run.result.created
    batch.rows_updated = run.result.updated
    batch.rows_unchanged = run.result.unchanged
    batch.finished_at = timezone.now()
    batch.save()
    record_audit(
        actor=by,
        actor_label="" if by else batch.source,
        organisation=run.organisation,
        action=f"records.import.{run.kind}",
        obj=batch,
        summary=f"{batch.filename}: {batch.rows_created} nieuw, {batch.rows_updated} bijgewerkt, "
        f"{batch.rows_unchanged} ongewijzigd",
    )
    return batch


def remeasure_contacts(organisation: Organisation, *, since: date | None = None) -> int:
    """Measure the organisation's contacts again (all, or those received from ``since`` on)."""
    rules = rules_for(organisation, "contact")
    contacts = Contact.objects.filter(organisation=organisation)
    if since is not None:
        contacts = contacts.filter(period__gte=since.replace(day=1))
    total = 0
    last = 0
    while True:
        rows = list(
            contacts.filter(pk__gt=last)
            .order_by("pk")
            .values_list(
                "pk",
                "channel_id",
                "reclassified_as_id",
                "received_at",
                "handled_at",
                "wait_seconds",
                "answered",
            )[:50_000]
        )
        if not rows:
            return total
        last = rows[-1][0]
        measured = measure_contacts(
            rules,
            channel_ids=np.array([r[2] or r[1] for r in rows], dtype=np.int64),
            received=np.array(
                [np.datetime64(r[3].astimezone(UTC).replace(tzinfo=None), "us") for r in rows]
            ),
            handled=np.array(
                [
                    np.datetime64(r[4].astimezone(UTC).replace(tzinfo=None), "us")
                    if r[4]
                    else np.datetime64("NaT")
                    for r in rows
                ],
                dtype="datetime64[us]",
            ),
            wait_seconds=np.array(
                [np.nan if r[5] is None else r[5] for r in rows], dtype=np.float64
            ),
            answered=np.array([-1 if r[6] is None else int(r[6]) for r in rows], dtype=np.int8),
        )
        update_measurements("charters_contact", organisation.pk, [r[0] for r in rows], measured)
        total += len(rows)


@transaction.atomic
def remeasure_organisation(organisation: Organisation, *, since: date) -> int:
    """Measure records from ``since`` on again, then refresh figures and the compensation ledger.

    Runs after a charter version is published with a start date in the past, so records already
    imported for those days are judged by the version that governs them.
    """
    changed = remeasure_contacts(organisation, since=since)
    changed += remeasure_cases(organisation, since=since)
    for record_kind in ("contact", "case"):
        refresh_compliance_months(organisation=organisation, record_kind=record_kind, periods=None)
        register_missed_promises(organisation=organisation, record_kind=record_kind, batch_id=None)
    return changed
