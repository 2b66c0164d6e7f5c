"""Background tasks used by the tests of core's task machinery."""

from __future__ import annotations

import logging

from burgerlink.core.tasks import task

logger = logging.getLogger("burgerlink.tests.jobs")


@task()
def say_hello(name: str) -> str:
    """Log a line (to see which request id it carries) and return a greeting."""
    logger.info("hallo %s", name)
    return f"hallo {name}"


@task()
def fail() -> None:
    """A task that fails, for the failed-task metrics."""
    raise RuntimeError("mislukt")
