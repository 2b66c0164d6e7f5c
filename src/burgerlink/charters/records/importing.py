"""The import run: read chunks, check and measure them, write them, all or nothing.

One run is one attempt at one file (or API push) with one ``ImportMode``: every chunk is parsed
and checked (row-level problems, repeated source ids), contacts are measured against the charter
version valid on each record's date and handed to a ``ContactWriter``, cases and their intervals
go through the ORM (``case_writes``). Then, in the same transaction, the monthly figures and the
compensation ledger follow. A file with any problem is rolled back whole and its batch keeps the
problems; an attempt that cannot go on the fast way raises ``RetrySafelyError`` so that
``services.import_file`` tries again with a more careful reader or mode.

On PostgreSQL the whole run is one transaction. On SQLite, where a transaction holds the
database's only write lock, the file is read, checked and staged first and written in one short
transaction (``_run_staged``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from burgerlink.charters.charter.selectors import rules_for
from burgerlink.charters.compensation.services import register_missed_promises
from burgerlink.charters.compliance import Tally, measure_contacts, month_tallies
from burgerlink.charters.models import BatchKind, BatchStatus, CharterNorm, ImportBatch
from burgerlink.charters.records import readers
from burgerlink.charters.records.case_writes import write_case_intervals, write_cases
from burgerlink.charters.records.parse import CaseBatch, ChunkParser, ContactBatch, SuspensionBatch
from burgerlink.charters.records.pgcopy import text_array
from burgerlink.charters.records.reading import channel_lookup
from burgerlink.charters.records.schema import Preset, resolve_columns
from burgerlink.charters.records.writers import (
    ContactWriter,
    DirectCopyConflictError,
    ImportMode,
    WriteResult,
    contact_columns,
    contact_writer,
)
from burgerlink.charters.reporting.services import (
    add_to_compliance_months,
    refresh_compliance_months,
)
from burgerlink.core.files import (
    Chunk,
    ImportRejectedError,
    Problem,
    ProblemList,
    Progress,
    UnreadableFileError,
)
from burgerlink.core.models import Channel, Organisation, User
from burgerlink.core.observability.metrics import timed_import
from burgerlink.core.services import record_audit


class RetrySafelyError(Exception):
    """This attempt cannot go on the fast way: roll back and import again more carefully.

    The cause (``__cause__``) says why: typed columns the file does not have, an irregular
    file, or a direct COPY that met a stored or repeated source id.
    """


class _RollbackError(Exception):
    """Internal: undo the transaction of a file with errors."""


@dataclass
class ImportRun:
    """State of one attempt at importing a file or a push, while it runs."""

    organisation: Organisation
    kind: str
    batch: ImportBatch
    mode: ImportMode = ImportMode.UPSERT
    problems: ProblemList = field(default_factory=ProblemList)
    seen: list[pa.Array] = field(default_factory=list)
    seen_rows: list[np.ndarray] = field(default_factory=list)
    id_column: str = "source_id"
    month_counts: dict[tuple[int, date], Tally] | None = None
    periods: set[date] = field(default_factory=set)
    result: WriteResult = field(default_factory=WriteResult)
    total: int = 0
    writer: ContactWriter | None = None
    # SQLite (see ``_run_staged``): writes that wait for the import's short final transaction.
    later: list[Callable[[], None]] | None = None

    @property
    def direct(self) -> bool:
        """Whether the writer COPYs straight in (PostgreSQL, a first or direct import).

        A direct import leaves repeated source ids to the database's unique index, and looks
        for them itself only to complete the error report of a file that fails for other reasons.
        """
        return self.writer is not None and self.writer.mode is not ImportMode.UPSERT

    def fail(self, errors: list[Problem]) -> None:
        """Add row- or file-level problems; any problem rejects the whole file."""
        self.problems.extend(errors)

    @property
    def failed(self) -> bool:
        """Whether the file has problems."""
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


def _duplicates(run: ImportRun, source_ids: Any, rows: np.ndarray, column: str) -> list[Problem]:
    """Errors for ids that occur twice within this chunk; the whole file is checked at the end."""
    ids = text_array(source_ids).cast(pa.string())
    run.seen.append(ids)
    run.seen_rows.append(np.asarray(rows))
    return [] if run.direct else _repeated(ids, np.asarray(rows), ids, column)


def _duplicates_across_chunks(run: ImportRun, column: str) -> list[Problem]:
    """Errors for ids that occur in two different chunks (one pass over all ids of the file)."""
    if len(run.seen) < (1 if run.direct else 2):
        return []
    every = pa.concat_arrays(run.seen)
    errors = _repeated(every, np.concatenate(run.seen_rows), every, column)
    # Repeats inside one chunk were reported with that chunk already.
    reported = {(e.row, e.message) for e in run.problems}
    return [e for e in errors if (e.row, e.message) not in reported]


def run_import(
    run: ImportRun,
    chunks: Iterator[Chunk],
    preset: Preset | None,
    progress: Progress | None,
    by: User | None,
) -> ImportBatch:
    """Run one attempt; the finished batch, or ``ImportRejectedError`` with its problems.

    Raises ``RetrySafelyError`` when the attempt must be made again more carefully.
    """
    with timed_import(run.kind):  # the import's duration, for /metrics
        return _run_measured(run, chunks, preset, progress, by)


def _run_measured(
    run: ImportRun,
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
                    raise RetrySafelyError from error
                if run.failed:
                    raise _RollbackError
                if run.writer is not None:
                    run.result.add(run.writer.flush())
                _after_write(run)
    except _RollbackError:
        return reject(run)
    except UnreadableFileError as problem:
        run.fail([problem.problem])
        return reject(run)
    finally:
        if run.writer is not None:
            # After the transaction: a first import's table is dropped unless it was attached.
            run.writer.discard()
    return _finish(run, by)


def _run_staged(
    run: ImportRun, chunks: Iterator[Chunk], preset: Preset | None, progress: Progress | None
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
        raise RetrySafelyError from error
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


def _import_chunks(
    run: ImportRun,
    chunks: Iterator[Chunk],
    preset: Preset | None,
    progress: Progress | None,
) -> None:
    parser: ChunkParser | None = None
    writer = (
        contact_writer(run.organisation.pk, mode=run.mode)
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
    run: ImportRun,
    parser: ChunkParser,
    chunk: Chunk,
    writer: ContactWriter | None,
    contact_rules: list[Any],
) -> None:
    if run.kind == BatchKind.CONTACTS:
        contacts, errors = parser.contacts(chunk)
        errors += _duplicates(
            run, contacts.source_ids, contacts.rows, parser.mapping.get("source_id", "source_id")
        )
        run.fail(errors)
        if writer is not None and not run.failed:
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


def _write_contacts(
    run: ImportRun, contacts: ContactBatch, writer: ContactWriter, rules: list[Any]
) -> None:
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


def _write_cases(run: ImportRun, cases: CaseBatch, extra: dict[str, Any]) -> None:
    run.result.add(write_cases(run.organisation, run.batch.pk, cases, extra, run.periods))


def _write_case_intervals(run: ImportRun, items: SuspensionBatch, id_column: str) -> None:
    written, unknown = write_case_intervals(
        run.organisation, run.kind, items, id_column, run.periods
    )
    run.fail(unknown)
    run.result.add(written)


def _after_write(run: ImportRun) -> None:
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


def reject(run: ImportRun) -> ImportBatch:
    """Mark the batch failed with its problems and raise ``ImportRejectedError``."""
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


def _finish(run: ImportRun, by: User | None) -> ImportBatch:
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
