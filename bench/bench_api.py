"""Public API throughput through Django's test ``Client``, against a trivial JSON view.

Django runs in-process on SQLite in a temporary directory (``harness.setup_django``), with
``DEBUG`` off as in production. This module is also the URLconf of the run: it serves a trivial
view at ``/__bench__/baseline`` and includes the project's ``burgerlink.urls`` for the rest, so
the candidate and the baseline go through the same middleware stack, the same URL resolver and
the same client; the only difference is the view.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness import Benchmark, Case, Goal, setup_django

BASELINE_PATH = "/__bench__/baseline"
ORGANISATIONS = 50
ENDPOINTS = {
    "api.legal_holidays": "/api/v1/calendars/legal/holidays?year=2026",
    "api.organisations": "/api/v1/organisations",
}

NOTES = {
    "api.legal_holidays": "Goal 5× = at least a fifth of the trivial view's requests per second.",
    "api.organisations": f"{ORGANISATIONS} organisations seeded; goal as for api.legal_holidays.",
}

# Filled in by ``benchmarks`` once Django is set up (``include`` imports the project's URLconf).
urlpatterns: list[Any] = []


def baseline_view(request: Any) -> Any:
    """Return a small JSON document without touching the database."""
    from django.http import HttpResponse

    return HttpResponse(b'{"status": "ok", "version": 1}', content_type="application/json")


def _seed_organisations(count: int) -> None:
    """Create ``count`` municipalities so that the organisation list is not empty."""
    from burgerlink.core.models import Organisation, OrganisationKind

    for number in range(1, count + 1):
        Organisation.objects.create(
            kind=OrganisationKind.MUNICIPALITY,
            name=f"Gemeente Benchstad {number:03d}",
            slug=f"benchstad-{number:03d}",
            official_code=f"GM9{number:03d}",
            inhabitants=5_000 * number,
            website=f"https://benchstad-{number:03d}.example.nl",
        )


def benchmarks(quick: bool) -> Iterator[Benchmark]:
    """Yield one benchmark per public endpoint, each with its own interleaved baseline."""
    data_dir = setup_django()
    from django.test import Client, override_settings
    from django.urls import include, path

    urlpatterns[:] = [
        path(BASELINE_PATH.lstrip("/"), baseline_view),
        path("", include("burgerlink.urls")),
    ]
    _seed_organisations(ORGANISATIONS)
    # An empty STATIC_ROOT spares WhiteNoise's "No directory" warning; nothing else changes.
    static_root = data_dir / "static"
    static_root.mkdir(exist_ok=True)
    with override_settings(DEBUG=False, ROOT_URLCONF=__name__, STATIC_ROOT=static_root):
        client = Client()
        for url in (BASELINE_PATH, *ENDPOINTS.values()):
            response = client.get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith(
                "application/json"
            ):
                raise RuntimeError(f"GET {url} answered {response.status_code}, not JSON 200")
        listed = len(client.get(ENDPOINTS["api.organisations"]).json())
        if listed != ORGANISATIONS:
            raise RuntimeError(f"{listed} organisations listed, {ORGANISATIONS} seeded")

        def baseline() -> object:
            return client.get(BASELINE_PATH)

        for name, url in ENDPOINTS.items():

            def candidate(url: str = url) -> object:
                return client.get(url)

            yield Benchmark(
                name=name,
                measures=f"GET {url} through the test Client (full middleware, SQLite)",
                candidate=Case(f"GET {url}", candidate),
                baseline=Case(f"GET {BASELINE_PATH} (trivial JSON view)", baseline),
                goal=Goal.at_most(5.0),
                rows=1,
                unit="requests",
                warmup=5,
                notes=NOTES[name],
            )
