"""Background tasks of fieldwork (django-tasks): sending invitations and reminders.

The database backend runs them in ``burgerlink db_worker``; they are queued after commit
(``core.tasks``), and under pytest the immediate backend runs them at that moment.
Both are safe to run twice or side by side: invitees are claimed under row locks and their
status (``invited``, ``reminders_sent``) records what was sent.
"""

from __future__ import annotations

from burgerlink.core.tasks import task
from burgerlink.surveys.fieldwork import services
from burgerlink.surveys.models import Wave


def _wave(wave_id: int) -> Wave | None:
    return (
        Wave.objects.filter(pk=wave_id).select_related("survey", "version", "organisation").first()
    )


@task()
def send_invitations(wave_id: int, base_url: str = "") -> dict[str, int]:
    """Send the invitation e-mail to every invitee of the wave still waiting for one."""
    wave = _wave(wave_id)
    if wave is None:
        return {"sent": 0, "bounced": 0}
    delivery = services.deliver_invitations(wave, base_url=base_url)
    return {"sent": delivery.sent, "bounced": delivery.bounced}


@task()
def send_reminders(wave_id: int, base_url: str = "") -> dict[str, int]:
    """Send the reminders that are due to invitees of the wave who have not finished."""
    wave = _wave(wave_id)
    if wave is None:
        return {"sent": 0, "bounced": 0}
    delivery = services.deliver_reminders(wave, base_url=base_url)
    return {"sent": delivery.sent, "bounced": delivery.bounced}
