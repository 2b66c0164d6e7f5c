"""Database reads of the results area: waves, completed responses, answers, counts, catalogues.

Only queries live here; turning rows into the analysis engine's input (the matrix, backgrounds,
weights, filters) is ``dataset.py``. Answers are fetched as plain rows on a cursor, in chunks,
so a wave of a million responses never becomes a million model instances.

Nothing here returns who gave which answer: open answers come back as texts with the response
id only so the caller can restrict them to the analysed responses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from burgerlink.core.models import Agency, LifeEvent, Organisation
from burgerlink.surveys.analysis import SmallGroupRule
from burgerlink.surveys.models import (
    AnalysisSettings,
    Answer,
    Invitee,
    InviteeStatus,
    QuestionnaireVersion,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
    TemplateKind,
    Wave,
)
from burgerlink.surveys.results.pivot import IntArray, LongAnswers

FETCH_SIZE = 50_000
MAX_ID = 2**63 - 1
# Responses drawn from the wave's sample: the personal link of an invitation. Open-link, paper
# and imported responses are not (see docs/surveys.md, "finite-population correction").
SAMPLED_CHANNELS = (ResponseChannel.WEB,)


# --- settings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """The organisation's small-group rule and significance level."""

    hide_below: int = 30
    flag_below: int = 100
    alpha: float = 0.05

    @property
    def small_groups(self) -> SmallGroupRule:
        """As the engine's rule."""
        return SmallGroupRule(hide_below=self.hide_below, flag_below=self.flag_below)


def rules_for(organisation_id: int) -> Rules:
    """The organisation's analysis settings (defaults 30 / 100 / 0.05)."""
    found = AnalysisSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        return Rules()
    alpha = found.alpha if 0 < found.alpha < 1 else 0.05
    return Rules(found.hide_below, found.flag_below, alpha)


# --- completed responses and their answers ----------------------------------------------------


def completed(wave: Wave) -> QuerySet[Response]:
    """The wave's completed responses."""
    return Response.objects.filter(wave_id=wave.pk, status=ResponseStatus.COMPLETED)


@dataclass(frozen=True)
class ResponseState:
    """What identifies the wave's completed responses now: count, highest id, last completion."""

    count: int
    top_id: int | None
    last_completed: str


def response_state(wave: Wave) -> ResponseState:
    """The wave's completed responses in one aggregate query (a new response changes it)."""
    found = completed(wave).aggregate(n=Count("id"), last=Max("completed_at"), top=Max("id"))
    return ResponseState(
        count=found["n"],
        top_id=found["top"],
        last_completed=found["last"].isoformat() if found["last"] else "",
    )


def completed_ids(wave: Wave) -> IntArray:
    """Ids of the wave's completed responses, sorted."""
    ids = completed(wave).order_by("id").values_list("id", flat=True)
    return np.fromiter(ids.iterator(chunk_size=FETCH_SIZE), dtype=np.int64)


def sampled_mask(wave: Wave, response_ids: IntArray) -> npt.NDArray[np.bool_]:
    """Per completed response (in ``response_ids`` order) whether it came from the sample."""
    mask = np.zeros(response_ids.size, dtype=np.bool_)
    if not response_ids.size:
        return mask
    ids = completed(wave).filter(channel__in=SAMPLED_CHANNELS).values_list("id", flat=True)
    found = np.fromiter(ids.iterator(chunk_size=FETCH_SIZE), dtype=np.int64)
    mask[np.isin(response_ids, found)] = True
    return mask


def raw_rows(queryset: QuerySet[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """Run a ``values_list`` query on a plain cursor and yield its rows in chunks."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(FETCH_SIZE)
            if not rows:
                return
            yield rows


def numeric_answers(
    wave: Wave,
    index: dict[str, int],
    *,
    codes: Sequence[str] | None = None,
    id_range: tuple[int, int] | None = None,
) -> LongAnswers:
    """The wave's completed numeric answers in long format (one query, fetched in chunks)."""
    queryset = Answer.objects.filter(
        response__wave_id=wave.pk,
        response__status=ResponseStatus.COMPLETED,
        number__isnull=False,
    )
    if codes is not None:
        queryset = queryset.filter(code__in=list(codes))
    if id_range is not None:
        # both sides of the join, so the database reads only this range of either table
        queryset = queryset.filter(
            response_id__gte=id_range[0],
            response_id__lte=id_range[1],
            response__id__gte=id_range[0],
            response__id__lte=id_range[1],
        )
    rows = queryset.values_list("response_id", "code", "number")
    return LongAnswers.concatenate(LongAnswers.from_rows(chunk, index) for chunk in raw_rows(rows))


@dataclass
class SampleColumn:
    """One background variable of the sample: a code per response into ``values`` (-1: none).

    Codes instead of strings keep a million responses at four bytes each.
    """

    codes: npt.NDArray[np.int32]
    values: list[str]

    def value_at(self, start: int, stop: int) -> list[str | None]:
        """The values of rows ``start`` to ``stop`` (None where the sample had none)."""
        return [
            self.values[code] if code >= 0 else None for code in self.codes[start:stop].tolist()
        ]


def sample_values(
    wave: Wave, names: Sequence[str], response_ids: IntArray
) -> dict[str, SampleColumn]:
    """Each response's background value from the sample (``Response.background``)."""
    size = response_ids.size
    columns = {name: SampleColumn(np.full(size, -1, dtype=np.int32), []) for name in names}
    if not names or not size:
        return columns
    seen: dict[str, dict[str, int]] = {name: {} for name in names}
    rows = completed(wave).order_by("id").values_list("id", "background")
    for response_id, background in rows.iterator(chunk_size=FETCH_SIZE):
        if not isinstance(background, dict) or not background:
            continue
        position = int(np.searchsorted(response_ids, response_id))
        if position >= size or response_ids[position] != response_id:
            continue
        for name, value in background.items():
            if name not in columns or not isinstance(value, str | int | float):
                continue
            known = seen[name]
            text = str(value)
            code = known.get(text)
            if code is None:
                code = known[text] = len(columns[name].values)
                columns[name].values.append(text)
            columns[name].codes[position] = code
    return columns


def stored_response_weights(wave: Wave, response_ids: IntArray) -> npt.NDArray[np.float64] | None:
    """The weights delivered with the responses, when every completed response has one."""
    rows = completed(wave).order_by("id").values_list("weight", flat=True)
    weights = np.fromiter(
        (
            np.nan if weight is None else float(weight)
            for weight in rows.iterator(chunk_size=FETCH_SIZE)
        ),
        dtype=np.float64,
    )
    if weights.size != response_ids.size or weights.size == 0:
        return None
    if np.isnan(weights).any() or (weights < 0).any() or weights.sum() <= 0:
        return None
    return weights


def open_answer_rows(wave: Wave, code: str) -> list[tuple[int, str]]:
    """``(response id, text)`` of every non-empty answer to one open question."""
    rows = (
        Answer.objects.filter(
            response__wave_id=wave.pk, response__status=ResponseStatus.COMPLETED, code=code
        )
        .exclude(text="")
        .values_list("response_id", "text")
    )
    return [
        (int(response_id), str(text)) for chunk in raw_rows(rows) for response_id, text in chunk
    ]


def open_answer_counts(wave: Wave, codes: Sequence[str]) -> dict[str, int]:
    """How many open answers each of ``codes`` has in the whole wave."""
    if not codes:
        return {}
    rows = (
        Answer.objects.filter(
            response__wave_id=wave.pk,
            response__status=ResponseStatus.COMPLETED,
            code__in=list(codes),
        )
        .exclude(text="")
        .values("code")
        .annotate(n=Count("id"))
    )
    return {row["code"]: row["n"] for row in rows}


# --- waves, counts and catalogues ------------------------------------------------------------


def waves_of(organisation: Organisation) -> QuerySet[Wave]:
    """The organisation's waves with their survey and the number of completed responses."""
    return (
        Wave.objects.filter(organisation=organisation)
        .select_related("survey", "version", "version__questionnaire")
        .annotate(
            completed_count=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETED))
        )
        .order_by("-opens_at", "-id")
    )


def wave_of(organisation: Organisation, wave_id: int) -> Wave | None:
    """One wave of the organisation, or None."""
    if not 0 < wave_id <= MAX_ID:
        return None
    return (
        Wave.objects.filter(organisation=organisation, pk=wave_id)
        .select_related("survey", "version", "version__questionnaire", "organisation")
        .first()
    )


def survey_wave(survey_id: int, wave_id: int) -> Wave | None:
    """The wave ``wave_id`` of survey ``survey_id`` (any organisation), or None."""
    if not (0 < survey_id <= MAX_ID and 0 < wave_id <= MAX_ID):
        return None
    return (
        Wave.objects.filter(pk=wave_id, survey_id=survey_id)
        .select_related("survey", "version", "version__questionnaire", "organisation")
        .first()
    )


def survey_by_id(survey_id: int) -> Survey | None:
    """A survey by id (any organisation), or None."""
    if not 0 < survey_id <= MAX_ID:
        return None
    return Survey.objects.filter(pk=survey_id).select_related("organisation").first()


def previous_wave(wave: Wave) -> Wave | None:
    """The survey's wave that opened last before this one."""
    return (
        Wave.objects.filter(survey_id=wave.survey_id, opens_at__lt=wave.opens_at)
        .select_related("survey", "version", "organisation")
        .order_by("-opens_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class ResponseRate:
    """Completed responses, invitees and the response rate of a wave."""

    completed: int
    invitees: int
    reachable: int
    completed_invitees: int

    @property
    def rate(self) -> float | None:
        """Completed invitees / (invitees − bounced); None without a reachable sample."""
        return self.completed_invitees / self.reachable if self.reachable else None


def response_rate(wave: Wave) -> ResponseRate:
    """The wave's response counts."""
    counts = Invitee.objects.filter(wave=wave).aggregate(
        total=Count("id"),
        bounced=Count("id", filter=Q(status=InviteeStatus.BOUNCED)),
        done=Count("id", filter=Q(status=InviteeStatus.COMPLETED)),
    )
    return ResponseRate(
        completed=completed(wave).count(),
        invitees=counts["total"],
        reachable=counts["total"] - counts["bounced"],
        completed_invitees=counts["done"],
    )


def channel_counts(wave: Wave) -> dict[str, int]:
    """Completed responses per channel (``web``, ``open_link``, ``paper``, ``import``)."""
    rows = completed(wave).values("channel").annotate(n=Count("id"))
    return {row["channel"]: row["n"] for row in rows}


def latest_wave_with_results(organisation: Organisation) -> Wave | None:
    """The organisation's most recent wave that has completed responses."""
    return waves_of(organisation).filter(completed_count__gt=0).first()  # type: ignore[misc]


def latest_closed_life_event_wave(
    organisation: Organisation, now: datetime | None = None
) -> Wave | None:
    """The organisation's most recently closed wave of a life-event survey with responses."""
    now = now or timezone.now()
    return (
        waves_of(organisation)
        .filter(  # type: ignore[misc]
            closes_at__lte=now,
            completed_count__gt=0,
            survey__questionnaire__kind=TemplateKind.LIFE_EVENT,
        )
        .order_by("-closes_at", "-id")
        .first()
    )


def agency_names() -> dict[str, str]:
    """Agency code → name in the active language."""
    return {agency.code: agency.name for agency in Agency.objects.all()}


def chain_order(event_code: str) -> list[str]:
    """The agency codes of a life event's chain, in chain order."""
    event = LifeEvent.objects.filter(code=event_code).first()
    if event is None:
        return []
    return list(event.links.order_by("position").values_list("agency__code", flat=True))


# --- benchmark ---------------------------------------------------------------------------------


def benchmark_templates(organisation: Organisation) -> list[QuestionnaireVersion]:
    """Template versions the organisation's surveys are based on (what it can benchmark on)."""
    ids = (
        Wave.objects.filter(organisation=organisation)
        .exclude(version__questionnaire__based_on=None)
        .values_list("version__questionnaire__based_on", flat=True)
        .distinct()
    )
    return list(
        QuestionnaireVersion.objects.filter(pk__in=list(ids))
        .select_related("questionnaire")
        .order_by("questionnaire__title_nl", "-number")
    )


def latest_waves_on(template: QuestionnaireVersion, now: datetime | None = None) -> list[Wave]:
    """Per active organisation, its latest opened wave of a version based on ``template``."""
    now = now or timezone.now()
    waves = (
        Wave.objects.filter(
            version__questionnaire__based_on=template,
            opens_at__lte=now,
            organisation__is_active=True,
        )
        .select_related("survey", "version", "version__questionnaire", "organisation")
        .order_by("organisation_id", "-closes_at", "-id")
    )
    latest: dict[int, Wave] = {}
    for wave in waves:
        latest.setdefault(wave.organisation_id, wave)
    return list(latest.values())
