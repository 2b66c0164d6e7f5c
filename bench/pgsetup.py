"""Shared setup of the PostgreSQL benchmarks: an organisation with a published charter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

CHANNEL_MIX = [("phone", 0.7), ("email", 0.2), ("counter", 0.1)]


def organisation_with_charter(slug: str = "benchstad") -> Any:
    """Create an organisation with a charter measuring phone, e-mail and counter contacts."""
    from burgerlink.charters.models import Charter, CharterNorm, CharterVersion
    from burgerlink.core.models import Channel, Organisation

    organisation = Organisation.objects.create(
        kind="municipality", name="Gemeente Benchstad", slug=slug, inhabitants=150_000
    )
    charter = Charter.objects.create(organisation=organisation)
    version = CharterVersion.objects.create(
        charter=charter,
        organisation=organisation,
        number=1,
        status="published",
        valid_from=date(2020, 1, 1),
    )
    channels = {c.code: c for c in Channel.objects.all()}
    for code, channel, metric, threshold in (
        ("phone-answered", "phone", "elapsed_seconds", 25),
        ("email-answered", "email", "working_days", 2),
        ("counter-walk-in", "counter", "elapsed_minutes", 10),
    ):
        CharterNorm.objects.create(
            version=version,
            organisation=organisation,
            code=code,
            title_nl=code,
            promise_nl=code,
            channel=channels[channel],
            metric=metric,
            threshold=threshold,
            target_share=Decimal("0.8"),
        )
    return organisation
