"""Import service records: files (CSV, XLSX, JSON) and API pushes, all-or-nothing.

An import is all-or-nothing per file and idempotent by source id: every chunk is validated,
measured against the charter version valid on each record's date, and written inside one
transaction (on SQLite only once the whole file has been read and staged); any row error rolls
the whole file back and the batch keeps the row-level errors. Files are read with
``burgerlink.core.files`` (encodings, limits, the one error model).

This module holds the entry points and the order of attempts (``Attempt``): fastest first, and
more careful when the file asks for it. The run itself is ``importing``, reading is ``reading``,
writing contacts is ``writers`` and cases ``case_writes``; measuring stored records again is
``remeasure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from burgerlink.charters.models import BatchKind, ImportBatch
from burgerlink.charters.records import readers
from burgerlink.charters.records.importing import ImportRun, RetrySafelyError, reject, run_import
from burgerlink.charters.records.reading import ReadMode, read_chunks, typed_contact_columns
from burgerlink.charters.records.schema import COLUMNS, PRESETS
from burgerlink.charters.records.writers import DirectCopyConflictError, ImportMode
from burgerlink.core.files import (
    Chunk,
    FileLimits,
    ImportRejectedError,
    Progress,
    UnreadableFileError,
    fingerprint,
)
from burgerlink.core.models import Organisation, User

__all__ = ["Attempt", "ImportRejectedError", "import_file", "push_records"]


@dataclass(frozen=True)
class Attempt:
    """How one attempt at a file reads it and writes its contacts."""

    read: ReadMode
    write: ImportMode

    def after(self, retry: RetrySafelyError) -> Attempt:
        """The next attempt once this one had to give up.

        Typed columns the file does not have (local times, durations as 0:00:37): the same with
        text columns. A source id stored already or repeated (a direct COPY could not go on):
        the same reader with the counting upsert; the fast readers vouch for their row numbers,
        so a repeated id is still reported at its exact row. Anything else (an irregular file):
        the careful reader, which names exact lines, and the counting upsert.
        """
        cause = retry.__cause__
        if self.read is ReadMode.TYPED and isinstance(cause, readers.TypedColumnsUnavailableError):
            return Attempt(ReadMode.TEXT, self.write)
        if isinstance(cause, DirectCopyConflictError):
            return Attempt(self.read, ImportMode.UPSERT)
        return Attempt(ReadMode.CAREFUL, ImportMode.UPSERT)


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
        run = ImportRun(organisation=organisation, kind=kind, batch=batch)
        run.fail([refused.problem])
        return reject(run)
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
    # is COPYed straight in (see ``Attempt.after`` for what follows when that cannot be).
    typed = typed_contact_columns(chosen) if kind == BatchKind.CONTACTS else None
    attempt = Attempt(ReadMode.TYPED if typed else ReadMode.TEXT, ImportMode.FRESH_PARTITION)
    while True:
        stream.seek(0)
        try:
            return run_import(
                ImportRun(organisation=organisation, kind=kind, batch=batch, mode=attempt.write),
                read_chunks(
                    stream,
                    file_print.format,
                    kind,
                    mode=attempt.read,
                    limits=limits,
                    types=typed,
                    utf8=file_print.utf8,
                ),
                chosen,
                progress,
                by,
            )
        except RetrySafelyError as retry:
            attempt = attempt.after(retry)


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

    Row numbers in errors count the pushed items from 1. Pushes are small and often repeat
    stored records, so they upsert.
    """
    size = len(next(iter(columns.values()), []))
    batch = ImportBatch.objects.create(
        organisation=organisation, kind=kind, source=by_label[:20], file_format="api", created_by=by
    )
    chunk = Chunk(columns, list(range(1, size + 1)), extra or {})
    run = ImportRun(organisation=organisation, kind=kind, batch=batch, mode=ImportMode.UPSERT)
    return run_import(run, iter([chunk]), None, None, by)
