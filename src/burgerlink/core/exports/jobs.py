"""The background job of an export: write the file chunk by chunk, with progress, or fail.

Kept apart from ``services`` (which queues the job by its path) so that the task module imports
this one and nothing imports back: tasks → jobs.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import override

from burgerlink.core.exports.registry import ExportKind, PreparedExport, get_kind
from burgerlink.core.exports.writers import EXTENSIONS, XLSX_MAX_ROWS, open_writer, write_table
from burgerlink.core.models import Export, ExportStatus

logger = logging.getLogger(__name__)


def retention() -> timedelta:
    """How long a finished export can be downloaded (``EXPORT_RETENTION_DAYS``)."""
    return timedelta(days=getattr(settings, "EXPORT_RETENTION_DAYS", 7))


def storage_name(export: Export, kind: ExportKind) -> str:
    """Where the export's file goes in storage: per organisation, with an unguessable part."""
    stem = slugify(kind.file_stem(export)) or "export"
    token = secrets.token_hex(8)
    extension = EXTENSIONS[export.file_format]
    return f"exports/{export.organisation_id}/{stem}-export-{export.pk}-{token}.{extension}"


def download_name(export: Export) -> str:
    """The file name offered to the browser: the kind's stem and when it was asked for."""
    stem = slugify(get_kind(export.kind).file_stem(export)) or "export"
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return f"{stem}-{stamp}.{EXTENSIONS[export.file_format]}"


def _progress(export_id: int, done: int) -> None:
    Export.objects.filter(pk=export_id).update(rows_done=done)


def _write(name: str, export: Export, prepared: PreparedExport) -> tuple[str, int]:
    """Write the file into storage under ``name``; return the name it got and the rows."""

    def progress(rows: int) -> None:
        _progress(export.pk, rows)

    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:  # storage without local paths: write aside, then hand it over
        target = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as stream:
            writer = open_writer(
                export.file_format,
                stream,
                prepared.columns,
                title=prepared.title,
                sheet=prepared.sheet,
            )
            return name, write_table(writer, prepared.chunks, progress=progress)
    with tempfile.TemporaryFile() as aside:
        writer = open_writer(
            export.file_format, aside, prepared.columns, title=prepared.title, sheet=prepared.sheet
        )
        done = write_table(writer, prepared.chunks, progress=progress)
        aside.seek(0)
        return default_storage.save(name, File(aside)), done


def run_export(export_id: int) -> Export | None:
    """Write a queued export's file, chunk by chunk, updating its progress (the task's body).

    An export that is done or failed is left alone. A running one is written again from the
    start: each export has one task, so a running export seen here is one whose worker was
    killed and whose task the workers put back in the queue (``core.workers``); its half file
    never reached storage. A failure marks the export failed with the reason; nothing
    half-written stays behind.
    """
    claimed = Export.objects.filter(
        pk=export_id, status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING)
    ).update(status=ExportStatus.RUNNING, rows_done=0)
    if not claimed:
        return None
    export = Export.objects.select_related("organisation").get(pk=export_id)
    name = ""
    try:
        kind = get_kind(export.kind)
        name = storage_name(export, kind)
        with override(export.language or "nl"):
            prepared = kind.prepare(export)
            if export.file_format == "xlsx" and prepared.rows > XLSX_MAX_ROWS:
                raise ValueError("too many rows for one Excel sheet")
            Export.objects.filter(pk=export.pk).update(rows_total=prepared.rows)
            name, done = _write(name, export, prepared)
    except Exception as error:  # any failure is the export's, reported on its page
        logger.exception("export %s failed", export_id)
        if name and default_storage.exists(name):
            default_storage.delete(name)
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED,
            error=str(error)[:500] or error.__class__.__name__,
            finished_at=timezone.now(),
        )
        export.refresh_from_db()
        return export
    finished = timezone.now()
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        file=name,
        rows_done=done,
        finished_at=finished,
        expires_at=finished + retention(),
    )
    export.refresh_from_db()
    return export
