"""Write measured records to the database, idempotently by (organisation, source id).

PostgreSQL gets binary COPY: straight into the table when none of the chunk's ids exist yet (the
common first import), else into a temporary staging table followed by one upsert that touches
only rows that really changed. Other databases use the ORM with a diff against what is stored.
Every writer returns (created, updated, unchanged), from ``write`` or, when it stages the rows
first (SQLite), from ``flush``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection
from django.db.models import Model

from burgerlink.charters.compliance import Measurement, Verdict
from burgerlink.charters.models import Contact
from burgerlink.charters.records.parse import ContactBatch
from burgerlink.charters.records.partitions import PartitionLoad
from burgerlink.charters.records.pgcopy import Column, encode_parts, send, text_array

# The columns a measurement fills on every record (contacts and cases), in this order.
MEASURED = ["norm_id", "deadline", "verdict", "lateness_seconds", "period"]
CONTACT_COLUMNS = [
    "organisation_id",
    "source_id",
    "received_at",
    "batch_id",
    *MEASURED,
    "channel_id",
    "handled_at",
    "wait_seconds",
    "answered",
    "reclassified_as_id",
]
STAGE = "bl_stage_contact"
# Memory of the upsert's hash join of a whole file with the stored rows (PostgreSQL: work_mem).
UPSERT_WORK_MEM = "256MB"
STAGING_SQL = "CREATE TEMP TABLE IF NOT EXISTS {} ON COMMIT DROP AS SELECT {} FROM charters_contact WITH NO DATA".format(  # noqa: S608
    STAGE, ", ".join(CONTACT_COLUMNS)
)
# Columns compared to decide whether a re-imported row changed (not the batch it came from).
CONTACT_DATA = [c for c in CONTACT_COLUMNS if c not in {"organisation_id", "source_id", "batch_id"}]


class ImportMode(Enum):
    """How an import writes its contacts; the run picks one, a writer may settle for less.

    * ``FRESH_PARTITION``: the organisation's first import (PostgreSQL): COPY into a new table of
      its own, keys and indexes built once, attached as its partition. Without a partition to
      build (contacts not partitioned, side connections refused, contacts already stored) the
      writer goes ``DIRECT``.
    * ``DIRECT``: COPY straight into the shared table; every id must be new. A stored or repeated
      id raises ``DirectCopyConflictError``, and the run starts again careful (``UPSERT``).
    * ``UPSERT``: ids may be stored already: new rows are inserted, changed rows updated, rows
      stored as they are counted and left alone.
    """

    FRESH_PARTITION = "fresh_partition"
    DIRECT = "direct"
    UPSERT = "upsert"


@dataclass
class WriteResult:
    """How many rows were new, changed or already stored as they are."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: WriteResult) -> None:
        """Accumulate another chunk's counts."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def _nat(values: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
    return np.isnat(values)


def measured_columns(measured: Measurement) -> list[Column]:
    """The ``MEASURED`` columns of measured records (NULL: no norm, no deadline, not late)."""
    return [
        Column("int8", measured.norm_id, measured.norm_id < 0),
        Column("timestamptz", measured.deadline, _nat(measured.deadline)),
        Column("int2", measured.verdict.astype(np.int16)),
        Column("int8", measured.lateness_seconds, measured.verdict != Verdict.MISSED),
        Column("date", measured.period),
    ]


def contact_columns(
    organisation_id: int, batch_id: int | None, batch: ContactBatch, measured: Measurement
) -> list[Column]:
    """The COPY columns of a chunk of measured contacts, in ``CONTACT_COLUMNS`` order."""
    n = len(batch)
    reclassified_missing = batch.reclassified < 0
    wait = np.nan_to_num(batch.wait_seconds, nan=0).round().astype(np.int64)
    return [
        Column("int8", np.full(n, organisation_id, dtype=np.int64)),
        Column("text", batch.source_ids),
        Column("timestamptz", batch.received),
        Column("int8", np.full(n, batch_id or 0, dtype=np.int64), np.full(n, batch_id is None)),
        *measured_columns(measured),
        Column("int8", batch.channel_ids),
        Column("timestamptz", batch.handled, _nat(batch.handled)),
        Column("int4", wait, np.isnan(batch.wait_seconds)),
        Column("bool", batch.answered == 1, batch.answered < 0),
        Column("int8", batch.reclassified, reclassified_missing),
    ]


class ContactWriter(Protocol):
    """What the import run asks of a writer of contacts (one per import attempt).

    ``write`` each chunk's COPY columns as they come; ``finish`` when the file is read (a
    background copy done, a first import's partition attached); ``flush`` inside the import's
    transaction (a writer that staged the rows writes them now); ``abandon`` instead of
    ``finish`` when the import fails; ``discard`` once the transaction is over, committed or not.
    Counts of created, updated and unchanged rows come from ``write`` or ``flush``.
    """

    @property
    def mode(self) -> ImportMode:
        """How this writer writes (``DIRECT`` when a fresh partition could not be had)."""
        ...

    def write(self, columns: list[Column]) -> WriteResult:
        """Write (or stage) one chunk."""
        ...

    def finish(self) -> None:
        """Complete what runs in the background once the whole file is written."""
        ...

    def abandon(self) -> None:
        """Stop what runs in the background, raising nothing (the import is failing)."""
        ...

    def flush(self) -> WriteResult:
        """Write what was staged, inside the import's transaction."""
        ...

    def discard(self) -> None:
        """Drop what was kept outside the import's transaction (it has ended)."""
        ...


def _copy(cursor: Any, table: str, columns: Sequence[str], payload: list[memoryview]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT binary)") as copy:
        send(copy, payload)


class DirectCopyConflictError(Exception):
    """A direct COPY met a stored source id: the import must start again the careful way."""


class PostgresContactWriter:
    """COPY-based writer for contacts on PostgreSQL (one instance per import transaction).

    Three ways in (``ImportMode``), fastest first:

    * ``FRESH_PARTITION``, the organisation has no contacts yet (a first import): the rows go into a
      new table of the organisation's own, without indexes, on a side connection; ``finish``
      builds the keys and indexes once and attaches the table as the organisation's partition
      of ``charters_contact`` (see ``partitions``). Building an index once is several times
      cheaper than keeping it up to date row by row.
    * ``DIRECT``: each chunk is sorted by source id (B-tree inserts in key order touch
      few pages) and copied straight into ``charters_contact``.
    * ``UPSERT``: every chunk is copied into one staging table (temporary, without indexes);
      ``flush`` then writes the whole file with one UPDATE of the rows that changed and one
      INSERT of the new ones, which count created, updated and unchanged rows. Set against the
      stored rows as a whole, PostgreSQL joins them by hash once instead of probing the unique
      index for every row of every chunk (see ``docs/benchmarks.md``).

    Copies run in a background thread (on the same connection, or on a first import's side
    connection), so PostgreSQL loads chunk k while Python parses and measures chunk k+1; the
    main thread never uses a connection while a copy runs on it (``write``, ``finish`` and
    ``flush`` wait for it first). A stored or repeated source id makes a direct import raise
    ``DirectCopyConflictError``: the caller rolls back and imports again without ``direct``.
    Callers call ``finish`` (or ``abandon``) at the end, and ``discard`` once the import's
    transaction is over.
    """

    def __init__(self, organisation_id: int, *, mode: ImportMode = ImportMode.UPSERT) -> None:
        self.organisation_id = organisation_id
        self.staging_ready = False
        self.staged = 0
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self.partition = (
            PartitionLoad.begin(organisation_id) if mode is ImportMode.FRESH_PARTITION else None
        )
        if mode is ImportMode.FRESH_PARTITION and self.partition is None:
            mode = ImportMode.DIRECT
        self._mode = mode

    @property
    def mode(self) -> ImportMode:
        """How this writer writes."""
        return self._mode

    @property
    def direct(self) -> bool:
        """Whether rows are COPYed straight in (a fresh partition or the shared table)."""
        return self._mode is not ImportMode.UPSERT

    @property
    def fresh(self) -> bool:
        """Whether this is a first import, loaded into a partition of its own."""
        return self.partition is not None

    def _any_exist(self, source_ids: Any) -> bool:
        sample = (
            text_array(source_ids[:1000]).to_pylist() + text_array(source_ids[-1000:]).to_pylist()
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM charters_contact WHERE organisation_id = %s AND source_id = ANY(%s) LIMIT 1",
                [self.organisation_id, sample],
            )
            return cursor.fetchone() is not None

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._failure is not None:
            failure, self._failure = self._failure, None
            import psycopg

            if isinstance(failure, psycopg.errors.UniqueViolation):
                raise DirectCopyConflictError from failure
            raise failure

    def _copy_in_background(self, payload: list[memoryview], table: str) -> None:
        raw = connection.connection
        partition = self.partition

        def run() -> None:
            try:
                if partition is not None:
                    partition.copy(CONTACT_COLUMNS, payload)
                    return
                with raw.cursor() as cursor:
                    _copy(cursor, table, CONTACT_COLUMNS, payload)
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                self._failure = error

        self._thread = threading.Thread(target=run, name="burgerlink-copy", daemon=True)
        self._thread.start()

    def write(self, columns: list[Column]) -> WriteResult:
        """Write one chunk with a background COPY: into the table, or (upsert) into staging."""
        n = len(columns[0].values)
        if self.direct and not self.fresh:
            order = pc.sort_indices(text_array(columns[1].values)).to_numpy()
            columns = [column.take(order) for column in columns]
        payload = encode_parts(columns)
        self._wait()
        if self.direct and not self.fresh and self._any_exist(columns[1].values):
            raise DirectCopyConflictError
        if self.direct:
            self._copy_in_background(payload, "charters_contact")
            return WriteResult(created=n)
        self._stage()
        self._copy_in_background(payload, STAGE)
        self.staged += n
        return WriteResult()

    def finish(self) -> None:
        """Wait for the last background copy; a first import then gets its indexes and attaches."""
        self._wait()
        if self.partition is None:
            return
        import psycopg

        try:
            self.partition.finish()
        except psycopg.errors.UniqueViolation as error:
            raise DirectCopyConflictError from error

    def abandon(self) -> None:
        """Wait for a running copy without raising (the import is failing for another reason)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._failure = None

    def flush(self) -> WriteResult:
        """Upsert: write the staged file (changed rows updated, new rows inserted) and count."""
        self._wait()
        if self.direct or not self.staged:
            return WriteResult()
        with connection.cursor() as cursor:
            # Autovacuum never analyses a temporary table: without statistics the planner
            # guessed half the rows of a 500,000-row file and probed the stored rows' unique
            # index once per row (16 s) instead of joining by hash (4 s).
            cursor.execute(f"ANALYZE {STAGE}")
            # For this statement only: memory for joining the whole file with the stored rows
            # (the default 4 MB sorts a file of a few hundred thousand rows on disk), and no
            # JIT, whose compiling took longer than the statement (its row estimates of the
            # data-modifying WITH are far too high).
            cursor.execute(
                "SELECT current_setting('work_mem'), current_setting('jit'), "
                "set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                [UPSERT_WORK_MEM],
            )
            work_mem, jit = cursor.fetchone()[:2]
            cursor.execute(PG_UPSERT, {"organisation": self.organisation_id})
            created, updated = cursor.fetchone()
            cursor.execute(
                "SELECT set_config('work_mem', %s, true), set_config('jit', %s, true)",
                [work_mem, jit],
            )
            cursor.execute(f"TRUNCATE {STAGE}")
        staged, self.staged = self.staged, 0
        return WriteResult(created=created, updated=updated, unchanged=staged - created - updated)

    def discard(self) -> None:
        """After the import's transaction: drop a first import's table unless it was attached."""
        if self.partition is not None:
            self.partition.discard()
            self.partition = None

    def _stage(self) -> None:
        # The staging table lives until the end of the transaction, which may hold several
        # imports (a test, or nested atomic blocks): create it once, empty it for each import.
        if self.staging_ready:
            return
        with connection.cursor() as cursor:
            cursor.execute(STAGING_SQL)
            cursor.execute(f"TRUNCATE {STAGE}")
        self.staging_ready = True


_NAMES = ", ".join(CONTACT_COLUMNS)
_SAME_RECORD = "c.organisation_id = s.organisation_id AND c.source_id = s.source_id"
_DIFFERS = (
    f"({', '.join(f'c.{c}' for c in CONTACT_DATA)})"
    f" IS DISTINCT FROM ({', '.join(f's.{c}' for c in CONTACT_DATA)})"
)
# One pass over the stored rows: the staged file joined to them once (by hash, see ``flush``)
# keeps only new and changed rows; the changed ones are updated by id, the new ones inserted.
# A data-modifying WITH runs both on the same snapshot and reports both counts.
PG_UPSERT = (
    "WITH todo AS MATERIALIZED ("  # noqa: S608 - column names are constants of this module
    f"SELECT s.*, c.id AS stored_id FROM {STAGE} AS s LEFT JOIN charters_contact AS c "
    f"ON c.organisation_id = %(organisation)s AND {_SAME_RECORD} "
    f"WHERE c.id IS NULL OR {_DIFFERS}), "
    "changed AS (UPDATE charters_contact AS c SET "
    + ", ".join(f"{col} = t.{col}" for col in [*CONTACT_DATA, "batch_id"])
    + " FROM todo AS t WHERE t.stored_id IS NOT NULL AND c.organisation_id = %(organisation)s"  # noqa: S608
    " AND c.id = t.stored_id RETURNING 1), "
    f"added AS (INSERT INTO charters_contact ({_NAMES}) SELECT {_NAMES} FROM todo "
    "WHERE stored_id IS NULL ON CONFLICT ON CONSTRAINT contact_source DO NOTHING RETURNING 1) "
    "SELECT (SELECT count(*) FROM added), (SELECT count(*) FROM changed)"
)


def _python_value(column: Column, index: int) -> Any:
    if column.nulls is not None and column.nulls[index]:
        return None
    value = column.values[index]
    if isinstance(value, pa.Scalar):
        value = value.as_py()
    if column.pg_type == "timestamptz":
        micros = int(np.asarray(value).astype("datetime64[us]").astype(np.int64))
        return datetime.fromtimestamp(micros / 1_000_000, tz=UTC)
    if column.pg_type == "date":
        return np.asarray(value).astype("datetime64[D]").item()
    if column.pg_type == "bool":
        return bool(value)
    if column.pg_type == "text":
        return str(value)
    return int(value)


def rows_from_columns(names: Sequence[str], columns: list[Column]) -> list[dict[str, Any]]:
    """Turn COPY columns back into row dicts (for the ORM writer and for tests)."""
    n = len(columns[0].values)
    return [
        {name: _python_value(column, i) for name, column in zip(names, columns, strict=True)}
        for i in range(n)
    ]


class OrmWriter:
    """Diff-and-write through the ORM, for other databases and for the small tables (cases)."""

    mode = ImportMode.UPSERT

    def __init__(
        self, model: type[Model], organisation_id: int, data_fields: Sequence[str]
    ) -> None:
        self.model = model
        self.organisation_id = organisation_id
        self.data_fields = list(data_fields)

    def finish(self) -> None:
        """Nothing runs in the background here."""

    def abandon(self) -> None:
        """Nothing runs in the background here."""

    def discard(self) -> None:
        """Nothing is kept outside the import's transaction here."""

    def flush(self) -> WriteResult:
        """Nothing waits to be written here: every chunk was written as it came."""
        return WriteResult()

    def write(self, columns: list[Column]) -> WriteResult:
        """Write one chunk of contact COPY columns (the interface of the fast writers)."""
        return self.write_rows(rows_from_columns(CONTACT_COLUMNS, columns))

    def write_rows(self, rows: Iterable[dict[str, Any]]) -> WriteResult:
        """Create new rows, update changed ones, leave identical ones alone."""
        rows = list(rows)
        result = WriteResult()
        for start in range(0, len(rows), 5_000):
            result.add(self._write(rows[start : start + 5_000]))
        return result

    def _write(self, rows: list[dict[str, Any]]) -> WriteResult:
        ids = [row["source_id"] for row in rows]
        stored = {
            item["source_id"]: item
            for item in self.model._default_manager.filter(  # noqa: SLF001
                organisation_id=self.organisation_id, source_id__in=ids
            ).values("id", "source_id", *self.data_fields)
        }
        new, changed = [], []
        for row in rows:
            current = stored.get(row["source_id"])
            if current is None:
                new.append(self.model(**row))
            elif any(_differs(current[f], row[f]) for f in self.data_fields):
                changed.append(self.model(id=current["id"], **row))
        self.model._default_manager.bulk_create(new, batch_size=1_000)  # noqa: SLF001
        if changed:
            self.model._default_manager.bulk_update(  # noqa: SLF001
                changed, [*self.data_fields, "batch_id"], batch_size=500
            )
        return WriteResult(len(new), len(changed), len(rows) - len(new) - len(changed))


def _differs(stored: Any, incoming: Any) -> bool:
    if isinstance(stored, datetime) and isinstance(incoming, datetime):
        return stored.astimezone(UTC) != incoming.astimezone(UTC)
    return bool(stored != incoming)


def _sqlite_values(column: Column) -> list[Any]:
    """One column as SQLite stores it through Django (text timestamps in UTC, 0/1, NULL)."""
    values = column.values
    if column.pg_type == "timestamptz":
        micros = values.astype("datetime64[us]")
        text = np.char.replace(np.datetime_as_string(micros, unit="us"), "T", " ")
        # Django writes str(datetime): the fraction only when it is not zero.
        whole = micros.astype(np.int64) % 1_000_000 == 0
        out = np.where(whole, np.char.ljust(text, 19).astype("<U19"), text).astype(object)
    elif column.pg_type == "date":
        out = np.datetime_as_string(values.astype("datetime64[D]"), unit="D").astype(object)
    elif column.pg_type == "bool":
        out = values.astype(bool).astype(np.int64).astype(object)
    elif column.pg_type == "text":
        out = (
            np.asarray(values.to_pylist(), dtype=object)
            if isinstance(values, pa.Array | pa.ChunkedArray)
            else values.astype(object)
        )
    else:
        out = values.astype(np.int64).astype(object)
    if column.nulls is not None and column.nulls.any():
        out = out.copy()
        out[column.nulls] = None
    cells: list[Any] = out.tolist()
    return cells


def sqlite_rows(columns: list[Column]) -> list[tuple[Any, ...]]:
    """Rows of a chunk as tuples ready for SQLite's executemany, converted column-wise."""
    return list(zip(*(_sqlite_values(column) for column in columns), strict=True))


SQLITE_STAGE = f"CREATE TEMP TABLE IF NOT EXISTS bl_stage_contact AS SELECT {_NAMES} FROM charters_contact WHERE 0"  # noqa: S608
SQLITE_FILL = (
    f"INSERT INTO bl_stage_contact ({_NAMES}) VALUES ({', '.join(['%s'] * len(CONTACT_COLUMNS))})"  # noqa: S608
)
SQLITE_UPDATE = (
    "UPDATE charters_contact AS c SET "  # noqa: S608
    + ", ".join(f"{col} = s.{col}" for col in [*CONTACT_DATA, "batch_id"])
    + f" FROM bl_stage_contact AS s WHERE {_SAME_RECORD} AND ("
    + " OR ".join(f"c.{col} IS NOT s.{col}" for col in CONTACT_DATA)
    + ")"
)
SQLITE_INSERT = (
    f"INSERT INTO charters_contact ({_NAMES}) SELECT {_NAMES} FROM bl_stage_contact AS s "  # noqa: S608
    f"WHERE NOT EXISTS (SELECT 1 FROM charters_contact AS c WHERE {_SAME_RECORD})"
)


class SqliteContactWriter:
    """Staging-table writer for contacts on SQLite: stage every chunk, then one UPDATE and INSERT.

    ``write`` only adds a chunk to a temporary table. That takes no lock on the database (SQLite
    keeps temporary tables in a file of their own), so it runs while the file is still being
    read; ``flush`` writes every staged row at once, inside the import's short transaction.
    """

    mode = ImportMode.UPSERT

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id
        self.staging_ready = False
        self.staged = 0

    def finish(self) -> None:
        """Nothing runs in the background here."""

    def abandon(self) -> None:
        """Nothing runs in the background here."""

    def discard(self) -> None:
        """Forget what a failed import staged."""
        if self.staging_ready and self.staged:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM bl_stage_contact")
            self.staged = 0

    def write(self, columns: list[Column]) -> WriteResult:
        """Stage one chunk; nothing is written to the contacts yet (see ``flush``)."""
        values = sqlite_rows(columns)
        with connection.cursor() as cursor:
            if not self.staging_ready:
                cursor.execute(SQLITE_STAGE)
                # A table left by an import that failed on this connection.
                cursor.execute("DELETE FROM bl_stage_contact")
                self.staging_ready = True
            cursor.executemany(SQLITE_FILL, values)
        self.staged += len(values)
        return WriteResult()

    def flush(self) -> WriteResult:
        """Write the staged rows: changed ones are updated, new ones inserted."""
        if not self.staged:
            return WriteResult()
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_UPDATE)
            updated = cursor.rowcount
            cursor.execute(SQLITE_INSERT)
            created = cursor.rowcount
            cursor.execute("DELETE FROM bl_stage_contact")
        staged, self.staged = self.staged, 0
        return WriteResult(created=created, updated=updated, unchanged=staged - created - updated)


def contact_writer(organisation_id: int, *, mode: ImportMode) -> ContactWriter:
    """The writer for contacts on this database; ``mode`` only matters on PostgreSQL.

    SQLite and other databases always upsert (SQLite stages the rows and writes them at once).
    """
    if connection.vendor == "postgresql":
        return PostgresContactWriter(organisation_id, mode=mode)
    if connection.vendor == "sqlite":
        return SqliteContactWriter(organisation_id)
    return OrmWriter(Contact, organisation_id, CONTACT_DATA)


def update_measurements(
    table: str,
    organisation_id: int,
    pks: Sequence[int],
    measured: Measurement,
    extra: dict[str, Sequence[int]] | None = None,
) -> int:
    """Write new measurements onto one organisation's stored records by id (one executemany).

    The organisation is part of every row's condition: contacts are partitioned by it, so each
    update looks in one partition instead of probing every organisation's.
    """
    extra = extra or {}
    columns = [
        *measured_columns(measured),
        *(Column("int8", np.asarray(values, dtype=np.int64)) for values in extra.values()),
        Column("int8", np.asarray(pks, dtype=np.int64)),
    ]
    names = [*MEASURED, *extra]
    assignments = ", ".join(f"{name} = %s" for name in names)
    if connection.vendor == "sqlite":
        rows = sqlite_rows(columns)
    else:
        rows = [tuple(row.values()) for row in rows_from_columns([*names, "id"], columns)]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} "  # noqa: S608 - names are constants of this module
            f"WHERE id = %s AND organisation_id = {int(organisation_id)}",
            rows,
        )
    return len(rows)
