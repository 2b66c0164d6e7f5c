"""Background work of the records area."""

from __future__ import annotations

from datetime import date

from burgerlink.charters.records.remeasure import remeasure_organisation
from burgerlink.core.models import Organisation
from burgerlink.core.tasks import task


@task()
def remeasure_records(organisation_id: int, since: str) -> int:
    """Measure an organisation's records from ``since`` (ISO date) on again."""
    organisation = Organisation.objects.get(pk=organisation_id)
    return remeasure_organisation(organisation, since=date.fromisoformat(since))
