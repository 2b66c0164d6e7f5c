"""Which database a query goes to: the primary, or a streaming replica for reads that may lag.

Only with ``DATABASE_REPLICA_URL`` set (settings alias ``replica``) does anything go elsewhere than
``default``. Reads go to the replica only inside a *lag-tolerant* scope: an anonymous GET of a
public page, open data, a public API call or the benchmarks between organisations
(``ReplicaReadsMiddleware`` decides by path, see ``REPLICA_READ_PATHS``), or code that asks for
it with ``replica_reads()``. Writes always go to the primary, and so does every read of a
signed-in user, a respondent, a citizen following their own claim, a background job, a command,
and every read inside a transaction on the primary: those must see their own writes.

Before sending reads to the replica the router asks it how far behind it is (one cheap query,
remembered for ``REPLICA_CHECK_SECONDS`` per process). Beyond ``REPLICA_MAX_LAG_SECONDS``, or
when the replica cannot be reached, reads go to the primary until the next check. A replica that
fails in the middle of a request never becomes an error page: the middleware runs the (safe)
request again on the primary.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
DIRECT = "direct"

# PostgreSQL: seconds the replica's replayed state is behind. A replica that has replayed all it
# received is current (an idle primary sends nothing, so the age of the last replayed
# transaction alone would grow without any lag); a server that is not in recovery has no lag.
POSTGRES_LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)
OTHER_LAG_SQL = "SELECT 0"

# Anonymous GETs of these paths may read from the replica (public pages, open data, the public
# API, benchmarks between organisations). Respondents (/enquete/), claims (/compensatie/), the
# staff area, the admin and logging in always read from the primary.
DEFAULT_READ_PATHS = (
    r"^/$",
    r"^/organisaties/",
    r"^/burgerservicecode/",
    r"^/levensgebeurtenissen/",
    r"^/benchmark/",
    r"^/toegankelijkheid/",
    r"^/api/v1/",
)
DEFAULT_PRIMARY_PATHS = (r"/compensatie/",)

_scope: ContextVar[bool] = ContextVar("burgerlink_replica_reads", default=False)


def replica_configured() -> bool:
    """Whether the settings name a replica at all."""
    return REPLICA in connections.settings


def direct_alias() -> str:
    """The alias that reaches PostgreSQL without a pooler (COPY side connections, imports)."""
    return DIRECT if DIRECT in connections.settings else DEFAULT_DB_ALIAS


@contextlib.contextmanager
def replica_reads(allowed: bool = True) -> Iterator[None]:
    """Within this block, reads may (``allowed``) or may not go to the replica."""
    token = _scope.set(allowed)
    try:
        yield
    finally:
        _scope.reset(token)


@dataclass
class _Health:
    checked_at: float = float("-inf")
    usable: bool = False
    lag: float | None = None


class ReplicaHealth:
    """Whether the replica may serve reads now; asks it at most once per check interval."""

    def __init__(
        self, alias: str | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._alias = alias
        self.clock = clock
        self._lock = threading.Lock()
        self._health = _Health()

    @property
    def alias(self) -> str:
        """The replica's connection alias."""
        return self._alias or REPLICA

    def forget(self) -> None:
        """Check again on the next read (tests; a replica seen failing in a request)."""
        with self._lock:
            self._health = _Health()

    def mark_down(self) -> None:
        """Send reads to the primary until the next check (a query on the replica failed)."""
        with self._lock:
            self._health = _Health(checked_at=self.clock(), usable=False)
        with contextlib.suppress(Exception):
            connections[self.alias].close()

    def lag(self) -> float | None:
        """Seconds the replica is behind, or None when it cannot be asked."""
        connection = connections[self.alias]
        sql = getattr(settings, "REPLICA_LAG_SQL", "") or (
            POSTGRES_LAG_SQL if connection.vendor == "postgresql" else OTHER_LAG_SQL
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                row = cursor.fetchone()
        except DatabaseError as error:
            logger.warning("replica %s unreachable: %s", self.alias, error)
            with contextlib.suppress(Exception):
                connection.close()
            return None
        return float(row[0]) if row and row[0] is not None else None

    def usable(self) -> bool:
        """True when the replica answered within its lag limit at the last check."""
        now = self.clock()
        interval = float(getattr(settings, "REPLICA_CHECK_SECONDS", 5))
        with self._lock:
            if now - self._health.checked_at < interval:
                return self._health.usable
        lag = self.lag()
        limit = float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 10))
        usable = lag is not None and lag <= limit
        if lag is not None and not usable:
            logger.warning("replica %s lags %.1f s (limit %.0f s)", self.alias, lag, limit)
        with self._lock:
            self._health = _Health(checked_at=now, usable=usable, lag=lag)
        return usable


health = ReplicaHealth()


def read_alias() -> str:
    """Where a read in the current scope goes: the replica when allowed and healthy."""
    if not _scope.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    # A read inside a transaction on the primary belongs to that transaction (the blocks a test
    # case opens around each test do not count, as for Django's durable blocks).
    primary = connections[DEFAULT_DB_ALIAS]
    if any(not getattr(block, "_from_testcase", False) for block in primary.atomic_blocks):
        return DEFAULT_DB_ALIAS
    return REPLICA if health.usable() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Django database router: lag-tolerant reads to the replica, everything else to default."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        """The replica inside a lag-tolerant scope when it is healthy, else the primary."""
        return read_alias()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        """Every write goes to the primary."""
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        """Replica and primary hold the same rows."""
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        """Only the primary is migrated (the replica and the direct alias are the same data)."""
        return db == DEFAULT_DB_ALIAS


def _compiled(name: str, default: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(pattern) for pattern in getattr(settings, name, default)]


class ReplicaReadsMiddleware:
    """Lets anonymous, safe requests for public pages read from the replica.

    A request with a session cookie or an ``Authorization`` header reads from the primary, so a
    signed-in person always sees what they just changed. When a query on the replica fails, the
    request (a GET or HEAD, so safe to repeat) runs again on the primary.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.read_paths = _compiled("REPLICA_READ_PATHS", DEFAULT_READ_PATHS)
        self.primary_paths = _compiled("REPLICA_PRIMARY_PATHS", DEFAULT_PRIMARY_PATHS)

    def lag_tolerant(self, request: HttpRequest) -> bool:
        """Whether this request may read from the replica."""
        if request.method not in {"GET", "HEAD"}:
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "authorization" in request.headers:
            return False
        path = request.path_info
        if any(pattern.search(path) for pattern in self.primary_paths):
            return False
        return any(pattern.search(path) for pattern in self.read_paths)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Run the request in a replica scope when it tolerates lag."""
        if not replica_configured() or not self.lag_tolerant(request):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A database error while reading from the replica: answer from the primary instead."""
        # The error may have come from the primary too: then the retry fails the same way.
        if not _scope.get() or not isinstance(exception, DatabaseError):
            return None
        logger.warning("replica failed during %s, answering from the primary", request.path)
        health.mark_down()
        match = request.resolver_match
        if match is None:
            return None
        with replica_reads(allowed=False):
            response: HttpResponse = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        return response
