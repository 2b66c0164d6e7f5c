"""The public compliance dashboard as a browser loads it: the page and its eight trend charts.

Django runs in-process on SQLite in a temporary directory (``harness.setup_django``) with
``DEBUG`` off, as ``bench_api`` does; this module is the URLconf of the run, adding a trivial
HTML view beside the project's URLs, so candidate and baseline pass through the same middleware
stack, URL resolver and test client.

One load is what a browser asks for: the dashboard page, then the eight chart images it links
to (``grafiek/<norm>.svg``), one request each. An organisation with eight norms (one per
channel) and two years of monthly figures (``ComplianceMonth``) is seeded.

* ``dashboard.cold``: every load starts with an empty cache (after an import, or the first
  visitor of the day): the page is rendered and every chart drawn (matplotlib).
* ``dashboard.warm``: the cache is kept, as for every later visitor until the data changes: the
  page and each chart come from the cache by data version.

Baseline: nine requests (as many as one load) of a trivial HTML view without database access.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from harness import Benchmark, Case, Goal, setup_django

BASELINE_PATH = "/__bench__/pagina"
SLUG = "benchstad"
DASHBOARD = f"/organisaties/{SLUG}/dienstverlening/"
CHANNELS = (
    "phone",
    "email",
    "counter",
    "letter",
    "web_form",
    "social_media",
    "chat",
    "public_space_report",
)
MONTHS = 24

# Filled in by ``benchmarks`` once Django is set up (``include`` imports the project's URLconf).
urlpatterns: list[Any] = []


def baseline_view(request: Any) -> Any:
    """Return a small HTML page without touching the database."""
    from django.http import HttpResponse

    return HttpResponse(b"<!DOCTYPE html><title>ok</title><p>ok</p>", content_type="text/html")


def seed() -> None:
    """An organisation with a charter of eight norms and two years of monthly figures."""
    from burgerlink.charters.models import (
        Charter,
        CharterNorm,
        CharterVersion,
        ComplianceMonth,
    )
    from burgerlink.core.models import Channel, Organisation
    from burgerlink.core.periods import add_months

    organisation = Organisation.objects.create(
        kind="municipality", name="Gemeente Benchstad", slug=SLUG, inhabitants=150_000
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
    months = [add_months(date(2024, 1, 1), n) for n in range(MONTHS)]
    figures = []
    for position, code in enumerate(CHANNELS):
        CharterNorm.objects.create(
            version=version,
            organisation=organisation,
            code=code,
            title_nl=f"Norm {code}",
            promise_nl=f"Wij beloven {code}.",
            channel=channels[code],
            metric="working_days",
            threshold=Decimal(2),
            target_share=Decimal("0.8"),
            position=position,
        )
        for index, month in enumerate(months):
            total = 1_000 + 37 * index + position
            met = total * (70 + (index + position) % 25) // 100
            figures.append(
                ComplianceMonth(
                    organisation=organisation,
                    norm_code=code,
                    record_kind="contact",
                    period=month,
                    total=total,
                    met=met,
                    missed=total - met,
                    open=0,
                )
            )
    ComplianceMonth.objects.bulk_create(figures)


def benchmarks(quick: bool) -> Iterator[Benchmark]:
    """Yield the cold and the warm load of the dashboard, each against nine trivial pages."""
    data_dir = setup_django()
    from django.core.cache import cache
    from django.test import Client, override_settings
    from django.urls import include, path

    urlpatterns[:] = [
        path(BASELINE_PATH.lstrip("/"), baseline_view),
        path("", include("burgerlink.urls")),
    ]
    seed()
    static_root = data_dir / "static"
    static_root.mkdir(exist_ok=True)
    with override_settings(
        DEBUG=False, ROOT_URLCONF=__name__, STATIC_ROOT=static_root, PAGE_CACHE_SECONDS=300
    ):
        client = Client()
        page = client.get(DASHBOARD)
        if page.status_code != 200:
            raise RuntimeError(f"GET {DASHBOARD} answered {page.status_code}")
        charts = sorted(
            set(re.findall(r'src="([^"]+\.svg\?periode=[^"]+)"', page.content.decode()))
        )
        if len(charts) != len(CHANNELS):
            raise RuntimeError(f"the dashboard links {len(charts)} charts, not {len(CHANNELS)}")

        def load() -> None:
            responses = [client.get(DASHBOARD), *(client.get(url) for url in charts)]
            if any(response.status_code != 200 for response in responses):
                raise RuntimeError("a request of the dashboard failed")

        def baseline() -> None:
            for _ in range(1 + len(charts)):
                client.get(BASELINE_PATH)

        common: dict[str, Any] = {
            "baseline": Case(f"{1 + len(charts)} × GET {BASELINE_PATH} (trivial HTML)", baseline),
            "rows": 1,
            "unit": "loads",
            "warmup": 2,
        }
        yield Benchmark(
            name="dashboard.cold",
            measures=(
                f"GET {DASHBOARD} and its {len(charts)} charts, cache emptied before each load "
                f"({len(CHANNELS)} norms, {MONTHS} months of figures, SQLite)"
            ),
            candidate=Case("dashboard + charts, empty cache", load, setup=cache.clear),
            goal=None,
            notes="Information: what the first visitor after an import waits for.",
            **common,
        )
        yield Benchmark(
            name="dashboard.warm",
            measures=f"GET {DASHBOARD} and its {len(charts)} charts, cache kept",
            candidate=Case("dashboard + charts, cached by data version", load),
            goal=Goal.at_most(10.0),
            notes=(
                "Goal 10× = a cached load (page from the page cache, each chart one data-version "
                "read and a cache hit) costs at most ten times nine trivial pages."
            ),
            **common,
        )
