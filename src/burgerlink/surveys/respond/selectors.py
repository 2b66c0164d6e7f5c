"""Reads of the respondent's questionnaire: by token, by open link, and the staff's counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from burgerlink.core.models import Organisation
from burgerlink.surveys.models import Invitee, Response, ResponseStatus, Wave

# What a token or an open-link code can look like; anything else never reaches the database.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{6,32}\Z")
OPEN_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}\Z")


def invitee_for_token(token: str) -> Invitee | None:
    """The invitee with this token (and its wave, version and organisation), or None."""
    if not TOKEN.match(token):
        return None
    return (
        Invitee.objects.select_related(
            "wave__version", "wave__organisation", "wave__survey", "response"
        )
        .filter(token=token)
        .first()
    )


def wave_for_open_link(code: str) -> Wave | None:
    """The wave whose open link has this code, or None."""
    if not OPEN_CODE.match(code):
        return None
    return (
        Wave.objects.select_related("version", "organisation", "survey")
        .filter(open_link=code)
        .exclude(open_link="")
        .first()
    )


def open_link_response(wave: Wave, resume_key: str) -> Response | None:
    """The open-link response kept by this resume key, or None."""
    if not resume_key or not TOKEN.match(resume_key):
        return None
    return Response.objects.filter(wave=wave, resume_key=resume_key).first()


def staff_wave(organisation: Organisation, wave_id: int) -> Wave | None:
    """A wave of the organisation (with version and survey), or None."""
    return (
        Wave.objects.select_related("version", "survey")
        .filter(organisation=organisation, pk=wave_id)
        .first()
    )


@dataclass(frozen=True)
class WaveResponseCount:
    """Responses of one open wave: started (in progress) and completed, by invitation."""

    wave: Wave
    in_progress: int
    completed: int
    invited: int


def open_wave_counts(organisation: Organisation) -> list[WaveResponseCount]:
    """Response counts of the organisation's waves that are open now, soonest closing first."""
    now = timezone.now()
    waves = (
        Wave.objects.filter(
            organisation=organisation,
            opens_at__lte=now,
            closes_at__gt=now,
            sample_erased_at__isnull=True,
        )
        .select_related("survey")
        .annotate(
            n_in_progress=Count(
                "responses", filter=Q(responses__status=ResponseStatus.IN_PROGRESS)
            ),
            n_completed=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETED)),
        )
        .order_by("closes_at", "pk")[:20]
    )
    invited = dict(
        Invitee.objects.filter(wave__in=[wave.pk for wave in waves])
        .values_list("wave")
        .annotate(n=Count("pk"))
        .values_list("wave", "n")
    )
    return [
        WaveResponseCount(
            wave=wave,
            in_progress=wave.n_in_progress,
            completed=wave.n_completed,
            invited=invited.get(wave.pk, 0),
        )
        for wave in waves
    ]
