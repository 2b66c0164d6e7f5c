"""Writes of the results area: requesting an export of a wave's responses, and the
organisation's analysis settings.

The export itself is the export kit's (``core.exports``): it queues and runs the job, and
audits the request and every download (an export holds response-level data, even without
names). The surveys only say what a wave's export holds (``exports.KIND``).
"""

from __future__ import annotations

from django.db import transaction

from burgerlink.core.exports import services as export_services
from burgerlink.core.models import Export, Organisation, User
from burgerlink.core.services import record_audit
from burgerlink.surveys.models import AnalysisSettings, Wave
from burgerlink.surveys.results import exports


def request_export(wave: Wave, file_format: str, *, by: User | None) -> Export:
    """Queue an export of the wave's completed responses; it is made in the background."""
    return export_services.request_export(
        organisation=wave.organisation,
        kind=exports.RESPONSES,
        subject=str(wave.pk),
        file_format=file_format,
        by=by,
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
