"""Seed the operator-maintained reference data from the files in ``core/data``.

Used by a data migration (so every database starts with the code, the catalogues and the decree
days) and by ``burgerlink seed`` to top them up. Seeding only adds what is missing: it never
overwrites what an operator has edited since.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from burgerlink.core.calendar.atw import decree_pattern

DATA_DIR = Path(__file__).resolve().parent / "data"
DECREE_SEED_YEARS = range(1990, 2101)
DECREE_SEED_REFERENCE = "patroon (door de beheerder te bevestigen per besluit)"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_code(apps: Any) -> None:
    """Create version 2.1 of the BurgerServiceCode with its checklist, unless it exists."""
    norm_set_model = apps.get_model("core", "NormSet")
    norm_model = apps.get_model("core", "Norm")
    item_model = apps.get_model("core", "ChecklistItem")
    data = json.loads((DATA_DIR / "bsc_2_1.json").read_text(encoding="utf-8"))
    if norm_set_model.objects.filter(version=data["version"]).exists():
        return
    norm_set = norm_set_model.objects.create(
        version=data["version"],
        title=data["title"],
        notes=data["notes"],
        status="published",
        published_at=datetime(2005, 1, 1, tzinfo=UTC),
    )
    for entry in data["norms"]:
        norm = norm_model.objects.create(
            norm_set=norm_set,
            **{key: value for key, value in entry.items() if key != "checklist"},
        )
        for position, (text_nl, text_en) in enumerate(entry["checklist"], start=1):
            item_model.objects.create(
                norm=norm, position=position, text_nl=text_nl, text_en=text_en
            )


def seed_catalogues(apps: Any) -> None:
    """Create the themes, agencies, life events with chains and channels that are missing."""
    theme_model = apps.get_model("core", "Theme")
    agency_model = apps.get_model("core", "Agency")
    event_model = apps.get_model("core", "LifeEvent")
    link_model = apps.get_model("core", "ChainLink")
    channel_model = apps.get_model("core", "Channel")

    for row in _rows("agencies.csv"):
        agency_model.objects.get_or_create(
            code=row["code"],
            defaults={"name_nl": row["name_nl"], "name_en": row["name_en"], "kind": row["kind"]},
        )
    agencies = {agency.code: agency for agency in agency_model.objects.all()}
    themes: dict[str, Any] = {}
    for position, row in enumerate(_rows("life_events.csv")):
        theme = themes.get(row["theme_code"])
        if theme is None:
            theme, _ = theme_model.objects.get_or_create(
                code=row["theme_code"],
                defaults={
                    "name_nl": row["theme_nl"],
                    "name_en": row["theme_en"],
                    "position": len(themes),
                },
            )
            themes[row["theme_code"]] = theme
        event, created = event_model.objects.get_or_create(
            code=row["event_code"],
            defaults={
                "theme": theme,
                "name_nl": row["event_nl"],
                "name_en": row["event_en"],
                "position": position,
            },
        )
        if created:
            for place, code in enumerate(row["chain"].split(";")):
                link_model.objects.create(life_event=event, agency=agencies[code], position=place)
    for position, row in enumerate(_rows("channels.csv")):
        channel_model.objects.get_or_create(
            code=row["code"],
            defaults={"name_nl": row["name_nl"], "name_en": row["name_en"], "position": position},
        )


def seed_decree_days(apps: Any) -> None:
    """Add the usual decree days (Atw art. 3 lid 3) for years that have none yet."""
    decree_model = apps.get_model("core", "DecreeHoliday")
    years_present = {day.year for day in decree_model.objects.values_list("date", flat=True)}
    decree_model.objects.bulk_create(
        [
            decree_model(
                date=holiday.date,
                name_nl=holiday.name_nl,
                name_en=holiday.name_en,
                reference=DECREE_SEED_REFERENCE,
            )
            for year in DECREE_SEED_YEARS
            if year not in years_present
            for holiday in decree_pattern(year)
        ]
    )


def seed_all(apps: Any) -> None:
    """Seed every kind of reference data."""
    seed_code(apps)
    seed_catalogues(apps)
    seed_decree_days(apps)
