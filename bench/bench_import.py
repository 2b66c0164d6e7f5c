"""Imports of a contacts CSV into PostgreSQL, deadlines and verdicts included, against COPY.

Candidate: ``burgerlink.charters.records.services.import_file`` on a CSV of contacts (phone,
e-mail and counter, ISO 8601 with offsets): parse, validate every cell, measure every record
against the charter on the Dutch calendar, write idempotently, refresh the monthly figures.
Baseline: PostgreSQL ``COPY ... FROM STDIN (FORMAT csv)`` of the very same file into a bare table
(no keys, no indexes) in the same database. Goal (issues #3 and #9): at least half of COPY's rows
per second, for each of the three imports people wait for:

* ``import.contacts_csv``: a first import. Each sample starts from empty tables and drops the
  organisation's partition, so the candidate loads into a partition of the organisation's own,
  whose indexes are built after the load (see ``charters/records/partitions.py``).
* ``import.contacts_second``: a file of new contacts into an organisation that already holds as
  many (last year's file, then this year's).
* ``import.contacts_reimport``: a file that the platform mostly holds already, as when a
  municipality exports "the last three months" every month: 80 % of its rows are stored as they
  are, 10 % are stored but changed (handled later, another wait), 10 % are new.

The organisation's starting state of the last two (the first file imported) is made before each
sample and not timed (``Case.setup``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from harness import Benchmark, Case, Goal, setup_django_postgres
from pgsetup import CHANNEL_MIX, organisation_with_charter

SEED = 3
HEADER = "source_id,channel,received_at,handled_at,wait_seconds,answered\n"


def contact_rows(rows: int, *, seed: int, prefix: str, year: int = 2025) -> dict[str, np.ndarray]:
    """``rows`` contacts over a year, as numpy arrays (ids ``<prefix>0``, ``<prefix>1``, …)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64(f"{year}-01-01T07:00:00")
    received = start + rng.integers(0, 364 * 86_400, size=rows).astype("timedelta64[s]")
    channel_codes = np.array([code for code, _ in CHANNEL_MIX])
    channels = channel_codes[rng.choice(len(CHANNEL_MIX), size=rows, p=[p for _, p in CHANNEL_MIX])]
    wait = rng.lognormal(np.log(15), 0.8, size=rows).astype(np.int64)
    handled = received + np.where(
        channels == "email", rng.integers(600, 5 * 86_400, size=rows), wait
    ).astype("timedelta64[s]")
    return {
        "ids": np.char.add(prefix, np.arange(rows).astype(str)),
        "channels": channels,
        "received": received,
        "handled": handled,
        "wait": wait,
    }


def changed(contacts: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """The same contacts, handled later: a longer wait, an e-mail answered an hour later."""
    rng = np.random.default_rng(seed)
    extra = rng.integers(5, 120, size=len(contacts["ids"]))
    email = contacts["channels"] == "email"
    shift = np.where(email, 3_600, extra).astype("timedelta64[s]")
    return {
        **contacts,
        "handled": contacts["handled"] + shift,
        "wait": np.where(email, contacts["wait"], contacts["wait"] + extra),
    }


def pick(contacts: dict[str, np.ndarray], rows: slice | np.ndarray) -> dict[str, np.ndarray]:
    """Some of the contacts."""
    return {name: values[rows] for name, values in contacts.items()}


def join(*parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Contacts of several parts, one after the other."""
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def write_csv(path: Path, contacts: dict[str, np.ndarray]) -> None:
    """Write the contacts in the canonical columns, times with an offset as most exports do."""
    email = contacts["channels"] == "email"
    received_text = np.char.add(np.datetime_as_string(contacts["received"], unit="s"), "+01:00")
    handled_text = np.char.add(np.datetime_as_string(contacts["handled"], unit="s"), "+01:00")
    wait_text = np.where(email, "", contacts["wait"].astype(str))
    rows = len(contacts["ids"])
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for start_row in range(0, rows, 200_000):
            block = slice(start_row, start_row + 200_000)
            lines = np.char.add(contacts["ids"][block], ",")
            for column in (
                contacts["channels"][block],
                received_text[block],
                handled_text[block],
                wait_text[block],
            ):
                lines = np.char.add(np.char.add(lines, column), ",")
            lines = np.char.add(lines, "ja\n")
            handle.write("".join(lines.tolist()))


def benchmarks(quick: bool) -> Iterator[Benchmark]:
    """Yield the three import benchmarks (1,000,000 rows each; 20,000 with ``quick``).

    ``BENCH_IMPORT_ROWS`` sets another size (a loaded machine, a quicker look).
    """
    rows = int(os.environ.get("BENCH_IMPORT_ROWS") or (20_000 if quick else 1_000_000))
    setup_django_postgres()
    from django.db import connection

    from burgerlink.charters.records.services import import_file

    organisation = organisation_with_charter()
    folder = Path(tempfile.mkdtemp(prefix="burgerlink-bench-import-"))
    last_year = contact_rows(rows, seed=SEED, prefix="C")
    first_path = folder / f"contacts-{rows}.csv"
    write_csv(first_path, last_year)
    second_path = folder / f"contacts-{rows}-new.csv"
    write_csv(second_path, contact_rows(rows, seed=SEED + 1, prefix="D"))
    # 80 % as stored, 10 % stored but changed, 10 % new; in a shuffled order.
    tenth = rows // 10
    mixed = join(
        pick(last_year, slice(0, rows - 2 * tenth)),
        changed(pick(last_year, slice(rows - 2 * tenth, rows - tenth)), SEED + 2),
        contact_rows(tenth, seed=SEED + 3, prefix="N"),
    )
    order = np.random.default_rng(SEED + 4).permutation(len(mixed["ids"]))
    reimport_path = folder / f"contacts-{rows}-reimport.csv"
    write_csv(reimport_path, pick(mixed, order))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (source_id text, channel text, received_at timestamptz, "
            "handled_at timestamptz, wait_seconds integer, answered text)"
        )

    def empty() -> None:
        # The organisation has no contacts and no partition of its own.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS charters_contact_o{organisation.pk}")
            cursor.execute(
                "TRUNCATE charters_contact, charters_compliancemonth, charters_compensationentry, "
                "charters_importbatch, bench_bare CASCADE"
            )

    def load(path: Path) -> Any:
        with path.open("rb") as stream:
            return import_file(
                organisation=organisation,
                kind="contacts",
                stream=stream,
                filename=path.name,
                source="bench",
            )

    def holding_last_year() -> None:
        # Untimed: the organisation holds last year's file, as after its first import.
        empty()
        load(first_path)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE charters_contact_o{organisation.pk}")

    def expect(batch: Any, created: int, updated: int, unchanged: int) -> None:
        found = (batch.rows_created, batch.rows_updated, batch.rows_unchanged)
        if found != (created, updated, unchanged):
            raise RuntimeError(f"imported {found}, expected {(created, updated, unchanged)}")

    def first() -> None:
        expect(load(first_path), rows, 0, 0)

    def second() -> None:
        expect(load(second_path), rows, 0, 0)

    def reimport() -> None:
        expect(load(reimport_path), tenth, tenth, rows - 2 * tenth)

    def copy_of(path: Path) -> Case:
        def copy() -> None:
            with (
                connection.cursor() as cursor,
                cursor.copy("COPY bench_bare FROM STDIN (FORMAT csv, HEADER true)") as copy,
                path.open("rb") as stream,
            ):
                while block := stream.read(1 << 20):
                    copy.write(block)

        def empty_bare() -> None:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE bench_bare")

        return Case("COPY bench_bare FROM STDIN (csv)", copy, setup=empty_bare)

    common: dict[str, Any] = {
        "goal": Goal.at_least(0.5),
        "rows": rows,
        "unit": "rows",
        "ratio_of": "throughput",
        "repeats": 3,
        "number": 1,
        "warmup": 1,
        "memory": "rusage",
    }
    size = f"{first_path.stat().st_size / 1e6:.0f} MB"
    try:
        yield Benchmark(
            name="import.contacts_csv",
            measures=(
                f"import_file of a {rows:,}-row contacts CSV ({size}) into PostgreSQL with "
                "deadlines and verdicts, a first import, vs COPY of the same file into a bare table"
            ),
            candidate=Case("import_file(contacts.csv), first import", first, setup=empty),
            baseline=Case("COPY bench_bare FROM STDIN (csv)", copy_of(first_path).fn, setup=empty),
            **common,
        )
        yield Benchmark(
            name="import.contacts_second",
            measures=(
                f"import_file of {rows:,} new contacts into an organisation holding {rows:,}, "
                "vs COPY of the same file into a bare table"
            ),
            candidate=Case(
                "import_file(new contacts), organisation filled", second, setup=holding_last_year
            ),
            baseline=copy_of(second_path),
            **common,
        )
        yield Benchmark(
            name="import.contacts_reimport",
            measures=(
                f"import_file of {rows:,} contacts of which 80 % stored as they are, 10 % stored "
                "but changed and 10 % new, vs COPY of the same file into a bare table"
            ),
            candidate=Case(
                "import_file(80 % same, 10 % changed, 10 % new)", reimport, setup=holding_last_year
            ),
            baseline=copy_of(reimport_path),
            **common,
        )
    finally:
        empty()
        for path in (first_path, second_path, reimport_path):
            path.unlink(missing_ok=True)
        os.rmdir(folder)
