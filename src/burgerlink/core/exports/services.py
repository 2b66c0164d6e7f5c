"""Writes of the export kit: request an export (queued, audited), record a download, purge.

Every export is recorded in the audit log when it is requested and when its file is
downloaded: exports hold personal or response-level data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from burgerlink.core.exports.registry import get_kind
from burgerlink.core.exports.writers import XLSX_MAX_ROWS
from burgerlink.core.models import Export, ExportStatus, Organisation, User
from burgerlink.core.numbers import format_number
from burgerlink.core.permissions import has_perm
from burgerlink.core.services import record_audit
from burgerlink.core.tasks import enqueue_after_commit

# The background task that writes the file, by path (``tasks`` imports ``jobs``, not this module).
RUN_EXPORT = "burgerlink.core.exports.tasks.run_export"


@transaction.atomic
def request_export(
    *,
    organisation: Organisation,
    kind: str,
    file_format: str,
    by: User | None,
    subject: str = "",
    params: Mapping[str, Any] | None = None,
    language: str = "nl",
) -> Export:
    """Queue an export of a registered kind; it is written in the background after commit.

    Refuses (``ValidationError``, a Dutch message) a format the kind does not offer, an export
    without rows and an Excel file with more rows than a sheet holds; ``PermissionDenied`` when
    ``by`` lacks the kind's permission in the organisation.
    """
    found = get_kind(kind)
    if file_format not in found.formats:
        raise ValidationError(_("Kies een bestandsformaat dat deze export aanbiedt."))
    if by is not None and not has_perm(by, found.permission, organisation):
        raise PermissionDenied("Your role does not allow this export")
    export = Export(
        organisation=organisation,
        kind=found.name,
        subject=subject,
        params=dict(params or {}),
        language=language,
        file_format=file_format,
        status=ExportStatus.QUEUED,
        created_by=by,
    )
    total = found.count(export)
    if not total:
        raise ValidationError(str(found.empty_message))
    if file_format == "xlsx" and total > XLSX_MAX_ROWS:
        raise ValidationError(
            _("Te veel rijen voor één Excel-werkblad (hooguit %(max)s); kies CSV of SPSS.")
            % {"max": format_number(XLSX_MAX_ROWS)}
        )
    export.rows_total = total
    export.save()
    record_audit(
        actor=by,
        organisation=organisation,
        action=f"{found.audit_prefix}.request",
        obj=export,
        summary=f"{found.describe(export)}: {file_format}, {total} {found.rows_word}",
    )
    enqueue_after_commit(RUN_EXPORT, export.pk)
    return export


def record_download(export: Export, *, by: User | None) -> None:
    """Audit that someone downloaded an export's file."""
    kind = get_kind(export.kind)
    record_audit(
        actor=by,
        organisation=export.organisation,
        action=f"{kind.audit_prefix}.download",
        obj=export,
        summary=(
            f"{kind.describe(export)}: {export.file_format}, {export.rows_done} {kind.rows_word}"
        ),
    )


def purge_expired_exports(now: datetime | None = None) -> int:
    """Erase the files of exports past their expiry; the rows stay (who exported what, when)."""
    moment = now or timezone.now()
    purged = 0
    expired = Export.objects.filter(expires_at__lte=moment).exclude(file="")
    for export in expired.only("pk", "file").iterator():
        name = export.file.name or ""
        if name and default_storage.exists(name):
            default_storage.delete(name)
        Export.objects.filter(pk=export.pk).update(file="")
        purged += 1
    return purged
