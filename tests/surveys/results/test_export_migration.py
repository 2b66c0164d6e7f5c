"""Migration surveys/0004: the surveys' exports move to core's export table with their data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from burgerlink.core.models import Export, User
from burgerlink.surveys.models import Wave
from burgerlink.surveys.results.exports import RESPONSES

BEFORE = [("surveys", "0003_response_resume_key"), ("core", "0004_export")]
AFTER = [("surveys", "0004_move_exports_to_core")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate the test database to ``targets``; return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_today() -> Iterator[None]:
    """Whatever the test does to the schema, leave it fully migrated."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# Transactional: SQLite changes its schema only outside a transaction. No serialized rollback:
# the test needs no reference data, and restoring it after an earlier transactional test has
# emptied the database would collide with the content types that flush created again.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_survey_exports_move_to_core_and_back_with_ids_files_and_moments(
    small_wave: Wave, bram_researcher: User, back_to_today: None
) -> None:
    old_apps = migrate(BEFORE)
    old = old_apps.get_model("surveys", "Export")
    requested = timezone.now() - timedelta(days=40)
    done = old.objects.create(
        id=41,
        wave_id=small_wave.pk,
        organisation_id=small_wave.organisation_id,
        file_format="sav",
        status="done",
        rows_done=3,
        rows_total=3,
        file="exports/1/meting-1-export-41-abc.sav",
        created_by_id=bram_researcher.pk,
        finished_at=requested + timedelta(minutes=2),
    )
    old.objects.filter(pk=done.pk).update(created_at=requested)
    old.objects.create(
        id=42,
        wave_id=small_wave.pk,
        organisation_id=small_wave.organisation_id,
        file_format="csv",
        status="failed",
        error="schijf vol",
    )

    migrate(AFTER)
    moved = {export.pk: export for export in Export.objects.all()}
    assert set(moved) == {41, 42}
    first = moved[41]
    assert (first.kind, first.subject, first.file_format, first.status) == (
        RESPONSES,
        str(small_wave.pk),
        "sav",
        "done",
    )
    assert first.file.name == "exports/1/meting-1-export-41-abc.sav"
    assert (first.rows_done, first.rows_total, first.created_by_id) == (3, 3, bram_researcher.pk)
    assert first.created_at == requested  # not the moment of the migration
    assert first.expires_at is not None and first.expires_at > timezone.now()
    assert moved[42].error == "schijf vol" and moved[42].expires_at is None
    # New exports get ids after the copied ones (PostgreSQL's sequence was moved on).
    fresh = Export.objects.create(
        organisation_id=small_wave.organisation_id, kind=RESPONSES, file_format="csv"
    )
    assert fresh.pk > 42
    fresh.delete()

    old_apps = migrate(BEFORE)  # and back again
    back = old_apps.get_model("surveys", "Export").objects.order_by("id")
    assert [(row.pk, row.wave_id, row.status) for row in back] == [
        (41, small_wave.pk, "done"),
        (42, small_wave.pk, "failed"),
    ]
    assert back[0].created_at == requested
    assert not Export.objects.exists()
