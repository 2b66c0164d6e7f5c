"""The export kit's background task (django-tasks): writing an export's file.

``services.request_export`` queues it after commit (``core.tasks``); the database backend runs
it in ``burgerlink db_worker``; under pytest it runs at once when the request's work commits.
"""

from __future__ import annotations

import time

from burgerlink.core.exports import jobs
from burgerlink.core.observability.metrics import EXPORT_DURATION
from burgerlink.core.tasks import task


@task()
def run_export(export_id: int) -> dict[str, object]:
    """Write the export's file; report its status and rows (and its duration to /metrics)."""
    started = time.perf_counter()
    export = jobs.run_export(export_id)
    if export is None:
        return {"status": "skipped"}
    EXPORT_DURATION.labels(kind=f"{export.kind}.{export.file_format}").observe(
        time.perf_counter() - started
    )
    return {"status": export.status, "rows": export.rows_done}
