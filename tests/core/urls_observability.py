"""A page that queues a background task, for the request-id tests (and the platform's URLs)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from burgerlink.core.tasks import enqueue_after_commit


def queue_a_task(request: HttpRequest) -> HttpResponse:
    """Queue ``tests.core.jobs.say_hello`` (a POST: no GET writes) and answer at once."""
    enqueue_after_commit("tests.core.jobs.say_hello", "wereld")
    return HttpResponse("queued")


urlpatterns = [
    path("test/queue/", queue_a_task),
    path("", include("burgerlink.urls")),
]
