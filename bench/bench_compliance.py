"""The compliance report of one organisation over a year of stored verdicts, against one SQL.

Candidate: ``burgerlink.charters.reporting.selectors.compliance_report`` for the year (per norm:
met, missed, open past deadline, open within term, share met, target reached). Baseline: one
hand-written SQL aggregate over the same stored verdicts (GROUP BY norm, counting the same four
buckets). Goal (issue #3): at most 1.2× the baseline. The records are generated with numpy,
measured by the compliance engine and written with the import's COPY writer before timing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import numpy as np

from harness import Benchmark, Case, Goal, setup_django_postgres
from pgsetup import CHANNEL_MIX, organisation_with_charter

SEED = 5
CHUNK = 1_000_000


def baseline_sql() -> str:
    """The hand-written aggregate, with the verdicts' stored values from the engine's enum."""
    from burgerlink.charters.compliance import Verdict

    met, missed, open_ = int(Verdict.MET), int(Verdict.MISSED), int(Verdict.OPEN)
    return f"""
SELECT norm_id,
       count(*) FILTER (WHERE verdict = {met}),
       count(*) FILTER (WHERE verdict = {missed}),
       count(*) FILTER (WHERE verdict = {open_} AND deadline < %(now)s),
       count(*) FILTER (WHERE verdict = {open_} AND deadline >= %(now)s)
FROM charters_contact
WHERE organisation_id = %(organisation)s AND period >= %(start)s AND period < %(end)s
  AND norm_id IS NOT NULL AND verdict IN ({met}, {missed}, {open_})
GROUP BY norm_id
"""  # noqa: S608 - the only values formatted in are the enum's integers


def fill(organisation_id: int, rows: int) -> None:
    """Store ``rows`` measured contacts over 2025 for the organisation."""
    from burgerlink.charters.charter.selectors import rules_for
    from burgerlink.charters.compliance import measure_contacts
    from burgerlink.charters.records.parse import ContactBatch
    from burgerlink.charters.records.writers import (
        ImportMode,
        PostgresContactWriter,
        contact_columns,
    )
    from burgerlink.core.models import Channel, Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    rules = rules_for(organisation, "contact")
    channel_ids = dict(Channel.objects.values_list("code", "pk"))
    codes = np.array([channel_ids[code] for code, _ in CHANNEL_MIX])
    weights = [share for _, share in CHANNEL_MIX]
    rng = np.random.default_rng(SEED)
    writer = PostgresContactWriter(organisation_id, mode=ImportMode.FRESH_PARTITION)
    start = np.datetime64("2025-01-01T06:00:00", "us")
    for first in range(0, rows, CHUNK):
        n = min(CHUNK, rows - first)
        received = start + rng.integers(0, 364 * 86_400, size=n).astype("timedelta64[s]")
        channels = codes[rng.choice(len(codes), size=n, p=weights)]
        wait = rng.lognormal(np.log(15), 0.8, size=n)
        handled = received + rng.integers(60, 5 * 86_400, size=n).astype("timedelta64[s]")
        handled[rng.random(n) < 0.01] = np.datetime64("NaT")
        batch = ContactBatch(
            source_ids=np.char.add("B", np.arange(first, first + n).astype(str)).astype(object),
            channel_ids=channels,
            received=received,
            handled=handled,
            wait_seconds=np.where(channels == channel_ids["email"], np.nan, wait),
            answered=np.ones(n, dtype=np.int8),
            reclassified=np.full(n, -1, dtype=np.int64),
            rows=np.arange(n),
        )
        measured = measure_contacts(
            rules,
            channel_ids=batch.channel_ids,
            received=batch.received,
            handled=batch.handled,
            wait_seconds=batch.wait_seconds,
            answered=batch.answered,
        )
        writer.write(contact_columns(organisation_id, None, batch, measured))
    writer.finish()
    writer.discard()


def benchmarks(quick: bool) -> Iterator[Benchmark]:
    """Yield the report benchmark (10,000,000 records; 200,000 with ``quick``)."""
    rows = 200_000 if quick else 10_000_000
    setup_django_postgres()
    from django.db import connection, transaction

    from burgerlink.charters.reporting.selectors import compliance_report
    from burgerlink.core.periods import parse_period

    organisation = organisation_with_charter()
    with transaction.atomic():
        fill(organisation.pk, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE charters_contact"
        ) if connection.in_atomic_block is False else None
    period = parse_period("2025")
    now = datetime(2026, 1, 10, tzinfo=UTC)

    def candidate() -> object:
        return compliance_report(organisation, period, now=now)

    sql = baseline_sql()

    def baseline() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                {
                    "now": now,
                    "organisation": organisation.pk,
                    "start": period.start,
                    "end": period.end,
                },
            )
            return cursor.fetchall()

    report = candidate()
    measured = sum(
        row.met + row.missed + row.open_overdue + row.open_within for row in report.norms
    )  # type: ignore[attr-defined]
    expected = sum(sum(row[1:]) for row in baseline())  # type: ignore[attr-defined]
    if measured != expected:
        raise RuntimeError(f"report counts {measured} records, the SQL {expected}")
    yield Benchmark(
        name="compliance.report_year",
        measures=(
            f"compliance_report for one organisation and a year over {rows:,} stored verdicts "
            "(PostgreSQL), vs one hand-written SQL aggregate over the same rows"
        ),
        candidate=Case("compliance_report(org, 2025)", candidate),
        baseline=Case("SELECT … GROUP BY norm_id", baseline),
        goal=Goal.at_most(1.2),
        rows=rows,
        unit="records",
        repeats=5,
        warmup=1,
    )
