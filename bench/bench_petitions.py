"""Signing petitions on PostgreSQL: the sign+confirm write path, and the same through HTTP.

``petitions.sign_confirm`` times the services a signature goes through (``sign_petition``: the
rate-limit counts, the address rules, the insert and the confirmation mail; then
``confirm_signature``: the conditional update and the throttled recount request) for new
addresses on one petition, against a bare ``INSERT`` of a comparable row per signature into a
table without keys or indexes, in autocommit (one transaction per signature, as each signing
is). ``petitions.sign_http`` posts the signing form and then the confirm button through Django's
test ``Client`` (the whole middleware stack, forms, templates, mail), against POSTs to a trivial
view through the same client. This module is the URLconf of the run, like ``bench_api``.

Mail goes to Django's in-memory backend (emptied before every sample); every signer has an
address of their own at a large provider, so the rate limits count as in real traffic; recounts
queue as in production (at most one per five seconds). The database is ``BENCH_DATABASE_URL`` (default ``burgerlink_bench`` on the local
server), dropped and created by the harness.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from harness import Benchmark, Case, Goal, setup_django_postgres

BASELINE_PATH = "/__bench__/baseline"
LINK = re.compile(r"/petities/bevestigen/([\w-]+)/")
urlpatterns: list[Any] = []


def baseline_view(request: Any) -> Any:
    """Answer a POST with a small page, without touching the database."""
    from django.http import HttpResponse

    return HttpResponse(b"<p>ok</p>")


def _ip(n: int) -> str:
    """A different private address per signer (never contacted), as in real traffic."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def _petition() -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from burgerlink.core.models import Organisation
    from burgerlink.participation.models import Petition

    organisation = Organisation.objects.create(
        kind="municipality", name="Gemeente Benchstad", slug="benchstad", inhabitants=150_000
    )
    return Petition.objects.create(
        organisation=organisation,
        title="Een zebrapad bij de school",
        text="Graag een zebrapad.",
        petitioner_name="Bench",
        author_token_hash="0" * 64,  # no status page in the benchmark
        moderation_state="published",
        closes_on=timezone.localdate() + timedelta(days=30),
    )


def benchmarks(quick: bool) -> Iterator[Benchmark]:
    """Yield the service-level and the HTTP benchmark of signing and confirming."""
    setup_django_postgres()
    from django.core import mail
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import include, path

    from burgerlink.participation.models import Signature
    from burgerlink.participation.petitions import services
    from burgerlink.participation.petitions.forms import timing_stamp

    urlpatterns[:] = [
        path(BASELINE_PATH.lstrip("/"), baseline_view),
        path("", include("burgerlink.urls")),
    ]
    setup_test_environment()  # the in-memory mail outbox
    petition = _petition()
    batch = 50 if quick else 200
    numbers = itertools.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare_signature (petition_id bigint, "
            "name text, email text, place text, created_at timestamptz)"
        )

    overrides = override_settings(
        DEBUG=False,
        ROOT_URLCONF=__name__,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PETITION_FORM_MIN_SECONDS=0,
        PAGE_CACHE_SECONDS=0,
    )
    overrides.enable()
    try:

        def empty_outbox() -> None:
            mail.outbox = []

        def sign_confirm() -> None:
            for _ in range(batch):
                n = next(numbers)
                outcome = services.sign_petition(
                    petition=petition,
                    name="Anna de Vries",
                    show_name=False,
                    email=f"s{n}@gmail.com",
                    place="Benchstad",
                    language="nl",
                    client_ip=_ip(n),
                    base_url="http://bench.example/",
                )
                token = LINK.search(mail.outbox[-1].body)
                assert outcome == services.SignOutcome.MAILED and token is not None  # noqa: S101
                services.confirm_signature(token=token.group(1))

        def bare_insert() -> None:
            with connection.cursor() as cursor:
                for _ in range(batch):
                    n = next(numbers)
                    cursor.execute(
                        "INSERT INTO bench_bare_signature VALUES (%s, %s, %s, %s, now())",
                        [petition.pk, "Anna de Vries", f"b{n}@voorbeeld.nl", "Benchstad"],
                    )

        # Check once, before timing, that one round does what it says.
        empty_outbox()
        sign_confirm()
        confirmed = Signature.objects.filter(confirmed_at__isnull=False).count()
        if confirmed != batch:
            raise RuntimeError(f"{confirmed} signatures confirmed, {batch} expected")
        yield Benchmark(
            name="petitions.sign_confirm",
            measures=f"sign_petition + confirm_signature of {batch} new addresses (PostgreSQL)",
            candidate=Case("sign + confirm (services)", sign_confirm, setup=empty_outbox),
            baseline=Case("bare INSERT per signature (autocommit)", bare_insert),
            goal=Goal.at_least(0.25),
            rows=batch,
            unit="signatures",
            ratio_of="throughput",
            notes="Issue 11's goal: at least 1,000 signatures/s for the write path on this machine.",
        )

        client = Client()
        sign_path = f"/organisaties/benchstad/petities/{petition.pk}/tekenen/"
        stamp = timing_stamp(0)  # long ago: a person took their time

        def sign_http() -> None:
            for _ in range(batch):
                n = next(numbers)
                response = client.post(
                    sign_path,
                    {
                        "name": "Anna de Vries",
                        "show_name": "0",
                        "email": f"h{n}@gmail.com",
                        "place": "Benchstad",
                        "started": stamp,
                    },
                    REMOTE_ADDR=_ip(n),
                )
                token = LINK.search(mail.outbox[-1].body)
                assert response.status_code == 200 and token is not None  # noqa: S101
                client.post(f"/petities/bevestigen/{token.group(1)}/")

        def baseline_http() -> None:
            for _ in range(batch * 2):
                client.post(BASELINE_PATH, {"name": "Anna"})

        empty_outbox()
        sign_http()
        yield Benchmark(
            name="petitions.sign_http",
            measures=f"POST signing form + POST confirm for {batch} new addresses, test Client",
            candidate=Case("sign + confirm (two POSTs)", sign_http, setup=empty_outbox),
            baseline=Case(f"two POSTs to {BASELINE_PATH} (trivial view)", baseline_http),
            goal=Goal.at_least(0.5),
            rows=batch,
            unit="signatures",
            ratio_of="throughput",
            notes="Issue 11's goal: at least half the throughput of a minimal Django view.",
        )
    finally:
        overrides.disable()
