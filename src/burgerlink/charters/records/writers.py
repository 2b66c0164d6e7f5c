"""Write measured records to the database, idempotently by (organisation, source id).

PostgreSQL gets binary COPY: straight into the table when none of the chunk's ids exist yet (the
common first import), else into a temporary staging table followed by one upsert that touches
only rows that really changed. Other databases use the ORM with a diff against what is stored.
Every writer returns (created, updated, unchanged).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection
from django.db.models import Model

from burgerlink.charters.compliance import Measurement
from burgerlink.charters.models import Contact
from burgerlink.charters.records.parse import ContactBatch
from burgerlink.charters.records.pgcopy import HEADER, TRAILER, Column, encode_rows

CONTACT_COLUMNS = [
    "organisation_id",
    "source_id",
    "received_at",
    "batch_id",
    "norm_id",
    "deadline",
    "verdict",
    "lateness_seconds",
    "period",
    "channel_id",
    "handled_at",
    "wait_seconds",
    "answered",
    "reclassified_as_id",
]
STAGING_SQL = "CREATE TEMP TABLE IF NOT EXISTS bl_stage_contact ON COMMIT DROP AS SELECT {} FROM charters_contact WITH NO DATA".format(  # noqa: S608
    ", ".join(CONTACT_COLUMNS)
)
# Columns compared to decide whether a re-imported row changed (not the batch it came from).
CONTACT_DATA = [c for c in CONTACT_COLUMNS if c not in {"organisation_id", "source_id", "batch_id"}]


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


def contact_columns(
    organisation_id: int, batch_id: int | None, batch: ContactBatch, measured: Measurement
) -> list[Column]:
    """The COPY columns of a chunk of measured contacts, in ``CONTACT_COLUMNS`` order."""
    n = len(batch)
    no_norm = measured.norm_id < 0
    reclassified_missing = batch.reclassified < 0
    wait = np.nan_to_num(batch.wait_seconds, nan=0).round().astype(np.int64)
    return [
        Column("int8", np.full(n, organisation_id, dtype=np.int64)),
        Column("text", batch.source_ids),
        Column("timestamptz", batch.received),
        Column("int8", np.full(n, batch_id or 0, dtype=np.int64), np.full(n, batch_id is None)),
        Column("int8", measured.norm_id, no_norm),
        Column("timestamptz", measured.deadline, _nat(measured.deadline)),
        Column("int2", measured.verdict.astype(np.int16)),
        Column("int8", measured.lateness_seconds, measured.verdict != 2),
        Column("date", measured.period),
        Column("int8", batch.channel_ids),
        Column("timestamptz", batch.handled, _nat(batch.handled)),
        Column("int4", wait, np.isnan(batch.wait_seconds)),
        Column("bool", batch.answered == 1, batch.answered < 0),
        Column("int8", batch.reclassified, reclassified_missing),
    ]


def _copy(cursor: Any, table: str, columns: Sequence[str], payload: bytes) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT binary)"
    with cursor.copy(sql) as copy:
        copy.write(HEADER)
        view = memoryview(payload)
        for start in range(0, len(payload), 1 << 20):
            copy.write(view[start : start + (1 << 20)])
        copy.write(TRAILER)


class DirectCopyConflictError(Exception):
    """A direct COPY met a stored source id: the import must start again the careful way."""


class PostgresContactWriter:
    """COPY-based writer for contacts on PostgreSQL (one instance per import transaction).

    ``direct`` mode (a first import): each chunk is sorted by source id (B-tree inserts in key
    order touch few pages) and copied straight into the table by a background thread on the same
    connection, so PostgreSQL loads chunk k while Python parses and measures chunk k+1. The main
    thread never uses the connection while a copy runs: ``write`` and ``finish`` wait for it first.
    If a copied id turns out to exist already, ``DirectCopyConflictError`` asks the caller to roll
    back and import again without ``direct``, where every chunk goes through a staging table and
    one upsert that counts created, updated and unchanged rows.
    """

    def __init__(self, organisation_id: int, *, direct: bool = True) -> None:
        self.organisation_id = organisation_id
        self.staging_ready = False
        self.direct = direct
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def _any_exist(self, source_ids: npt.NDArray[Any]) -> bool:
        sample = [str(s) for s in source_ids[:1000]] + [str(s) for s in source_ids[-1000:]]
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

    def _copy_in_background(self, payload: bytes) -> None:
        raw = connection.connection

        def run() -> None:
            try:
                with raw.cursor() as cursor:
                    _copy(cursor, "charters_contact", CONTACT_COLUMNS, payload)
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                self._failure = error

        self._thread = threading.Thread(target=run, name="burgerlink-copy", daemon=True)
        self._thread.start()

    def write(self, columns: list[Column]) -> WriteResult:
        """Write one chunk: a background COPY on a first import, else staging and upsert."""
        n = len(columns[0].values)
        if self.direct:
            order = pc.sort_indices(
                pa.array(columns[1].values.tolist(), type=pa.string())
            ).to_numpy()
            columns = [
                Column(c.pg_type, c.values[order], None if c.nulls is None else c.nulls[order])
                for c in columns
            ]
        payload = encode_rows(columns)
        self._wait()
        if self.direct and self._any_exist(columns[1].values):
            raise DirectCopyConflictError
        if self.direct:
            self._copy_in_background(payload)
            return WriteResult(created=n)
        return self._upsert(payload, n)

    def finish(self) -> None:
        """Wait for the last background copy and surface its failure, if any."""
        self._wait()

    def abandon(self) -> None:
        """Wait for a running copy without raising (the import is failing for another reason)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._failure = None

    def _upsert(self, payload: bytes, n: int) -> WriteResult:
        with connection.cursor() as cursor:
            # The staging table lives until the end of the transaction, which may hold several
            # imports (a test, or nested atomic blocks): create it once, empty it every time.
            if not self.staging_ready:
                cursor.execute(STAGING_SQL)
                self.staging_ready = True
            cursor.execute("TRUNCATE bl_stage_contact")
            _copy(cursor, "bl_stage_contact", CONTACT_COLUMNS, payload)
            assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*CONTACT_DATA, "batch_id"])
            stored = ", ".join(f"charters_contact.{c}" for c in CONTACT_DATA)
            incoming = ", ".join(f"EXCLUDED.{c}" for c in CONTACT_DATA)
            cursor.execute(
                f"""
                WITH up AS (
                    INSERT INTO charters_contact ({", ".join(CONTACT_COLUMNS)})
                    SELECT {", ".join(CONTACT_COLUMNS)} FROM bl_stage_contact
                    ON CONFLICT ON CONSTRAINT contact_source DO UPDATE SET {assignments}
                    WHERE ({stored}) IS DISTINCT FROM ({incoming})
                    RETURNING (xmax = 0) AS inserted
                )
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
                """  # noqa: S608 - column names are constants of this module
            )
            created, updated = cursor.fetchone()
        return WriteResult(created=created, updated=updated, unchanged=n - created - updated)


def _python_value(column: Column, index: int) -> Any:
    if column.nulls is not None and column.nulls[index]:
        return None
    value = column.values[index]
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
    """Diff-and-write through the ORM, for SQLite and for the small tables (cases)."""

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
        out = values.astype(object)
    else:
        out = values.astype(np.int64).astype(object)
    if column.nulls is not None and column.nulls.any():
        out = out.copy()
        out[column.nulls] = None
    return out.tolist()


def sqlite_rows(columns: list[Column]) -> list[tuple[Any, ...]]:
    """Rows of a chunk as tuples ready for SQLite's executemany, converted column-wise."""
    return list(zip(*(_sqlite_values(column) for column in columns), strict=True))


_NAMES = ", ".join(CONTACT_COLUMNS)
_SAME_RECORD = "c.organisation_id = s.organisation_id AND c.source_id = s.source_id"
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
    """Staging-table writer for contacts on SQLite: executemany, then one UPDATE and one INSERT."""

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id
        self.staging_ready = False

    def finish(self) -> None:
        """Nothing runs in the background here."""

    def abandon(self) -> None:
        """Nothing runs in the background here."""

    def write(self, columns: list[Column]) -> WriteResult:
        """Write one chunk; rows that differ are updated, new ones inserted."""
        values = sqlite_rows(columns)
        with connection.cursor() as cursor:
            if not self.staging_ready:
                cursor.execute(SQLITE_STAGE)
                self.staging_ready = True
            cursor.execute("DELETE FROM bl_stage_contact")
            cursor.executemany(SQLITE_FILL, values)
            cursor.execute(SQLITE_UPDATE)
            updated = cursor.rowcount
            cursor.execute(SQLITE_INSERT)
            created = cursor.rowcount
        return WriteResult(
            created=created, updated=updated, unchanged=len(values) - created - updated
        )


def contact_writer(
    organisation_id: int, *, direct: bool = True
) -> PostgresContactWriter | SqliteContactWriter | OrmWriter:
    """The fastest writer for contacts on this database (``direct``: allow a first-import COPY)."""
    if connection.vendor == "postgresql":
        return PostgresContactWriter(organisation_id, direct=direct)
    if connection.vendor == "sqlite":
        return SqliteContactWriter(organisation_id)
    return OrmWriter(Contact, organisation_id, CONTACT_DATA)


MEASURED = ["norm_id", "deadline", "verdict", "lateness_seconds", "period"]


def update_measurements(
    table: str,
    pks: Sequence[int],
    measured: Measurement,
    extra: dict[str, Sequence[int]] | None = None,
) -> int:
    """Write new measurements onto stored records by primary key (one executemany)."""
    extra = extra or {}
    columns = [
        Column("int8", measured.norm_id, measured.norm_id < 0),
        Column("timestamptz", measured.deadline, np.isnat(measured.deadline)),
        Column("int2", measured.verdict.astype(np.int16)),
        Column("int8", measured.lateness_seconds, measured.verdict != 2),
        Column("date", measured.period),
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
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)  # noqa: S608
    return len(rows)
