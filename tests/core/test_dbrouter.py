"""The database router: which query goes to the replica, and falling back to the primary.

The replica here is a second connection alias to the test database (a real, separate
connection), added for the test only: without ``DATABASE_REPLICA_URL`` everything goes to
``default``. The test that reads rows through it commits them first (``transaction=True``),
because the replica only sees what the primary committed; the reference data of the migrations is
put back after it (``serialized_rollback``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from burgerlink.core import dbrouter
from burgerlink.core.dbrouter import REPLICA, ReplicaHealth, read_alias, replica_reads
from burgerlink.core.models import Organisation, OrganisationKind
from tests.conftest import make_user

# A mirror of the test database under its own alias; the router uses it only in these tests.
ALIAS = "test_replica"


def _replica_settings() -> dict[str, Any]:
    settings_dict = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings_dict["TEST"] = {**settings_dict["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
    if settings_dict["ENGINE"].endswith("sqlite3"):
        # A reader: the shared in-memory test database refuses a second connection's journal
        # pragma and immediate transactions while the test's own transaction writes.
        settings_dict["OPTIONS"] = {
            k: v
            for k, v in settings_dict["OPTIONS"].items()
            if k not in {"init_command", "transaction_mode"}
        }
    return settings_dict


connections.settings.setdefault(ALIAS, _replica_settings())
pytestmark = pytest.mark.django_db(databases=[DEFAULT_DB_ALIAS, ALIAS])


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """The router's replica: a second, separate connection to the test database."""
    settings_dict = connections[ALIAS].settings_dict
    saved = dict(settings_dict)
    monkeypatch.setattr(dbrouter, "REPLICA", ALIAS)
    dbrouter.health.forget()
    yield settings_dict
    replica = connections[ALIAS]
    if replica.in_atomic_block:
        # Nothing was written through the replica: no constraints to check at the end of the
        # test (on SQLite that check would wait for the test's own writes on the primary).
        transaction.set_rollback(True, using=ALIAS)
    replica.close()
    settings_dict.update(saved)
    dbrouter.health.forget()


def _unreachable(settings_dict: dict[str, Any]) -> None:
    """Point the alias at a server that is not there (a closed port, a missing directory)."""
    if settings_dict["ENGINE"].endswith("postgresql"):
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", "1"
    else:
        settings_dict["NAME"] = "/nonexistent-burgerlink-dir/replica.sqlite3"
    connections[ALIAS].close()


@pytest.fixture
def amstelstad_on_primary() -> Organisation:
    """An organisation on the primary."""
    return Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY,
        name="Gemeente Amstelstad",
        slug="amstelstad",
        official_code="GM9901",
        inhabitants=152_000,
    )


def _queries(client: Client, path: str, **extra: Any) -> tuple[int, int, int]:
    """Status of GET ``path``, and the queries it ran on the primary and on the replica."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[ALIAS]) as replica,
    ):
        response = client.get(path, **extra)
    return response.status_code, len(primary), len(replica)


def test_without_a_replica_every_read_goes_to_default() -> None:
    assert REPLICA not in connections.settings  # the test settings name no replica
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS
        assert Organisation.objects.all().db == DEFAULT_DB_ALIAS


def test_reads_go_to_the_replica_only_in_a_lag_tolerant_scope(replica: dict[str, Any]) -> None:
    assert Organisation.objects.all().db == DEFAULT_DB_ALIAS
    with replica_reads():
        assert Organisation.objects.all().db == ALIAS
        with replica_reads(allowed=False):
            assert Organisation.objects.all().db == DEFAULT_DB_ALIAS


def test_writes_and_reads_inside_a_transaction_stay_on_the_primary(
    replica: dict[str, Any],
) -> None:
    with replica_reads():
        organisation = Organisation.objects.create(
            kind=OrganisationKind.MUNICIPALITY, name="Gemeente Rijnwaard", slug="rijnwaard"
        )
        assert organisation._state.db == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert Organisation.objects.all().db == DEFAULT_DB_ALIAS
            assert Organisation.objects.get(slug="rijnwaard") == organisation


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=[DEFAULT_DB_ALIAS, ALIAS]
)
def test_anonymous_public_pages_the_public_api_and_benchmarks_read_from_the_replica(
    replica: dict[str, Any],
) -> None:
    Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY, name="Gemeente Amstelstad", slug="amstelstad"
    )
    for path in [
        "/organisaties/amstelstad/",
        "/api/v1/norms",
        "/api/v1/organisations",
        "/burgerservicecode/",
        "/benchmark/",
    ]:
        status, on_primary, on_replica = _queries(Client(), path)

        assert status == 200, path
        assert on_replica > 0, path
        assert on_primary == 0, path


def test_signed_in_staff_and_respondents_read_from_the_primary(
    replica: dict[str, Any], amstelstad_on_primary: Organisation
) -> None:
    client = Client()
    client.force_login(make_user("kees_kwaliteit"))
    status, on_primary, on_replica = _queries(client, "/organisaties/amstelstad/")
    assert (status, on_replica) == (200, 0)
    assert on_primary > 0

    status, on_primary, on_replica = _queries(Client(), "/enquete/geen-geldige-code/")
    assert status == 404
    assert on_replica == 0


def test_a_claim_form_and_api_calls_with_a_token_read_from_the_primary(
    replica: dict[str, Any], amstelstad_on_primary: Organisation
) -> None:
    _, _, on_replica = _queries(Client(), "/organisaties/amstelstad/compensatie/")
    assert on_replica == 0
    _, _, on_replica = _queries(Client(), "/api/v1/me", HTTP_AUTHORIZATION="Bearer bl_nothing")
    assert on_replica == 0


def test_an_unreachable_replica_sends_reads_to_the_primary(
    replica: dict[str, Any], amstelstad_on_primary: Organisation
) -> None:
    _unreachable(replica)

    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        response = Client().get("/organisaties/amstelstad/")

    assert response.status_code == 200
    assert len(primary) > 0
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS


def test_a_replica_that_fails_during_a_request_is_no_error_page(
    replica: dict[str, Any], amstelstad_on_primary: Organisation
) -> None:
    with replica_reads():
        assert read_alias() == ALIAS  # healthy at its last check, remembered for a while
    _unreachable(replica)

    response = Client().get("/organisaties/amstelstad/")

    assert response.status_code == 200
    assert "Gemeente Amstelstad" in response.content.decode()
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS  # marked down until the next check


def test_a_lagging_replica_is_left_alone(
    replica: dict[str, Any], amstelstad_on_primary: Organisation, settings: Any
) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = 10
    settings.REPLICA_LAG_SQL = "SELECT 3600"

    status, on_primary, on_replica = _queries(Client(), "/organisaties/amstelstad/")

    assert status == 200
    assert on_primary > 0
    assert on_replica == 1  # only the lag check itself


def test_a_lag_query_that_fails_counts_as_down(replica: dict[str, Any], settings: Any) -> None:
    settings.REPLICA_LAG_SQL = "SELECT no_such_function_burgerlink()"
    assert ReplicaHealth().usable() is False


def test_the_lag_of_a_current_server_is_zero(replica: dict[str, Any]) -> None:
    # The real lag query of the vendor: a server that is not a lagging replica has no lag.
    assert ReplicaHealth().lag() == 0
    assert ReplicaHealth().usable() is True


def test_the_health_check_is_remembered_for_the_check_interval(
    replica: dict[str, Any], settings: Any
) -> None:
    settings.REPLICA_CHECK_SECONDS = 5
    now = [100.0]
    health = ReplicaHealth(clock=lambda: now[0])

    with CaptureQueriesContext(connections[ALIAS]) as asked:
        assert health.usable()
        settings.REPLICA_LAG_SQL = "SELECT 3600"
        now[0] += 4
        assert health.usable()  # not asked again yet
        now[0] += 2
        assert not health.usable()  # asked again: lags now

    assert len(asked) == 2


def test_only_the_primary_is_migrated() -> None:
    router = dbrouter.ReplicaRouter()
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "core")
    assert not router.allow_migrate(REPLICA, "core")
    assert not router.allow_migrate(ALIAS, "core")
    assert settings.DATABASE_ROUTERS == ["burgerlink.core.dbrouter.ReplicaRouter"]
