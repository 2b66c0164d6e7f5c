"""Liveness and readiness for load balancers: ``/gezond/live`` and ``/gezond/klaar``.

Liveness only says the process answers (no database: a database outage must not make an
orchestrator restart every app server). Readiness says this server can do its work: every
database in ``HEALTH_CHECK_DATABASES`` answers, every migration the code knows is applied, and a
``burgerlink db_worker`` has sent a heartbeat within ``WORKER_HEARTBEAT_MAX_AGE`` seconds.

Both are answered by ``observability.RequestMiddleware`` before any other middleware, so they
need no login, no CSRF token, no allowed ``Host`` header and no HTTPS: a load balancer inside
the network probes the app servers over plain HTTP by address.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse
from django.utils import timezone

LIVE_PATH = "/gezond/live"
READY_PATH = "/gezond/klaar"
PATHS = frozenset({LIVE_PATH, READY_PATH})

OK = "ok"


def check_database(alias: str) -> str:
    """``ok`` when the database answers a trivial query, otherwise a short reason."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # A broken connection must not be reused by the next probe or request.
        connection.close_if_unusable_or_obsolete()
        return "unreachable"
    return OK


@cache
def known_migrations() -> frozenset[tuple[str, str]]:
    """Every migration on disk (after squashing), read once per process: code does not change."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


def unapplied_migrations(alias: str = "default") -> list[tuple[str, str]]:
    """Migrations the code knows that the database has not recorded as applied."""
    applied = _recorded(alias)
    missing = []
    for key in sorted(known_migrations()):
        if key in applied:
            continue
        replaced = _replacements().get(key)
        # A squashed migration counts as applied when everything it replaces is.
        if replaced and all(old in applied for old in replaced):
            continue
        missing.append(key)
    return missing


@cache
def _replacements() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        key: tuple(migration.replaces)
        for key, migration in loader.disk_migrations.items()
        if migration.replaces
    }


def _recorded(alias: str) -> set[tuple[str, str]]:
    recorder = MigrationRecorder(connections[alias])
    try:
        return {(app, name) for app, name in recorder.migration_qs.values_list("app", "name")}
    except DatabaseError:
        if recorder.has_table():
            raise
        return set()  # a database never migrated


def check_migrations(alias: str = "default") -> str:
    """``ok`` when every known migration is applied, otherwise how many are not."""
    try:
        missing = unapplied_migrations(alias)
    except DatabaseError:
        connections[alias].close_if_unusable_or_obsolete()
        return "unreachable"
    return OK if not missing else f"{len(missing)} unapplied"


def workers_expected() -> bool:
    """Whether tasks go to a queue that ``db_worker`` processes must empty."""
    backend = settings.TASKS["default"]["BACKEND"]
    return backend.startswith("django_tasks_db.") and settings.WORKER_HEARTBEAT_MAX_AGE > 0


def check_worker() -> str:
    """``ok`` when some worker's heartbeat is recent (or no worker is expected)."""
    from burgerlink.core.models import WorkerHeartbeat

    if not workers_expected():
        return OK
    since = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    try:
        recent = WorkerHeartbeat.objects.filter(seen_at__gte=since).exists()
    except DatabaseError:
        connections["default"].close_if_unusable_or_obsolete()
        return "unreachable"
    return OK if recent else "no recent heartbeat"


def readiness() -> dict[str, str]:
    """Run every readiness check; the names are the keys of the JSON answer."""
    checks = {
        f"database:{alias}" if alias != "default" else "database": check_database(alias)
        for alias in settings.HEALTH_CHECK_DATABASES
    }
    if checks.get("database") == OK:
        checks["migrations"] = check_migrations()
        checks["worker"] = check_worker()
    return checks


def _json(status: int, body: dict[str, object]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, sort_keys=True), status=status, content_type="application/json"
    )
    response["Cache-Control"] = "no-store"
    return response


def live_response() -> HttpResponse:
    """200 while the process can answer at all."""
    return _json(200, {"status": OK})


def ready_response() -> HttpResponse:
    """200 with every check ``ok``; 503 with the failing checks named otherwise."""
    checks = readiness()
    ready = all(value == OK for value in checks.values()) and "migrations" in checks
    return _json(
        200 if ready else 503, {"status": OK if ready else "unavailable", "checks": checks}
    )
