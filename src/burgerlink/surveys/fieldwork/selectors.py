"""Reads of the fieldwork area, always scoped to one organisation.

Staff see counts per status, never which invitee gave which response: nothing here returns
invitees together with their answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from burgerlink.core.models import Organisation
from burgerlink.surveys.definition import parse
from burgerlink.surveys.fieldwork.response_file import required_variables
from burgerlink.surveys.fieldwork.rules import WaveState, response_rate, wave_state
from burgerlink.surveys.models import (
    Invitee,
    InviteeStatus,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
    VersionStatus,
    Wave,
)
from burgerlink.surveys.questionnaires.editing import TYPE_LABELS

LETTERS_PER_PART = 100
# Who gets which letter: the invitation to those not yet (or just) invited, the reminder to
# those invited who have not finished.
LETTER_STATUSES = {
    "invitation": (InviteeStatus.PENDING, InviteeStatus.INVITED),
    "reminder": (InviteeStatus.INVITED, InviteeStatus.STARTED),
}


def surveys_of(organisation: Organisation) -> QuerySet[Survey]:
    """The organisation's surveys, newest first, with questionnaire, waves and life events."""
    return (
        Survey.objects.filter(organisation=organisation)
        .select_related("questionnaire")
        .prefetch_related("waves", "life_events")
    )


def survey_of(organisation: Organisation, pk: int) -> Survey | None:
    """One survey of the organisation, or None."""
    return surveys_of(organisation).filter(pk=pk).first()


def wave_of(organisation: Organisation, pk: int) -> Wave | None:
    """One wave of the organisation with its survey, version and organisation, or None."""
    return (
        Wave.objects.filter(organisation=organisation, pk=pk)
        .select_related("survey", "version", "version__questionnaire", "organisation")
        .first()
    )


def own_questionnaires(organisation: Organisation) -> QuerySet[Questionnaire]:
    """The organisation's own questionnaires (not the platform's templates)."""
    return Questionnaire.objects.filter(organisation=organisation).order_by("title_nl", "pk")


def fieldable_versions(survey: Survey) -> QuerySet[QuestionnaireVersion]:
    """Versions of the survey's questionnaire a new wave may use (not retired), newest first."""
    return QuestionnaireVersion.objects.filter(questionnaire_id=survey.questionnaire_id).exclude(
        status=VersionStatus.RETIRED
    )


@dataclass(frozen=True)
class WaveSummary:
    """Counts of one wave's fieldwork: invitees per status, responses per channel."""

    wave: Wave
    state: WaveState
    counts: dict[str, int]
    invitees: int
    rate: float | None
    responses: dict[str, int] = field(default_factory=dict)
    in_progress: int = 0

    @property
    def completed_responses(self) -> int:
        """Completed responses through every channel (web, open link, paper, import)."""
        return sum(self.responses.values())

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for every invitee status, in the order of the life cycle."""
        return [
            (status.value, str(status.label), self.counts.get(status.value, 0))
            for status in InviteeStatus
        ]

    @property
    def channel_rows(self) -> list[tuple[str, str, int]]:
        """(channel, label, completed responses) for every channel."""
        return [
            (channel.value, str(channel.label), self.responses.get(channel.value, 0))
            for channel in ResponseChannel
        ]


def summaries(waves: Iterable[Wave], now: datetime | None = None) -> list[WaveSummary]:
    """Counts for several waves in two queries."""
    waves = list(waves)
    now = now or timezone.now()
    ids = [wave.pk for wave in waves]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Invitee.objects.filter(wave_id__in=ids)
        .values("wave_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["wave_id"]][row["status"]] = row["n"]
    responses: dict[int, dict[str, int]] = defaultdict(dict)
    in_progress: dict[int, int] = defaultdict(int)
    for row in (
        Response.objects.filter(wave_id__in=ids)
        .values("wave_id", "channel", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if row["status"] == ResponseStatus.COMPLETED:
            responses[row["wave_id"]][row["channel"]] = row["n"]
        else:
            in_progress[row["wave_id"]] += row["n"]
    result = []
    for wave in waves:
        per_status = counts[wave.pk]
        total = sum(per_status.values())
        result.append(
            WaveSummary(
                wave=wave,
                state=wave_state(wave.opens_at, wave.closes_at, now),
                counts=per_status,
                invitees=total,
                rate=response_rate(
                    per_status.get(InviteeStatus.COMPLETED, 0),
                    total,
                    per_status.get(InviteeStatus.BOUNCED, 0),
                ),
                responses=responses[wave.pk],
                in_progress=in_progress[wave.pk],
            )
        )
    return result


def summary(wave: Wave, now: datetime | None = None) -> WaveSummary:
    """Counts for one wave."""
    return summaries([wave], now)[0]


def open_waves(organisation: Organisation, now: datetime | None = None) -> list[WaveSummary]:
    """The organisation's waves that are open now, with their counts (for the dashboard)."""
    now = now or timezone.now()
    waves = (
        Wave.objects.filter(organisation=organisation, opens_at__lte=now, closes_at__gt=now)
        .select_related("survey")
        .order_by("closes_at", "pk")
    )
    return summaries(waves, now)


def contact_counts(wave: Wave) -> dict[str, int]:
    """How many invitees can be mailed, written to, or are still waiting for an invitation."""
    return Invitee.objects.filter(wave=wave).aggregate(
        with_email=Count("id", filter=~Q(email="")),
        with_address=Count("id", filter=~Q(postal_address="")),
        pending_email=Count("id", filter=Q(status=InviteeStatus.PENDING) & ~Q(email="")),
        pending_post=Count(
            "id", filter=Q(status=InviteeStatus.PENDING, email="") & ~Q(postal_address="")
        ),
    )


def letter_recipients(wave: Wave, kind: str = "invitation") -> QuerySet[Invitee]:
    """Invitees who get a letter of this kind ('invitation' or 'reminder'), in a fixed order."""
    return (
        Invitee.objects.filter(wave=wave, status__in=LETTER_STATUSES[kind])
        .exclude(postal_address="")
        .order_by("pk")
    )


def letter_parts(wave: Wave, kind: str = "invitation") -> list[tuple[int, int, int]]:
    """The letters split into printable parts: (part number, first letter, last letter)."""
    total = letter_recipients(wave, kind).count()
    return [
        (number, start + 1, min(start + LETTERS_PER_PART, total))
        for number, start in enumerate(range(0, total, LETTERS_PER_PART), start=1)
    ]


def import_columns(wave: Wave) -> list[dict[str, Any]]:
    """The columns a response file for this wave may have: code, question, type, answer codes."""
    try:
        definition = parse(wave.version.definition)
    except ValueError:
        return []
    required = set(required_variables(definition))
    columns = []
    for question in definition.questions():
        for code in question.variables():
            row = next((r for r in question.rows if r.code == code), None)
            columns.append(
                {
                    "code": code,
                    "label": (row.label if row else question.text).get(get_language() or "nl"),
                    "type": TYPE_LABELS.get(question.type, question.type),
                    "codes": ""
                    if question.type in {"number", "date", "text"}
                    else ", ".join(str(c) for c in question.answer_codes()),
                    "required": code in required,
                }
            )
    return columns
