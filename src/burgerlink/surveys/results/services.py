"""Writes of the results area: exports of a wave's responses (requested, run, downloaded), and
the organisation's analysis settings.

Every export is recorded in the audit log when it is requested and when its file is
downloaded: an export holds personal data (answers, background variables), even without names.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from burgerlink.core.models import Organisation, User
from burgerlink.core.services import record_audit
from burgerlink.core.tasks import enqueue_after_commit
from burgerlink.surveys.models import AnalysisSettings, Export, ExportStatus, Wave
from burgerlink.surveys.results import exports, selectors

logger = logging.getLogger(__name__)
FORMATS = ("csv", "xlsx", "sav")
PROGRESS_EVERY = 1
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "sav": "sav"}
# The background task that writes the file (``tasks.py`` imports this module, not the reverse).
RUN_EXPORT = "burgerlink.surveys.results.tasks.run_export"


@transaction.atomic
def request_export(wave: Wave, file_format: str, *, by: User | None) -> Export:
    """Queue an export of the wave's completed responses; run it in the background."""
    if file_format not in FORMATS:
        raise ValidationError(_("Kies CSV, Excel of SPSS."))
    total = selectors.completed(wave).count()
    if not total:
        raise ValidationError(_("Deze meting heeft nog geen ingevulde vragenlijsten."))
    if file_format == "xlsx" and total > exports.XLSX_MAX_ROWS:
        raise ValidationError(_("Te veel responsen voor één Excel-werkblad; kies CSV of SPSS."))
    export = Export.objects.create(
        wave=wave,
        organisation_id=wave.organisation_id,
        file_format=file_format,
        status=ExportStatus.QUEUED,
        rows_total=total,
        created_by=by,
    )
    record_audit(
        actor=by,
        organisation=wave.organisation,
        action="survey.export.request",
        obj=export,
        summary=f"{wave}: {file_format}, {total} responsen",
    )
    enqueue_after_commit(RUN_EXPORT, export.pk)
    return export


def _progress(export_id: int, done: int) -> None:
    Export.objects.filter(pk=export_id).update(rows_done=done)


def file_name(export: Export) -> str:
    """Where the export's file lives in storage (outside anything publicly served)."""
    token = secrets.token_hex(8)
    return (
        f"exports/{export.organisation_id}/"
        f"meting-{export.wave_id}-export-{export.pk}-{token}.{EXTENSIONS[export.file_format]}"
    )


def download_name(export: Export) -> str:
    """The file name offered to the browser."""
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return f"meting-{export.wave_id}-{stamp}.{EXTENSIONS[export.file_format]}"


def run_export(export_id: int) -> Export | None:
    """Write a queued export's file, chunk by chunk, updating its progress (the task body).

    Runs once: an export that is no longer queued is left alone. A failure marks the export
    failed with the reason; nothing half-written stays behind.
    """
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, rows_done=0
    )
    if not claimed:
        return None
    export = Export.objects.select_related("wave", "wave__version", "wave__organisation").get(
        pk=export_id
    )
    wave = export.wave
    name = file_name(export)
    try:
        with override("nl"):
            cat = selectors.wave_catalogue(wave)
            plan = exports.plan_export(wave, cat)
            Export.objects.filter(pk=export.pk).update(rows_total=int(plan.response_ids.size))
            label = f"{wave.survey.title} – {wave.name}"[:64]
            try:
                target = Path(default_storage.path(name))
            except NotImplementedError:
                target = None
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as stream:
                    done = exports.write_export(
                        plan,
                        export.file_format,
                        stream,
                        progress=lambda rows: _progress(export.pk, rows),
                        label=label,
                    )
            else:
                with tempfile.TemporaryFile() as stream:
                    done = exports.write_export(
                        plan,
                        export.file_format,
                        stream,
                        progress=lambda rows: _progress(export.pk, rows),
                        label=label,
                    )
                    stream.seek(0)
                    name = default_storage.save(name, File(stream))
    except Exception as error:  # any failure is the export's, reported on its page
        logger.exception("export %s failed", export_id)
        if default_storage.exists(name):
            default_storage.delete(name)
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED,
            error=str(error)[:500] or error.__class__.__name__,
            finished_at=timezone.now(),
        )
        export.refresh_from_db()
        return export
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        file=name,
        rows_done=done,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def record_download(export: Export, *, by: User | None) -> None:
    """Audit that someone downloaded an export's file."""
    record_audit(
        actor=by,
        organisation=export.organisation,
        action="survey.export.download",
        obj=export,
        summary=f"{export.wave}: {export.file_format}, {export.rows_done} responsen",
    )


@transaction.atomic
def save_analysis_settings(
    organisation: Organisation, *, hide_below: int, flag_below: int, alpha: float, by: User | None
) -> AnalysisSettings:
    """Store the organisation's small-group rules and significance level; audit the change."""
    found, _created = AnalysisSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = f"{found.hide_below}/{found.flag_below}/{found.alpha:g}"
    found.hide_below, found.flag_below, found.alpha = hide_below, flag_below, alpha
    found.full_clean()
    found.save()
    record_audit(
        actor=by,
        organisation=organisation,
        action="survey.settings.change",
        obj=found,
        summary=f"verbergen/markeren/alfa: {before} -> {hide_below}/{flag_below}/{alpha:g}",
    )
    return found
