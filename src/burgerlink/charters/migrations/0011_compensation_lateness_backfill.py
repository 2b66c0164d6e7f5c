"""Give existing register entries their record's dates and their lateness in the norm's unit.

Self-contained on purpose: it reads the historical models and builds the calendars from
``core.calendar`` (pure), the way ``core.selectors`` does, so later changes to the services
cannot change what this migration did.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models import OuterRef, Subquery

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SECONDS = {"seconds": 1, "minutes": 60, "calendar_days": 86_400, "weeks": 604_800}
METRIC_UNITS = {
    "elapsed_seconds": "seconds",
    "elapsed_minutes": "minutes",
    "working_days": "working_days",
    "calendar_days": "calendar_days",
    "weeks": "weeks",
}


def _calendar(apps: Any, organisation_id: int | None) -> Any:
    from burgerlink.core.calendar import Basis, Holiday, build_calendar

    days = [
        Holiday(row.date, "decree", row.name_nl, row.name_en, Basis.DECREE)
        for row in apps.get_model("core", "DecreeHoliday").objects.all()
    ]
    if organisation_id is None:
        return build_calendar(kind="legal", extra_days=days, statutory=True)
    closing = [
        Holiday(row.date, "closing_day", row.reason, row.reason, Basis.CLOSING_DAY)
        for row in apps.get_model("core", "ClosingDay").objects.filter(
            organisation_id=organisation_id
        )
    ]
    hours = set(
        apps.get_model("core", "OpeningHours")
        .objects.filter(organisation_id=organisation_id)
        .values_list("weekday", flat=True)
    )
    weekmask = tuple(day in hours for day in range(7)) if hours else (True,) * 5 + (False,) * 2
    return build_calendar(kind="organisation", extra_days=[*days, *closing], weekmask=weekmask)


def _lateness(seconds: int, unit: str, deadline: Any, calendar: Any) -> tuple[int, str]:
    if seconds <= 0:
        return 0, unit
    if unit == "working_days":
        if deadline is None:
            unit = "calendar_days"
        else:
            first: date = deadline.astimezone(AMSTERDAM).date()
            last: date = (deadline + timedelta(seconds=seconds - 1)).astimezone(AMSTERDAM).date()
            return max(1, calendar.working_days_between(first - timedelta(days=1), last)), unit
    return math.ceil(seconds / SECONDS[unit]), unit


def backfill(apps: Any, schema_editor: Any) -> None:
    entries = apps.get_model("charters", "CompensationEntry")
    for record_kind, model_name in (("contact", "Contact"), ("case", "Case")):
        record = apps.get_model("charters", model_name).objects.filter(
            organisation_id=OuterRef("organisation_id"), source_id=OuterRef("source_id")
        )
        entries.objects.filter(record_kind=record_kind, received_at__isnull=True).update(
            received_at=Subquery(record.values("received_at")[:1]),
            deadline=Subquery(record.values("deadline")[:1]),
        )
    calendars: dict[int | None, Any] = {}
    changed = []
    for entry in entries.objects.select_related("norm").iterator(chunk_size=2000):
        norm = entry.norm
        if norm.metric == "legal_term":
            unit = norm.term_unit or "calendar_days"
        else:
            unit = METRIC_UNITS.get(norm.metric, "calendar_days")
        key = None if norm.calendar == "legal" or norm.metric == "legal_term" else entry.organisation_id
        calendar = None
        if unit == "working_days":
            if key not in calendars:
                calendars[key] = _calendar(apps, key)
            calendar = calendars[key]
        entry.lateness, entry.lateness_unit = _lateness(
            entry.lateness_seconds, unit, entry.deadline, calendar
        )
        changed.append(entry)
    entries.objects.bulk_update(changed, ["lateness", "lateness_unit"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("charters", "0010_compensation_register_and_claim_codes")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
