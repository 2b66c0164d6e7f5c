"""Demo world: Amstelstad's life-event survey with two closed waves of synthetic responses.

The current wave (closed last month) has about 10,000 completed responses
(``settings.DEMO_RECORDS_SCALE`` × 10,000, at least 400) over seven life events; a wave a year
earlier has 60 % of that and somewhat lower grades, so the comparison has something to show.
Answers come from ``synthetic.synthesise`` (seeded), built so that the drivers really relate to
the overall grade. Rows are written in bulk (``COPY`` on PostgreSQL, ``executemany`` elsewhere),
so the step takes seconds.

Idempotent: nothing happens when Amstelstad already has the demo survey.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from itertools import repeat
from typing import Any

import numpy as np
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from burgerlink.core.models import LifeEvent, Organisation
from burgerlink.surveys.models import (
    Invitee,
    InviteeStatus,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Survey,
    TemplateKind,
    VersionStatus,
    Wave,
)
from burgerlink.surveys.results.dataset import clear_cache, wave_catalogue
from burgerlink.surveys.results.synthetic import EVENT_SHARES, POPULATION, Synthetic, synthesise

DEMO_ORGANISATION = "amstelstad"
DEMO_TITLE = "Ervaringen rond levensgebeurtenissen"
DEMO_SIZE = 10_000
MIN_SIZE = 400
BATCH = 5_000
RESPONSE_RATE = 0.42
POPULATION_SIZE = 48_000


def demo_size() -> int:
    """How many responses the current demo wave gets."""
    scale = float(getattr(settings, "DEMO_RECORDS_SCALE", 1.0))
    return max(MIN_SIZE, round(DEMO_SIZE * scale))


def _template() -> QuestionnaireVersion | None:
    from burgerlink.surveys.questionnaires.install import install_platform_templates

    install_platform_templates(apps)
    return (
        QuestionnaireVersion.objects.filter(
            questionnaire__organisation__isnull=True,
            questionnaire__kind=TemplateKind.LIFE_EVENT,
        )
        .exclude(status=VersionStatus.DRAFT)
        .order_by("-number")
        .first()
    )


def _chains(codes: Sequence[str]) -> dict[str, list[str]]:
    chains: dict[str, list[str]] = {}
    for event in LifeEvent.objects.filter(code__in=codes).prefetch_related("links__agency"):
        chains[event.code] = [link.agency.code for link in event.links.order_by("position")]
    return chains


@transaction.atomic
def load_demo(write: Callable[[str], None] = lambda _line: None) -> None:
    """Create Amstelstad's demo survey with two waves of synthetic responses (idempotent)."""
    from burgerlink.surveys.questionnaires import services as questionnaire_services

    organisation = Organisation.objects.filter(slug=DEMO_ORGANISATION).first()
    if (
        organisation is None
        or Survey.objects.filter(organisation=organisation, title=DEMO_TITLE).exists()
    ):
        return
    template = _template()
    if template is None:
        return
    offered = {
        option.get("key")
        for page in template.definition.get("pages", [])
        for question in page.get("questions", [])
        if question.get("role") == "screening"
        for option in question.get("options", [])
    }
    events = [code for code in EVENT_SHARES if code in offered]
    if not events:
        return
    questionnaire = questionnaire_services.start_from_template(
        organisation,
        template,
        title=DEMO_TITLE,
        title_en="Experiences around life events",
        life_events=events,
        by=None,
    )
    version = questionnaire_services.field_version(questionnaire.versions.get(), by=None)
    survey = Survey.objects.create(
        organisation=organisation, questionnaire=questionnaire, title=DEMO_TITLE
    )
    survey.life_events.set(LifeEvent.objects.filter(code__in=events))
    chains = _chains(events)
    now = timezone.now()
    size = demo_size()
    plans = [
        (
            "Meting vorig jaar",
            now - timedelta(days=400),
            now - timedelta(days=372),
            round(size * 0.6),
            -0.3,
            11,
        ),
        ("Meting dit jaar", now - timedelta(days=65), now - timedelta(days=35), size, 0.0, 29),
    ]
    for name, opens, closes, count, shift, seed in plans:
        wave = Wave.objects.create(
            survey=survey,
            organisation=organisation,
            version=version,
            name=name,
            opens_at=opens,
            closes_at=closes,
            anonymous=True,
            population_size=POPULATION_SIZE,
            weighting={key: dict(value) for key, value in POPULATION.items()},
            reminder_days=[7, 14],
        )
        synthetic = synthesise(
            wave_catalogue(wave), count, chains=chains, seed=seed, shift=shift, events=events
        )
        write_synthetic_wave(wave, synthetic, opens, closes)
        write(f"{organisation.name}: {name} met {count} ingevulde vragenlijsten.")
    clear_cache()


def write_synthetic_wave(
    wave: Wave, synthetic: Synthetic, opens: datetime, closes: datetime
) -> None:
    """Store generated responses (completed), their answers and the sample behind them."""
    span = (closes - opens).total_seconds()
    moments = [opens + timedelta(seconds=float(s) * span * 0.98) for s in synthetic.moment]
    responses = Response.objects.bulk_create(
        [
            Response(
                wave=wave,
                organisation_id=wave.organisation_id,
                version_id=wave.version_id,
                status=ResponseStatus.COMPLETED,
                channel=synthetic.channel[i],
                language=synthetic.language[i],
                background=synthetic.background[i],
                completed_at=moments[i],
                current_page="",
                revision=1,
            )
            for i in range(synthetic.size)
        ],
        batch_size=BATCH,
    )
    ids = np.array([response.pk for response in responses], dtype=np.int64)
    write_answers(_answer_rows(ids, synthetic))
    _write_invitees(wave, [i for i, c in enumerate(synthetic.channel) if c == "web"], moments)


def _answer_rows(ids: np.ndarray, synthetic: Synthetic) -> Iterable[tuple[Any, ...]]:
    for code, values in synthetic.numbers.items():
        answered = np.flatnonzero(~np.isnan(values))
        yield from zip(
            ids[answered].tolist(),
            repeat(code),
            values[answered].tolist(),
            repeat(""),
            repeat(None),
        )
    for code, texts in synthetic.texts.items():
        for i, text in enumerate(texts):
            if text:
                yield (int(ids[i]), code, None, text, None)
    for code, items in synthetic.choices.items():
        for i, chosen in enumerate(items):
            if chosen:
                yield (int(ids[i]), code, None, "", json.dumps(chosen))


def write_answers(rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert ``(response_id, code, number, text, choices-json)`` rows fast; return the count.

    PostgreSQL gets one ``COPY``; other databases ``executemany`` in batches.
    """
    table = "surveys_answer"
    columns = "(response_id, code, number, text, choices)"
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        batch: list[tuple[Any, ...]] = []
        sql = f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _write_invitees(wave: Wave, completed: list[int], moments: list[datetime]) -> None:
    """The sample behind the invited responses: completed, invited and some bounced."""
    total = round(len(completed) / RESPONSE_RATE)
    bounced = round(total * 0.03)
    invited_at = wave.opens_at + timedelta(hours=9)
    rows = []
    for i in range(total):
        if i < len(completed):
            status, done = InviteeStatus.COMPLETED, moments[completed[i]]
        elif i < len(completed) + bounced:
            status, done = InviteeStatus.BOUNCED, None
        else:
            status, done = InviteeStatus.INVITED, None
        rows.append(
            Invitee(
                wave=wave,
                organisation_id=wave.organisation_id,
                token=secrets.token_urlsafe(18),
                email=f"inwoner{wave.pk}-{i}@voorbeeld.amstelstad.example",
                status=status,
                invited_at=invited_at,
                reminders_sent=0 if status == InviteeStatus.COMPLETED else 2,
                completed_at=done,
            )
        )
    Invitee.objects.bulk_create(rows, batch_size=BATCH)
