"""Prometheus metrics: requests and latency per view, tasks, imports and exports, the queue.

Counters and histograms live in the process that observes them. Under ``burgerlink serve`` and
``burgerlink db_worker`` every process of a machine writes them to ``PROMETHEUS_MULTIPROC_DIR``
(prometheus-client's multiprocess mode), and ``/metrics`` on that machine adds them up. Figures
that hold for the whole deployment (queue depth and the age of its oldest task, stored failed
tasks, live workers) are read from the database when ``/metrics`` is scraped, so any app server
gives the same answer.

``/metrics`` answers only with ``Authorization: Bearer <METRICS_TOKEN>``; without that setting it
does not exist (404).
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

PATH = "/metrics"

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
JOB_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)

REQUESTS = Counter(
    "burgerlink_http_requests",
    "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "burgerlink_http_request_duration_seconds",
    "Time from request to response, by view.",
    ["view"],
    buckets=LATENCY_BUCKETS,
)
TASKS = Counter(
    "burgerlink_tasks",
    "Background tasks finished, by task and outcome (SUCCESSFUL or FAILED).",
    ["task", "status"],
)
TASK_DURATION = Histogram(
    "burgerlink_task_duration_seconds",
    "Time a background task ran, by task.",
    ["task"],
    buckets=JOB_BUCKETS,
)
IMPORT_DURATION = Histogram(
    "burgerlink_import_duration_seconds",
    "Time an import took, by kind.",
    ["kind"],
    buckets=JOB_BUCKETS,
)
EXPORT_DURATION = Histogram(
    "burgerlink_export_duration_seconds",
    "Time an export took to write, by kind.",
    ["kind"],
    buckets=JOB_BUCKETS,
)


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency."""
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


def observe_task(task: str, status: str, seconds: float | None) -> None:
    """Count one finished background task (and its running time when known)."""
    TASKS.labels(task=task, status=status).inc()
    if seconds is not None:
        TASK_DURATION.labels(task=task).observe(seconds)


@contextmanager
def timed_import(kind: str) -> Iterator[None]:
    """Measure an import (``kind``: what is imported, e.g. ``contacts``), also when it fails."""
    start = time.perf_counter()
    try:
        yield
    finally:
        IMPORT_DURATION.labels(kind=kind).observe(time.perf_counter() - start)


@contextmanager
def timed_export(kind: str) -> Iterator[None]:
    """Measure an export (``kind``: what is exported and how, e.g. ``responses.xlsx``)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        EXPORT_DURATION.labels(kind=kind).observe(time.perf_counter() - start)


class QueueCollector(Collector):
    """Deployment-wide figures read from the database at scrape time."""

    def collect(self) -> Iterator[Metric]:
        """Queue depth and oldest age per queue, stored tasks per status, live workers."""
        from django.db.models import Count, Min
        from django_tasks_db.models import DBTaskResult

        from burgerlink.core.models import WorkerHeartbeat

        depth = GaugeMetricFamily(
            "burgerlink_task_queue_depth", "Tasks waiting to run, by queue.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "burgerlink_task_queue_oldest_age_seconds",
            "Age of the oldest task waiting to run, by queue.",
            labels=["queue"],
        )
        stored = GaugeMetricFamily(
            "burgerlink_task_results",
            "Task results kept in the database, by status (FAILED: failed jobs not yet pruned).",
            labels=["status"],
        )
        workers = GaugeMetricFamily(
            "burgerlink_workers_alive",
            "db_worker processes whose heartbeat is within WORKER_HEARTBEAT_MAX_AGE.",
        )
        now = timezone.now()
        try:
            waiting = (
                DBTaskResult.objects.ready()
                .values("queue_name")
                .annotate(n=Count("id"), oldest=Min("enqueued_at"))
            )
            for row in waiting:
                depth.add_metric([row["queue_name"]], row["n"])
                age.add_metric([row["queue_name"]], (now - row["oldest"]).total_seconds())
            by_status = DBTaskResult.objects.values("status").annotate(n=Count("id"))
            for status_row in by_status:
                stored.add_metric([status_row["status"]], status_row["n"])
            window = timedelta(seconds=max(settings.WORKER_HEARTBEAT_MAX_AGE, 1))
            workers.add_metric(
                [], WorkerHeartbeat.objects.filter(seen_at__gte=now - window).count()
            )
        except DatabaseError:
            return  # the database is down: readiness says so; the process metrics still show
        yield from (depth, age, stored, workers)


def registry() -> CollectorRegistry:
    """The registry to scrape: this machine's processes plus the database-wide figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        scraped = CollectorRegistry()
        MultiProcessCollector(scraped)  # type: ignore[no-untyped-call]  # untyped in prometheus
    else:
        scraped = CollectorRegistry()
        scraped.register(_ProcessMetrics())
    scraped.register(QueueCollector())
    return scraped


class _ProcessMetrics(Collector):
    """The default registry's metrics (one process: development and tests)."""

    def collect(self) -> Iterator[Metric]:
        """Everything the default registry holds."""
        yield from REGISTRY.collect()


def authorised(request: HttpRequest) -> bool:
    """Whether the request carries the metrics token."""
    expected = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.encode(), expected.encode())
    )


def metrics_response(request: HttpRequest) -> HttpResponse:
    """The Prometheus exposition for an authorised scraper; 404 when metrics are off."""
    if not settings.METRICS_TOKEN:
        return HttpResponse(status=404)
    if not authorised(request):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
