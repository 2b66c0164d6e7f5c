"""Exports move to the export kit in core: every survey export is copied, then the table goes.

Each row keeps its id (so audit lines that name ``surveys.export`` <id> still point at it, and
download links keep working), its file in storage, status, progress, requester and moments; the
wave becomes the export's subject under the kind ``surveys.responses``. Finished exports can be
downloaded for ``EXPORT_RETENTION_DAYS`` after the migration, like new ones after they finish.
Going back copies the survey exports into the old table again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations
from django.utils import timezone

KIND = "surveys.responses"
FIELDS = (
    "id",
    "organisation_id",
    "file_format",
    "status",
    "rows_done",
    "rows_total",
    "file",
    "error",
    "created_by_id",
    "created_at",
    "finished_at",
)


def _reset_sequence(schema_editor: Any, model: Any) -> None:
    """Ids were copied explicitly: move PostgreSQL's sequence past them (SQLite needs nothing)."""
    connection = schema_editor.connection
    for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(statement)


def _copy(model: Any, alias: str, rows: list[Any]) -> None:
    """Insert ``rows`` keeping their ``created_at`` (``auto_now_add`` sets now on insert)."""
    moments = {row.pk: row.created_at for row in rows}
    model.objects.using(alias).bulk_create(rows, batch_size=500)
    for pk, moment in moments.items():
        model.objects.using(alias).filter(pk=pk).update(created_at=moment)


def to_core(apps: Any, schema_editor: Any) -> None:
    """Copy every survey export into core's export table, keeping ids and files."""
    old = apps.get_model("surveys", "Export")
    new = apps.get_model("core", "Export")
    expires = timezone.now() + timedelta(days=getattr(settings, "EXPORT_RETENTION_DAYS", 7))
    batch = []
    for row in old.objects.using(schema_editor.connection.alias).values(*FIELDS, "wave_id"):
        wave_id = row.pop("wave_id")
        done = row["status"] == "done"
        batch.append(
            new(
                kind=KIND,
                subject=str(wave_id),
                params={},
                language="nl",
                expires_at=expires if done else None,
                **row,
            )
        )
    _copy(new, schema_editor.connection.alias, batch)
    if batch:
        _reset_sequence(schema_editor, new)


def to_surveys(apps: Any, schema_editor: Any) -> None:
    """Copy the survey exports back into the surveys' own table (for a rollback)."""
    old = apps.get_model("surveys", "Export")
    new = apps.get_model("core", "Export")
    alias = schema_editor.connection.alias
    batch = [
        old(wave_id=int(row.pop("subject")), **row)
        for row in new.objects.using(alias).filter(kind=KIND).values(*FIELDS, "subject")
    ]
    _copy(old, alias, batch)
    if batch:
        _reset_sequence(schema_editor, old)
    new.objects.using(alias).filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_export"),
        ("surveys", "0003_response_resume_key"),
    ]

    operations = [
        migrations.RunPython(to_core, to_surveys),
        migrations.DeleteModel(name="Export"),
    ]
