"""What an app's export views need: the audited download and the rows of a status list.

The app keeps its own URLs (and ``staff_view`` for tenancy); its views stay thin:

* the download view finds the export with ``selectors.export_of`` and returns
  ``download_response(export, by=user)``: audited, ``Cache-Control: no-store``, an attachment;
* the page and its status fragment render ``web/includes/export_status.html`` with
  ``status_context(...)``: while an export runs the fragment asks for itself again every few
  seconds (htmx, no inline script); without JavaScript a link reloads the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone

from burgerlink.core.exports import services
from burgerlink.core.exports.jobs import download_name
from burgerlink.core.exports.registry import get_kind
from burgerlink.core.exports.selectors import is_downloadable
from burgerlink.core.exports.writers import CONTENT_TYPES
from burgerlink.core.models import Export, ExportStatus, User
from burgerlink.core.permissions import has_perm

POLL_SECONDS = 2


def download_response(export: Export, *, by: User | None) -> FileResponse:
    """The export's file as an attachment, never cached; the download is audited.

    ``Http404`` when the file is not (or no longer) there; ``PermissionDenied`` when ``by``
    lacks the kind's permission.
    """
    kind = get_kind(export.kind)
    if by is None or not has_perm(by, kind.permission, export.organisation):
        raise PermissionDenied("Your role does not allow this export")
    if not is_downloadable(export):
        raise Http404("Export file not found")
    services.record_download(export, by=by)
    handle = default_storage.open(export.file.name or "", "rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(export),
        content_type=CONTENT_TYPES[export.file_format],
    )
    response["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class ExportRow:
    """One export in a status list, with where to download it (empty until it can be)."""

    export: Export
    download_url: str

    @property
    def percent(self) -> int:
        """Rows done as a whole percentage of the total (0 when the total is unknown)."""
        total = self.export.rows_total
        return 0 if not total else min(100, self.export.rows_done * 100 // total)


def status_rows(
    exports: Iterable[Export],
    download_url: Callable[[Export], str],
    *,
    now: datetime | None = None,
) -> list[ExportRow]:
    """The exports as rows of a status list; finished, unexpired ones with a download link."""
    moment = now or timezone.now()
    rows = []
    for export in exports:
        ready = (
            export.status == ExportStatus.DONE
            and bool(export.file)
            and (export.expires_at is None or export.expires_at > moment)
        )
        rows.append(ExportRow(export, download_url(export) if ready else ""))
    return rows


def status_context(
    exports: Iterable[Export],
    *,
    download_url: Callable[[Export], str],
    status_url: str,
    refresh_url: str,
    caption: str,
    nouns: tuple[str, str],
) -> dict[str, Any]:
    """The context of ``web/includes/export_status.html`` (as ``export_status``).

    ``nouns`` name one row and several rows in the progress text ("respons", "responsen").
    """
    rows = status_rows(exports, download_url)
    return {
        "export_status": {
            "rows": rows,
            "singular": nouns[0],
            "plural": nouns[1],
            "active": any(row.export.is_active for row in rows),
            "status_url": status_url,
            "refresh_url": refresh_url,
            "caption": caption,
            "poll": f"every {POLL_SECONDS}s",
        }
    }
