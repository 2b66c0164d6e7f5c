"""A first import of contacts: its own partition on PostgreSQL, typed parsing, and its fallbacks.

These run on both databases. What they assert about partitions holds on PostgreSQL; on SQLite
the same imports go through the plain table and the same records must come out.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from burgerlink.charters.models import CharterVersion, Contact, Verdict
from burgerlink.charters.records.partitions import NAME
from burgerlink.core.files import ImportRejectedError
from burgerlink.core.models import Organisation
from tests.charters.records.test_import import CONTACTS, rejected, run_import, verdicts

pytestmark = pytest.mark.django_db(transaction=False)

ON_POSTGRES = connection.vendor == "postgresql"


def partition_of(organisation: Organisation) -> tuple[bool, str] | None:
    """(attached, bound) of the organisation's own table, or None when there is none."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relispartition, pg_get_expr(relpartbound, oid) FROM pg_class "
            "WHERE oid = to_regclass(%s)",
            [NAME.format(organisation=organisation.pk)],
        )
        row = cursor.fetchone()
    return None if row is None else (bool(row[0]), str(row[1]))


def test_a_first_import_gets_a_partition_of_its_own_and_a_second_changes_nothing(
    amstelstad: Organisation, heidedorp: Organisation, charter: CharterVersion
) -> None:
    first = run_import(amstelstad, CONTACTS)
    assert (first.rows_created, first.rows_updated, first.rows_unchanged) == (5, 0, 0)
    if ON_POSTGRES:
        assert partition_of(amstelstad) == (True, f"FOR VALUES IN ('{amstelstad.pk}')")
        # The partition carries every index of the parent, so ATTACH adopted rather than built.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_index WHERE indrelid = %s::regclass",
                [NAME.format(organisation=amstelstad.pk)],
            )
            on_partition = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM pg_index WHERE indrelid = 'charters_contact'::regclass"
            )
            assert on_partition == cursor.fetchone()[0]
    again = run_import(amstelstad, CONTACTS)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 5)
    assert Contact.objects.filter(organisation=amstelstad).count() == 5
    # Another organisation's first import: ids stay unique across partitions.
    run_import(heidedorp, CONTACTS)
    ids = list(Contact.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids)) == 10
    assert Contact.objects.filter(organisation=heidedorp).count() == 5


def test_a_first_import_with_a_repeated_id_is_refused_and_leaves_no_table(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    text = CONTACTS + "T-1,phone,2025-03-09T09:00:00+01:00,,5,ja\n"
    errors = rejected(amstelstad, text)
    assert [(e["row"], e["column"]) for e in errors] == [(7, "source_id")]
    assert "staat ook in rij 2" in str(errors[0]["message"])
    if ON_POSTGRES:
        assert partition_of(amstelstad) is None


def test_a_local_time_makes_the_typed_reader_give_way_to_text(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    text = CONTACTS + "L-1,telefoon,08-03-2025 09:00,,7,nee\n"
    batch = run_import(amstelstad, text)
    assert batch.rows_created == 6
    local = Contact.objects.get(source_id="L-1")
    # Dutch winter time: 09:00 in Amsterdam is 08:00 UTC.
    assert local.received_at == datetime(2025, 3, 8, 8, 0, tzinfo=UTC)
    assert local.answered is False
    assert verdicts()["T-2"] == Verdict.MISSED


def test_a_table_left_by_a_crashed_first_import_is_replaced(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    if ON_POSTGRES:
        # What a crash between loading and attaching leaves: a committed table, not attached.
        from burgerlink.charters.records.partitions import _side_connection

        side = _side_connection(autocommit=True)
        try:
            side.execute(
                f"CREATE TABLE {NAME.format(organisation=amstelstad.pk)} "
                "(LIKE charters_contact INCLUDING DEFAULTS)"
            )
        finally:
            side.close()
        assert partition_of(amstelstad) == (False, "None")
    batch = run_import(amstelstad, CONTACTS)
    assert batch.rows_created == 5
    if ON_POSTGRES:
        assert partition_of(amstelstad) == (True, f"FOR VALUES IN ('{amstelstad.pk}')")
    assert set(verdicts()) == {"T-1", "T-2", "E-1", "E-2", "E-3"}


def test_progress_starts_again_when_the_import_does(
    amstelstad: Organisation, charter: CharterVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    from burgerlink.charters.records import readers

    # Small blocks, so the typed reader has reported rows before it meets the local time.
    monkeypatch.setattr(readers, "FAST_BLOCK_BYTES", 128)
    seen: list[int] = []
    text = CONTACTS + "L-1,telefoon,08-03-2025 09:00,,7,nee\n"
    batch = run_import(amstelstad, text, progress=seen.append)
    assert batch.rows_created == 6
    assert seen[-1] == 6
    assert max(seen) == 6
    assert any(later < earlier for earlier, later in zip(seen, seen[1:], strict=False))


def test_a_re_import_keeps_the_fast_reader_and_writes_only_what_changed(
    amstelstad: Organisation, charter: CharterVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored ids end the direct COPY, not the typed reader: the upsert reads the file the same
    way, updates the changed row, inserts the new one and leaves the rest as they are."""
    from burgerlink.charters.records import services
    from burgerlink.charters.records.reading import ReadMode

    run_import(amstelstad, CONTACTS)
    stored = {c.source_id: (c.pk, c.batch_id) for c in Contact.objects.filter()}
    modes: list[ReadMode] = []
    read_chunks = services.read_chunks

    def spy(*args: object, mode: ReadMode, **kwargs: object) -> object:
        modes.append(mode)
        return read_chunks(*args, mode=mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "read_chunks", spy)
    lines = CONTACTS.splitlines()
    # T-2 answered after 30 seconds instead of 40 (late now), and one new contact.
    changed = lines[2].replace(",40,", ",30,").replace("09:05:00", "09:05:10")
    text = "\n".join(
        [lines[0], changed, *lines[3:], lines[1], "N-1,phone,2025-03-08T09:00:00+01:00,,5,ja", ""]
    )
    batch = run_import(amstelstad, text)
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (1, 1, 4)
    assert ReadMode.CAREFUL not in modes
    after = {c.source_id: (c.pk, c.batch_id) for c in Contact.objects.filter()}
    assert after["T-2"] == (stored["T-2"][0], batch.pk)  # updated in place, by this batch
    assert after["N-1"][1] == batch.pk
    unchanged = set(stored) - {"T-2"}
    assert all(after[key] == stored[key] for key in unchanged)
    assert Contact.objects.get(source_id="T-2").wait_seconds == 30


def test_a_re_import_with_a_repeated_id_names_its_exact_row(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    run_import(amstelstad, CONTACTS)
    lines = CONTACTS.splitlines()
    with pytest.raises(ImportRejectedError) as refused:
        run_import(amstelstad, "\n".join([*lines, lines[3], ""]))
    errors = refused.value.batch.errors
    assert [(e["row"], e["column"]) for e in errors] == [(len(lines) + 1, "source_id")]
    assert Contact.objects.count() == len(lines) - 1
