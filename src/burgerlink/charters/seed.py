"""Seed the model-norm library from ``charters/data/model_norms.csv`` (only what is missing)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "model_norms.csv"


def seed_model_norms(apps: Any) -> None:
    """Create the model norms that do not exist yet; never overwrite operator edits."""
    model_norm = apps.get_model("charters", "ModelNorm")
    channel_model = apps.get_model("core", "Channel")
    channels = {channel.code: channel for channel in channel_model.objects.all()}
    existing = set(model_norm.objects.values_list("code", flat=True))
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    model_norm.objects.bulk_create(
        model_norm(
            code=row["code"],
            channel=channels.get(row["channel"]) if row["channel"] else None,
            case_type=row["product"],
            metric=row["metric"],
            threshold=Decimal(row["threshold"]),
            term_unit=row["term_unit"],
            target_share=Decimal(row["target_share"]),
            title_nl=row["title_nl"],
            title_en=row["title_en"],
            starts_nl=row["starts_nl"],
            starts_en=row["starts_en"],
            stops_nl=row["stops_nl"],
            stops_en=row["stops_en"],
            conditions_nl=row["conditions_nl"],
            conditions_en=row["conditions_en"],
            bsc_norms=[int(n) for n in row["bsc_norms"].split(";") if n],
            compensation_nl=row["compensation_nl"],
            compensation_en=row["compensation_en"],
            seen_at=row["seen_at"],
        )
        for row in rows
        if row["code"] not in existing
    )
