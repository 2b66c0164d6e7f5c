"""Reads of the export kit: an organisation's exports of one kind and subject, one export."""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone

from burgerlink.core.models import Export, ExportStatus, Organisation

MAX_ID = 2**63 - 1


def exports_of(organisation: Organisation, kind: str, subject: str = "") -> QuerySet[Export]:
    """The organisation's exports of ``kind`` about ``subject``, newest first."""
    return Export.objects.filter(organisation=organisation, kind=kind, subject=subject).order_by(
        "-created_at", "-id"
    )


def export_of(organisation: Organisation, export_id: int, *, kind: str = "") -> Export | None:
    """One export of the organisation (of ``kind`` when given), or None."""
    if not 0 < export_id <= MAX_ID:
        return None
    found = Export.objects.filter(organisation=organisation, pk=export_id)
    if kind:
        found = found.filter(kind=kind)
    return found.select_related("organisation").first()


def is_downloadable(export: Export, now: datetime | None = None) -> bool:
    """Whether the export's file is finished, not expired and still in storage."""
    if export.status != ExportStatus.DONE or not export.file:
        return False
    if export.expires_at is not None and export.expires_at <= (now or timezone.now()):
        return False
    return default_storage.exists(export.file.name or "")


def any_active(exports: QuerySet[Export]) -> bool:
    """Whether any of these exports is still waiting or being written."""
    return exports.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).exists()
