"""Background work of the petitions area (queued through ``core.tasks``)."""

from __future__ import annotations

from burgerlink.core.tasks import task
from burgerlink.participation.petitions import counting, services


@task()
def recount_petition(petition_id: int) -> bool:
    """Recompute one petition's public counts."""
    return counting.recount(petition_id)


@task()
def recount_collecting() -> int:
    """Recompute the counts of every petition still collecting (scheduled each minute)."""
    return counting.recount_collecting()


@task()
def mail_answer(petition_id: int, base_url: str) -> int:
    """Mail the organisation's answer to every confirmed signatory."""
    return services.mail_answer(petition_id=petition_id, base_url=base_url)


@task()
def purge_unconfirmed() -> int:
    """Delete signatures left unconfirmed for 30 days."""
    return services.purge_unconfirmed()


@task()
def purge_answered() -> int:
    """Erase signatories' personal data past the retention after the answer."""
    return services.purge_answered()
