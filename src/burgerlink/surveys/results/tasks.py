"""Background tasks of the results area (django-tasks): writing an export's file.

The database backend runs them in ``burgerlink db_worker``; under pytest they run at once.
"""

from __future__ import annotations

from django_tasks import task

from burgerlink.surveys.results import services


@task()
def run_export(export_id: int) -> dict[str, object]:
    """Write the export's file; report its status and rows."""
    export = services.run_export(export_id)
    if export is None:
        return {"status": "skipped"}
    return {"status": export.status, "rows": export.rows_done}
