"""Import of a contacts CSV into PostgreSQL, deadlines and verdicts included, against COPY.

Candidate: ``burgerlink.charters.records.services.import_file`` on a CSV of contacts (phone,
e-mail and counter, ISO 8601 with offsets): parse, validate every cell, measure every record
against the charter on the Dutch calendar, write idempotently, refresh the monthly figures.
Baseline: PostgreSQL ``COPY ... FROM STDIN (FORMAT csv)`` of the very same file into a bare table
(no keys, no indexes) in the same database. Goal (issue #3): at least half of COPY's rows per
second. Each sample starts from empty tables and drops the organisation's partition, so both
sides do a first import (on the candidate's side: into a partition of the organisation's own,
whose indexes are built after the load; see ``charters/records/partitions.py``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from harness import Benchmark, Case, Goal, setup_django_postgres
from pgsetup import CHANNEL_MIX, organisation_with_charter

SEED = 3


def write_csv(path: Path, rows: int) -> None:
    """Write ``rows`` contacts over 2025 in the canonical columns."""
    rng = np.random.default_rng(SEED)
    start = np.datetime64("2025-01-01T07:00:00")
    received = start + rng.integers(0, 364 * 86_400, size=rows).astype("timedelta64[s]")
    channel_codes = np.array([code for code, _ in CHANNEL_MIX])
    channels = channel_codes[rng.choice(len(CHANNEL_MIX), size=rows, p=[p for _, p in CHANNEL_MIX])]
    wait = rng.lognormal(np.log(15), 0.8, size=rows).astype(np.int64)
    handled = received + np.where(
        channels == "email", rng.integers(600, 5 * 86_400, size=rows), wait
    ).astype("timedelta64[s]")
    received_text = np.char.add(np.datetime_as_string(received, unit="s"), "+01:00")
    handled_text = np.char.add(np.datetime_as_string(handled, unit="s"), "+01:00")
    wait_text = np.where(channels == "email", "", wait.astype(str))
    with path.open("w", encoding="utf-8") as handle:
        handle.write("source_id,channel,received_at,handled_at,wait_seconds,answered\n")
        for start_row in range(0, rows, 200_000):
            block = slice(start_row, start_row + 200_000)
            ids = np.char.add("C", np.arange(rows)[block].astype(str))
            lines = np.char.add(ids, ",")
            for column in (
                channels[block],
                received_text[block],
                handled_text[block],
                wait_text[block],
            ):
                lines = np.char.add(np.char.add(lines, column), ",")
            lines = np.char.add(lines, "ja\n")
            handle.write("".join(lines.tolist()))


def benchmarks(quick: bool) -> Iterator[Benchmark]:
    """Yield the import benchmark (1,000,000 rows; 20,000 with ``quick``)."""
    rows = 20_000 if quick else 1_000_000
    setup_django_postgres()
    from django.db import connection

    from burgerlink.charters.records.services import import_file

    organisation = organisation_with_charter()
    folder = Path(tempfile.mkdtemp(prefix="burgerlink-bench-import-"))
    path = folder / f"contacts-{rows}.csv"
    write_csv(path, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (source_id text, channel text, received_at timestamptz, "
            "handled_at timestamptz, wait_seconds integer, answered text)"
        )

    def empty() -> None:
        # A first import: the organisation has no contacts and no partition of its own yet.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS charters_contact_o{organisation.pk}")
            cursor.execute(
                "TRUNCATE charters_contact, charters_compliancemonth, charters_compensationentry, "
                "charters_importbatch, bench_bare CASCADE"
            )

    def candidate() -> None:
        empty()
        with path.open("rb") as stream:
            batch = import_file(
                organisation=organisation,
                kind="contacts",
                stream=stream,
                filename=path.name,
                source="bench",
            )
        if batch.rows_created != rows:
            raise RuntimeError(f"imported {batch.rows_created} of {rows} rows")

    def baseline() -> None:
        empty()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY bench_bare FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as stream,
        ):
            while block := stream.read(1 << 20):
                copy.write(block)

    try:
        yield Benchmark(
            name="import.contacts_csv",
            measures=(
                f"import_file of a {rows:,}-row contacts CSV ({path.stat().st_size / 1e6:.0f} MB) "
                "into PostgreSQL with deadlines and verdicts, vs COPY of the same file into a bare table"
            ),
            candidate=Case("import_file(contacts.csv)", candidate),
            baseline=Case("COPY bench_bare FROM STDIN (csv)", baseline),
            goal=Goal.at_least(0.5),
            rows=rows,
            unit="rows",
            ratio_of="throughput",
            repeats=3,
            number=1,
            warmup=1,
            memory="rusage",
        )
    finally:
        empty()
        path.unlink(missing_ok=True)
        os.rmdir(folder)
