"""Tasks for the tests of ``core.tasks``: each notes that it ran, and what it could see."""

from __future__ import annotations

from burgerlink.core.models import Organisation
from burgerlink.core.tasks import task

RUNS: list[tuple[str, bool]] = []


@task()
def note(label: str, slug: str = "") -> str:
    """Note ``label``, and whether an organisation with ``slug`` exists when the task runs."""
    RUNS.append((label, Organisation.objects.filter(slug=slug).exists()))
    return label


not_a_task = "a string, not a task"
