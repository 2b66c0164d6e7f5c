"""An organisation's first import of contacts, loaded into a partition of its own (PostgreSQL).

``charters_contact`` is partitioned by organisation (migration 0006). When an organisation has no
contacts yet, its import is copied on a side connection into a new table without indexes; the
keys and indexes are then built once, by two side connections at the same time, and the import's
own transaction attaches the table as the organisation's partition. Until that attach commits,
nothing of the file is visible: the table is not part of ``charters_contact``, and an import that
fails drops it again. Building an index once costs a fraction of keeping it up to date row by
row, and the two builds use both processor cores while Python has nothing left to do.

Imports of the same organisation take turns (an advisory lock held by the import's transaction),
so a table with the partition's name that is not attached can only be left over from an import
that crashed: it is dropped before loading again.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Sequence
from typing import Any

from django.db import DatabaseError, connection, connections

from burgerlink.charters.records.pgcopy import send
from burgerlink.core.dbrouter import direct_alias

PARENT = "charters_contact"
NAME = "charters_contact_o{organisation}"
LOCK_CLASS = 0x6275_7267  # advisory lock namespace of partition loads ("burg")
LOCK_TIMEOUT = "5s"
_PARENT_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ ")


def _side_connection(*, autocommit: bool) -> Any:
    """A new connection to the same database, past any pooler (``DATABASE_DIRECT_URL``).

    Side connections keep session settings and a transaction of their own across statements,
    which a pooler in transaction mode would not give them.
    """
    import psycopg

    params = {
        key: value
        for key, value in connections[direct_alias()].get_connection_params().items()
        if key not in {"cursor_factory", "context"}
    }
    side = psycopg.connect(**params, autocommit=autocommit)
    side.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    # Two builds run side by side on their own connections: no extra workers each.
    side.execute("SET max_parallel_maintenance_workers = 0")
    return side


def index_statements(cursor: Any, table: str) -> tuple[list[str], list[str]]:
    """DDL that gives ``table`` the indexes of ``charters_contact``, then turns keys into keys.

    Read from the catalog, so an index a later migration adds is picked up. Every index is built
    with CREATE INDEX (two of those can run on one table at once); the primary key and unique
    constraints then adopt their index, because ATTACH matches a key of the parent only with a
    key of the partition.
    """
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid), k.contype FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid "
        "WHERE i.indrelid = %s::regclass ORDER BY k.contype NULLS LAST, c.relname",
        [PARENT],
    )
    builds: list[str] = []
    keys: list[str] = []
    for name, definition, kind in cursor.fetchall():
        index = f"{table}_{name.removeprefix(PARENT + '_')}"
        unique = "UNIQUE " if definition.startswith("CREATE UNIQUE") else ""
        builds.append(_PARENT_INDEX.sub(f"CREATE {unique}INDEX {index} ON {table} ", definition))
        if kind in {"p", "u"}:
            key = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            keys.append(f"ALTER TABLE {table} ADD CONSTRAINT {index} {key} USING INDEX {index}")
    return builds, keys


def _run_all(statements: Sequence[str], connections: Sequence[Any]) -> None:
    """Run the statements on the connections in parallel, each taking the next one free."""
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for statement in statements:
        todo.put(statement)
    failures: list[BaseException] = []

    def work(side: Any) -> None:
        while not failures:
            try:
                statement = todo.get_nowait()
            except queue.Empty:
                return
            try:
                side.execute(statement)
            except BaseException as error:  # noqa: BLE001 - handed to the caller
                failures.append(error)

    threads = [
        threading.Thread(target=work, args=(side,), name="burgerlink-index", daemon=True)
        for side in connections
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


class PartitionLoad:
    """The side of a first import that loads, indexes and attaches the organisation's partition.

    ``begin`` returns None when the organisation already has contacts or a partition (or when
    contacts are not partitioned): the caller then writes through ``charters_contact``. Use:
    ``copy`` per chunk (from one thread at a time), ``finish`` once inside the import's
    transaction, and ``discard`` after that transaction has ended, committed or not.
    """

    def __init__(self, organisation_id: int, loader: Any) -> None:
        self.organisation_id = organisation_id
        self.table = NAME.format(organisation=organisation_id)
        self.loader = loader
        self.copy_sql = ""

    @classmethod
    def begin(cls, organisation_id: int) -> PartitionLoad | None:
        """Start a first import of the organisation's contacts, or return None if it is not one."""
        table = NAME.format(organisation=organisation_id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = %s::regclass", [PARENT])
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, organisation_id])
            cursor.execute(
                "SELECT relispartition FROM pg_class WHERE oid = to_regclass(%s)", [table]
            )
            found = cursor.fetchone()
            if found and found[0]:
                return None
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {PARENT} WHERE organisation_id = %s)",  # noqa: S608
                [organisation_id],
            )
            if cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [PARENT])
            sequence = cursor.fetchone()[0]
        import psycopg

        try:
            loader = _side_connection(autocommit=False)
        except psycopg.Error:
            return None
        load = cls(organisation_id, loader)
        try:
            if found:
                loader.execute(f"DROP TABLE {table}")  # left over from a crashed import
            loader.execute(
                f"CREATE TABLE {table} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                "INCLUDING STORAGE)"
            )
            # Ids come from the parent's sequence, as they would through the parent; the check
            # lets ATTACH skip its scan of the rows.
            loader.execute(
                f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{sequence}'::regclass), "
                f"ADD CONSTRAINT {table}_organisation CHECK (organisation_id = {int(organisation_id)})"
            )
        except psycopg.Error:
            load.discard()
            return None
        return load

    def copy(self, columns: Sequence[str], payload: list[memoryview]) -> None:
        """COPY one chunk into the new table (FREEZE: the table is new in this transaction)."""
        sql = f"COPY {self.table} ({', '.join(columns)}) FROM STDIN (FORMAT binary, FREEZE)"
        with self.loader.cursor() as cursor, cursor.copy(sql) as copy:
            send(copy, payload)

    def finish(self) -> None:
        """Commit the rows, build keys and indexes on two connections, attach the partition.

        Raises ``psycopg.errors.UniqueViolation`` when a source id occurs twice; the attach runs
        in the caller's transaction, so it commits or rolls back with the import.
        """
        self.loader.commit()
        self.loader.autocommit = True
        self.loader.execute("SET maintenance_work_mem = '256MB'")
        with connection.cursor() as cursor:
            builds, keys = index_statements(cursor, self.table)
        import psycopg

        builders = [self.loader]
        # Without a second connection to be had, the loader builds every index itself.
        with contextlib.suppress(psycopg.Error):
            builders.append(_side_connection(autocommit=True))
        try:
            for builder in builders[1:]:
                builder.execute("SET maintenance_work_mem = '256MB'")
            _run_all(builds, builders)
            for statement in keys:
                self.loader.execute(statement)
        finally:
            for builder in builders[1:]:
                builder.close()
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE {PARENT} ATTACH PARTITION {self.table} "
                f"FOR VALUES IN ({int(self.organisation_id)})"
            )

    def discard(self) -> None:
        """Close the side connections; drop the table unless this import attached it."""
        import psycopg

        with contextlib.suppress(psycopg.Error):
            self.loader.rollback()

        attached: bool | None = None
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT relispartition FROM pg_class WHERE oid = to_regclass(%s)", [self.table]
                )
                found = cursor.fetchone()
                attached = bool(found and found[0])
        except DatabaseError:
            pass  # cannot tell: leave the table to the next import of this organisation
        try:
            if attached is False:
                self.loader.autocommit = True
                self.loader.execute(f"DROP TABLE IF EXISTS {self.table}")
        except psycopg.Error:
            pass  # dropped by the next import of this organisation (see the module docstring)
        finally:
            self.loader.close()
