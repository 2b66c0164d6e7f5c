"""/gezond/live and /gezond/klaar: what a load balancer sees, and each way readiness fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone

from burgerlink.core.models import WorkerHeartbeat

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def body(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def queue_in_database(settings: Any) -> None:
    """Tasks go to the database queue, so readiness asks for a worker's heartbeat."""
    settings.TASKS = DATABASE_QUEUE
    settings.WORKER_HEARTBEAT_MAX_AGE = 60


@pytest.fixture
def live_worker(db: None) -> WorkerHeartbeat:
    """A worker that beat a moment ago."""
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="app1", pid=4242, queues="default", started_at=now, seen_at=now
    )


def test_live_answers_without_touching_the_database() -> None:
    """No database fixture: any query here would fail the test (pytest-django blocks it)."""
    response = Client().get("/gezond/live")
    assert response.status_code == 200
    assert body(response) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_probes_skip_host_check_https_redirect_and_csrf(settings: Any, db: None) -> None:
    """A load balancer probes by address over HTTP, possibly with POST or HEAD."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["burgerlink.example.nl"]
    client = Client(enforce_csrf_checks=True)
    assert client.get("/gezond/live", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.post("/gezond/live", HTTP_HOST="10.0.0.7").status_code == 200
    assert client.head("/gezond/klaar", HTTP_HOST="10.0.0.7").status_code == 200
    # Ordinary pages still get the redirect and the host check.
    assert client.get("/", HTTP_HOST="burgerlink.example.nl").status_code == 301
    assert client.get("/", HTTP_HOST="10.0.0.7", secure=True).status_code == 400


@pytest.mark.usefixtures("queue_in_database", "live_worker")
def test_ready_when_database_migrations_and_worker_are_fine() -> None:
    response = Client().get("/gezond/klaar")
    assert response.status_code == 200
    assert body(response) == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
    }


@pytest.mark.usefixtures("queue_in_database")
def test_not_ready_when_the_latest_heartbeat_is_stale(live_worker: WorkerHeartbeat) -> None:
    WorkerHeartbeat.objects.filter(pk=live_worker.pk).update(
        seen_at=timezone.now() - timedelta(seconds=61)
    )
    response = Client().get("/gezond/klaar")
    assert response.status_code == 503
    assert body(response)["status"] == "unavailable"
    assert body(response)["checks"]["worker"] == "no recent heartbeat"


@pytest.mark.usefixtures("queue_in_database")
def test_not_ready_without_any_worker(db: None) -> None:
    response = Client().get("/gezond/klaar")
    assert response.status_code == 503
    assert body(response)["checks"]["worker"] == "no recent heartbeat"


def test_heartbeat_not_asked_when_tasks_run_inline(settings: Any, db: None) -> None:
    """With TASKS_BACKEND=immediate there is no queue, so no worker to wait for."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = Client().get("/gezond/klaar")
    assert response.status_code == 200
    assert body(response)["checks"]["worker"] == "ok"


def test_max_age_is_a_setting(settings: Any, live_worker: WorkerHeartbeat) -> None:
    settings.TASKS = DATABASE_QUEUE
    WorkerHeartbeat.objects.filter(pk=live_worker.pk).update(
        seen_at=timezone.now() - timedelta(seconds=200)
    )
    settings.WORKER_HEARTBEAT_MAX_AGE = 300
    assert Client().get("/gezond/klaar").status_code == 200
    settings.WORKER_HEARTBEAT_MAX_AGE = 100
    assert Client().get("/gezond/klaar").status_code == 503


@pytest.mark.usefixtures("queue_in_database", "live_worker")
def test_not_ready_with_an_unapplied_migration() -> None:
    """The database lacks the record of one migration the code has (rolled back by the test)."""
    recorder = MigrationRecorder(connections["default"])
    latest = recorder.migration_qs.filter(app="core").order_by("-name").first()
    assert latest is not None
    latest.delete()
    response = Client().get("/gezond/klaar")
    assert response.status_code == 503
    assert body(response)["checks"]["migrations"] == "1 unapplied"


@pytest.fixture
def unreachable_database() -> Iterator[str]:
    """A second database alias pointing at a closed port on this machine."""
    alias = "unreachable"
    config = dict(connections.settings["default"])
    config.update(
        ENGINE="django.db.backends.postgresql",
        NAME="burgerlink",
        USER="nobody",
        PASSWORD="",
        HOST="127.0.0.1",
        PORT="9",  # discard: nothing listens there
        OPTIONS={"connect_timeout": 2},
        TEST={"NAME": None, "MIRROR": None, "CHARSET": None, "COLLATION": None, "MIGRATE": False},
    )
    # Made like any connection, then kept only as an object: Django's test isolation lets a
    # connection that is in no settings through (it is "dynamically created").
    connections.settings[alias] = config
    connection = connections.create_connection(alias)
    del connections.settings[alias]
    connections[alias] = connection
    try:
        yield alias
    finally:
        connection.close()
        del connections[alias]


@pytest.mark.usefixtures("queue_in_database", "live_worker")
def test_not_ready_when_a_database_is_unreachable(settings: Any, unreachable_database: str) -> None:
    settings.HEALTH_CHECK_DATABASES = ["default", unreachable_database]
    response = Client().get("/gezond/klaar")
    assert response.status_code == 503
    checks = body(response)["checks"]
    assert checks["database"] == "ok"
    assert checks[f"database:{unreachable_database}"] == "unreachable"


def test_not_ready_when_the_main_database_is_unreachable(
    settings: Any, db: None, unreachable_database: str
) -> None:
    """Only the liveness check stays green; the other checks are not even tried."""
    settings.HEALTH_CHECK_DATABASES = [unreachable_database]
    response = Client().get("/gezond/klaar")
    assert response.status_code == 503
    assert body(response)["checks"] == {f"database:{unreachable_database}": "unreachable"}
    assert Client().get("/gezond/live").status_code == 200
