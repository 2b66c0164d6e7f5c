"""Many people pressing at once: 200 confirmations of one signature count once, and 200
signings with one address give one signature (PostgreSQL, real concurrent connections)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from burgerlink.core.models import Organisation, User
from burgerlink.participation.models import Petition, Signature
from burgerlink.participation.petitions import counting, services
from tests.participation.petitions.conftest import last_token, publish, sign, start

PRESSES = 200
WORKERS = 20  # connections at once (PostgreSQL's default limit is 100)


def _concurrently(task: Any) -> Counter[str]:
    def run(_n: int) -> str:
        try:
            return str(task())
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return Counter(pool.map(run, range(PRESSES)))


def _sqlite_is_one_writer() -> bool:
    if connection.vendor == "postgresql":
        return False
    # On SQLite every write transaction begins IMMEDIATE (one writer at a time): presses cannot
    # interleave, and the sequential tests in test_services cover the outcome.
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    return True


@pytest.fixture
def open_petition(amstelstad: Organisation, petra_participation: User) -> Petition:
    """A published petition, committed for real (other connections must see it)."""
    return publish(start(amstelstad), petra_participation)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_200_confirmations_at_once_count_once(open_petition: Petition) -> None:
    if _sqlite_is_one_writer():
        return
    sign(open_petition, "anna@example.org")
    token = last_token()
    outcomes = _concurrently(lambda: services.confirm_signature(token=token))
    assert outcomes == Counter({"confirmed": 1, "already": PRESSES - 1})
    counting.recount(open_petition.pk)
    open_petition.refresh_from_db()
    assert open_petition.signature_count == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_200_signings_with_one_address_give_one_signature(open_petition: Petition) -> None:
    if _sqlite_is_one_writer():
        return
    spellings = ["anna.devries@gmail.com", "AnnaDeVries@gmail.com", "anna.de.vries+x@gmail.com"]
    counter = iter(range(PRESSES * 2))

    def press() -> services.SignOutcome:
        n = next(counter)
        return sign(open_petition, spellings[n % 3], client_ip=f"10.0.{n // 250}.{n % 250}")

    outcomes = _concurrently(press)
    assert outcomes == Counter({"mailed": PRESSES})
    assert Signature.objects.filter(petition=open_petition).count() == 1
