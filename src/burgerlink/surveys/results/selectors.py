"""Reads of the results area: a wave's completed responses as the analysis engine's input.

The hot path (``wave_analysis``) runs one query over ``Answer`` (response id, code, number) for
the whole wave, pivots it with numpy into a column-major float matrix (``pivot.pivot``) and hands
it to ``analyse_wave``. Weights are computed once for the whole wave (raking to the wave's
population shares, or the weights delivered with imported responses) and then restricted with
the rows when a filter (life event, organisation, background group) is applied. Results are
cached per process, keyed by the wave's state, so a page and its charts share one computation.

Nothing here returns who gave which answer: open answers come back as texts only.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from burgerlink.core.models import Agency, LifeEvent, Organisation
from burgerlink.surveys.analysis import (
    GOVERNMENT,
    DriverSettings,
    EstimateSettings,
    GradeEstimate,
    Grouping,
    OrganisationGrades,
    SmallGroupRule,
    WaveComparison,
    WaveData,
    WaveResult,
    WaveSettings,
    analyse_wave,
    compare_waves,
)
from burgerlink.surveys.definition import parse
from burgerlink.surveys.models import (
    AnalysisSettings,
    Answer,
    Invitee,
    InviteeStatus,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Survey,
    TemplateKind,
    Wave,
)
from burgerlink.surveys.results.pivot import (
    IntArray,
    LongAnswers,
    TargetsError,
    Weights,
    pivot,
    rake_to_targets,
    stored_weights,
    unweighted,
)
from burgerlink.surveys.results.variables import Catalogue, catalogue

FETCH_SIZE = 50_000
CACHE_SIZE = 16
ORGANISATION_GRADE = "organisation_grade"
MAX_ID = 2**63 - 1


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the results are restricted to: a life event, an organisation, a background group."""

    life_event: str = ""
    organisation: str = ""
    background: tuple[str, str] | None = None

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.life_event or self.organisation or self.background)

    def key(self) -> tuple[str, str, str, str]:
        """A hashable form for caching."""
        name, value = self.background or ("", "")
        return (self.life_event, self.organisation, name, value)

    def query(self) -> dict[str, str]:
        """The GET parameters of the results pages for these filters."""
        params = {}
        if self.life_event:
            params["levensgebeurtenis"] = self.life_event
        if self.organisation:
            params["organisatie"] = self.organisation
        if self.background:
            params["achtergrond"] = f"{self.background[0]}:{self.background[1]}"
        return params


def parse_background(value: str) -> tuple[str, str] | None:
    """``"age_group:18-34"`` → ``("age_group", "18-34")``; empty → None; else ValueError."""
    value = (value or "").strip()
    if not value:
        return None
    name, colon, category = value.partition(":")
    if not colon or not name.strip() or not category.strip():
        raise ValueError(
            _("Geef een achtergrondgroep als variabele:waarde, bijvoorbeeld age_group:18-34.")
        )
    return name.strip(), category.strip()


# --- the wave's version, settings and responses ------------------------------------------------


def wave_catalogue(wave: Wave) -> Catalogue:
    """The variable catalogue of the wave's questionnaire version."""
    return _catalogue_of(wave.version_id, wave.version.definition)


_CATALOGUES: OrderedDict[tuple[int, str], Catalogue] = OrderedDict()
_LOCK = threading.Lock()


def _catalogue_of(version_id: int, definition: dict[str, Any]) -> Catalogue:
    digest = hashlib.sha256(
        json.dumps(definition, sort_keys=True, default=str).encode()
    ).hexdigest()
    key = (version_id, digest)
    with _LOCK:
        found = _CATALOGUES.get(key)
    if found is not None:
        return found
    made = catalogue(parse(definition))
    with _LOCK:
        _CATALOGUES[key] = made
        while len(_CATALOGUES) > CACHE_SIZE:
            _CATALOGUES.popitem(last=False)
    return made


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


def completed(wave: Wave) -> QuerySet[Response]:
    """The wave's completed responses."""
    return Response.objects.filter(wave_id=wave.pk, status=ResponseStatus.COMPLETED)


def completed_ids(wave: Wave) -> IntArray:
    """Ids of the wave's completed responses, sorted."""
    ids = completed(wave).order_by("id").values_list("id", flat=True)
    return np.fromiter(ids.iterator(chunk_size=FETCH_SIZE), dtype=np.int64)


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


# --- background variables and weights ----------------------------------------------------------


def weighting_targets(wave: Wave) -> dict[str, dict[str, float]]:
    """The wave's population shares per weighting variable (nested forms tolerated)."""
    raw = wave.weighting if isinstance(wave.weighting, dict) else {}
    nested = raw.get("variables") or raw.get("margins")
    source = nested if isinstance(nested, dict) else raw
    targets: dict[str, dict[str, float]] = {}
    for name, shares in source.items():
        if not isinstance(shares, dict) or str(name).startswith("_"):
            continue
        clean = {}
        for category, share in shares.items():
            if isinstance(share, int | float) and not isinstance(share, bool):
                clean[str(category)] = float(share)
        if len(clean) >= 2:
            targets[str(name)] = clean
    return targets


@dataclass(frozen=True)
class Backgrounds:
    """Per background variable: its categories and each response's category code (-1: none)."""

    categories: dict[str, list[str]]
    codes: dict[str, IntArray]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        """The categories of one variable."""
        return self.categories.get(name, [])


def background_categories(
    wave: Wave, cat: Catalogue
) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    """Categories (and their labels) of every background variable: weighting and questions."""
    language = get_language() or "nl"
    categories: dict[str, list[str]] = {}
    labels: dict[str, dict[str, str]] = {}
    for name, shares in weighting_targets(wave).items():
        categories[name] = list(shares)
    for question in cat.backgrounds:
        known = categories.setdefault(question.name, [])
        names = labels.setdefault(question.name, {})
        for code, key in question.options.items():
            if key not in known:
                known.append(key)
            names.setdefault(key, question.labels[code].get(language))
    return categories, labels


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


def backgrounds(
    wave: Wave,
    cat: Catalogue,
    response_ids: IntArray,
    matrix: npt.NDArray[np.float64] | None = None,
    sample: dict[str, SampleColumn] | None = None,
) -> Backgrounds:
    """Each response's category per background variable.

    The response's own background (from the sample) comes first; a background question's
    answer fills in what the sample did not give. With ``matrix`` (the wave's pivoted answers)
    the background questions are read from it, else they are fetched in one query; ``sample``
    passes sample values already read (``sample_values``).
    """
    categories, labels = background_categories(wave, cat)
    size = response_ids.size
    if sample is None or any(name not in sample for name in categories):
        sample = sample_values(wave, list(categories), response_ids)
    codes: dict[str, IntArray] = {}
    for name, known in categories.items():
        column = sample[name]
        lookup = np.array(
            [known.index(value) if value in known else -1 for value in column.values] + [-1],
            dtype=np.int64,
        )
        codes[name] = lookup[np.where(column.codes >= 0, column.codes, len(column.values))]
    found = None
    missing = any(bool((codes.get(q.name, np.zeros(0)) < 0).any()) for q in cat.backgrounds)
    if matrix is None and cat.backgrounds and size and missing:
        index = {question.code: i for i, question in enumerate(cat.backgrounds)}
        found = numeric_answers(wave, index, codes=list(index))
        at = np.minimum(np.searchsorted(response_ids, found.response), size - 1)
        known_rows = response_ids[at] == found.response
    for position, question in enumerate(cat.backgrounds):
        if matrix is not None:
            column_index = cat.index.get(question.code)
            if column_index is None:
                continue
            answered = matrix[:, column_index]
            rows = np.flatnonzero(~np.isnan(answered))
            numbers = answered[rows]
        elif found is not None:
            mine = known_rows & (found.column == position)
            rows, numbers = at[mine], found.value[mine]
        else:
            continue
        known = categories[question.name]
        option_codes = sorted(question.options)
        if not option_codes or not rows.size:
            continue
        lookup = np.full(max(option_codes) + 2, -1, dtype=np.int64)
        for option, key in question.options.items():
            if option >= 0 and key in known:
                lookup[option] = known.index(key)
        answer = np.clip(numbers, -1, max(option_codes) + 1)
        answer = np.where(np.isnan(answer), -1, answer).astype(np.int64)
        mapped = np.where(answer >= 0, lookup[np.maximum(answer, 0)], -1)
        target = codes[question.name]
        fill = target[rows] < 0
        target[rows[fill]] = mapped[fill]
    return Backgrounds(categories, codes, labels)


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


def wave_weights(wave: Wave, response_ids: IntArray, found: Backgrounds) -> Weights:
    """The weights of the whole wave: raking to its targets, stored weights, or none.

    A target category without respondents gives a clear message and equal weights, never an
    error.
    """
    targets = weighting_targets(wave)
    size = response_ids.size
    if targets:
        try:
            return rake_to_targets(targets, found.codes, size)
        except TargetsError as problem:
            variable, category = problem.args[0], problem.args[1]
            if category:
                message = _(
                    "De weging kon niet worden toegepast: categorie '%(category)s' van "
                    "%(variable)s heeft een populatieaandeel maar geen respondenten. De "
                    "resultaten zijn daarom ongewogen; voeg categorieën samen in de weging."
                ) % {"category": category, "variable": variable}
            else:
                message = _(
                    "De weging kon niet worden toegepast (%(problem)s). De resultaten zijn "
                    "daarom ongewogen."
                ) % {"problem": variable}
            return unweighted(size, message)
    stored = stored_response_weights(wave, response_ids)
    if stored is not None:
        return stored_weights(stored)
    return unweighted(size)


# --- the analysis ------------------------------------------------------------------------------


@dataclass
class WaveAnalysis:
    """A wave's results for one set of filters, with everything the pages need around them."""

    wave: Wave
    filters: Filters
    catalogue: Catalogue
    result: WaveResult
    n_total: int
    weights: Weights
    rules: Rules
    backgrounds: Backgrounds
    response_ids: IntArray
    fpc: bool = False

    @property
    def n(self) -> int:
        """Responses in the (filtered) analysis."""
        return self.result.n_responses

    def government(self, variable: str) -> GradeEstimate | None:
        """The government-level estimate of one variable."""
        estimates = self.result.levels[GOVERNMENT].variables.get(variable)
        return None if estimates is None else estimates.estimate_at(0)

    def small_for_open_answers(self) -> bool:
        """Whether a filtered group is too small to show open answers without risk."""
        return self.filters.active and self.n < self.rules.hide_below


@dataclass
class _Prepared:
    catalogue: Catalogue
    response_ids: IntArray
    matrix: npt.NDArray[np.float64]
    backgrounds: Backgrounds
    weights: Weights


_RESULTS: OrderedDict[tuple[Any, ...], WaveAnalysis] = OrderedDict()
_PREPARED: OrderedDict[tuple[Any, ...], _Prepared] = OrderedDict()


def clear_cache() -> None:
    """Forget every cached analysis (tests; after writes that change a wave's answers)."""
    with _LOCK:
        _RESULTS.clear()
        _PREPARED.clear()
        _CATALOGUES.clear()


def _stamp(wave: Wave) -> tuple[Any, ...]:
    counts = completed(wave).aggregate(n=Count("id"), last=Max("completed_at"), top=Max("id"))
    rules = rules_for(wave.organisation_id)
    return (
        wave.pk,
        wave.created_at.isoformat() if wave.created_at else "",
        wave.version_id,
        counts["n"],
        counts["top"],
        counts["last"].isoformat() if counts["last"] else "",
        json.dumps(wave.weighting, sort_keys=True, default=str),
        wave.population_size,
        rules,
    )


def _prepare(wave: Wave, stamp: tuple[Any, ...]) -> _Prepared:
    with _LOCK:
        found = _PREPARED.get(stamp)
    if found is not None:
        return found
    cat = wave_catalogue(wave)
    response_ids = completed_ids(wave)
    index = cat.index
    answers = numeric_answers(wave, index)
    matrix = pivot(response_ids, answers, len(cat.numeric), cat.coded_columns)
    found_backgrounds = backgrounds(wave, cat, response_ids, matrix)
    weights = wave_weights(wave, response_ids, found_backgrounds)
    prepared = _Prepared(cat, response_ids, matrix, found_backgrounds, weights)
    with _LOCK:
        _PREPARED[stamp] = prepared
        while len(_PREPARED) > 4:
            _PREPARED.popitem(last=False)
    return prepared


def _life_event_codes(
    cat: Catalogue, matrix: npt.NDArray[np.float64]
) -> tuple[IntArray, tuple[str, ...]]:
    """Per row the position of its life event among ``cat.events`` (-1: none)."""
    labels = tuple(event.key for event in cat.events)
    if cat.screening is None or not cat.events:
        return np.full(matrix.shape[0], -1, dtype=np.int64), labels
    column = matrix[:, cat.index[cat.screening]]
    highest = max(event.code for event in cat.events)
    lookup = np.full(highest + 2, -1, dtype=np.int64)
    for position, event in enumerate(cat.events):
        lookup[event.code] = position
    values = np.where(np.isnan(column), highest + 1, column)
    values = np.clip(values, 0, highest + 1).astype(np.int64)
    valid = np.isin(column, [float(event.code) for event in cat.events])
    codes = lookup[values]
    codes[~valid] = -1
    return codes, labels


def _organisation_grades(
    cat: Catalogue, matrix: npt.NDArray[np.float64]
) -> OrganisationGrades | None:
    if not cat.organisations:
        return None
    index = cat.index
    rows, groups, grades = [], [], []
    agencies = sorted({agency for _code, agency in cat.organisations})
    position = {agency: i for i, agency in enumerate(agencies)}
    for code, agency in cat.organisations:
        column = matrix[:, index[code]]
        answered = np.flatnonzero(~np.isnan(column))
        rows.append(answered)
        groups.append(np.full(answered.size, position[agency], dtype=np.int64))
        grades.append(column[answered])
    return OrganisationGrades(
        response=np.concatenate(rows).astype(np.intp),
        organisation=Grouping.from_codes(np.concatenate(groups), agencies),
        grade=np.concatenate(grades),
        name=ORGANISATION_GRADE,
    )


def _filter_rows(
    prepared: _Prepared, filters: Filters, event_codes: IntArray, event_labels: tuple[str, ...]
) -> npt.NDArray[np.bool_]:
    cat = prepared.catalogue
    keep = np.ones(prepared.response_ids.size, dtype=np.bool_)
    if filters.life_event:
        if filters.life_event in event_labels:
            keep &= event_codes == event_labels.index(filters.life_event)
        else:
            keep[:] = False
    if filters.organisation:
        index = cat.index
        mine = np.zeros_like(keep)
        for code, agency in cat.organisations:
            if agency == filters.organisation:
                mine |= ~np.isnan(prepared.matrix[:, index[code]])
        for code, agency in cat.contacts:
            if agency == filters.organisation:
                mine |= prepared.matrix[:, index[code]] == 1
        keep &= mine
    if filters.background:
        name, value = filters.background
        categories = prepared.backgrounds.categories.get(name, [])
        if value in categories:
            keep &= prepared.backgrounds.codes[name] == categories.index(value)
        else:
            keep[:] = False
    return keep


def wave_analysis(wave: Wave, filters: Filters | None = None) -> WaveAnalysis:
    """Analyse a wave's completed responses (filtered), from the per-process cache if current."""
    filters = filters or Filters()
    stamp = _stamp(wave)
    key = (*stamp, filters.key(), get_language() or "nl")
    with _LOCK:
        found = _RESULTS.get(key)
        if found is not None:
            _RESULTS.move_to_end(key)
    if found is not None:
        return found
    prepared = _prepare(wave, stamp)
    cat = prepared.catalogue
    rules = stamp[-1]
    event_codes, event_labels = _life_event_codes(cat, prepared.matrix)
    keep = _filter_rows(prepared, filters, event_codes, event_labels)
    everything = bool(keep.all())
    matrix = prepared.matrix if everything else np.asfortranarray(prepared.matrix[keep])
    events = _present_groups(event_codes if everything else event_codes[keep], event_labels)
    grades = _organisation_grades(cat, matrix)
    if grades is not None and filters.organisation:
        grades = _only_organisation(grades, filters.organisation)
    aspects = cat.driver_aspects()
    drivers = None
    if cat.overall is not None and aspects:
        kinds = {cat.by_code[code].kind for code in aspects}
        drivers = DriverSettings(
            outcome=cat.overall,
            aspects=aspects,
            performance="mean" if len(kinds) == 1 else "share",
        )
    fpc = bool(wave.population_size) and not filters.active
    settings = WaveSettings(
        estimates=EstimateSettings(small_groups=rules.small_groups),
        drivers=drivers,
        population_sizes={GOVERNMENT: {"all": float(wave.population_size or 0)}} if fpc else None,
    )
    result = analyse_wave(
        WaveData(
            answers=matrix,
            variables=cat.specs(),
            life_events=events,
            organisation_grades=grades,
            base_weights=prepared.weights.weights if everything else prepared.weights.take(keep),
        ),
        settings=settings,
    )
    analysis = WaveAnalysis(
        wave=wave,
        filters=filters,
        catalogue=cat,
        result=result,
        n_total=int(prepared.response_ids.size),
        weights=prepared.weights,
        rules=rules,
        backgrounds=prepared.backgrounds,
        response_ids=prepared.response_ids if everything else prepared.response_ids[keep],
        fpc=fpc,
    )
    with _LOCK:
        _RESULTS[key] = analysis
        while len(_RESULTS) > CACHE_SIZE:
            _RESULTS.popitem(last=False)
    return analysis


def _present_groups(codes: IntArray, labels: tuple[str, ...]) -> Grouping:
    """A grouping with only the life events that have responses (in questionnaire order)."""
    present = np.unique(codes[codes >= 0])
    remap = np.full(max(len(labels), 1), -1, dtype=np.int64)
    remap[present] = np.arange(present.size)
    mapped = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return Grouping.from_codes(mapped, [labels[i] for i in present.tolist()])


def _only_organisation(grades: OrganisationGrades, agency: str) -> OrganisationGrades:
    grouping = grades.organisation
    if not isinstance(grouping, Grouping) or agency not in grouping.labels:
        return grades
    mine = grouping.codes == grouping.labels.index(agency)
    return OrganisationGrades(
        response=np.asarray(grades.response)[mine],
        organisation=Grouping.from_codes(np.zeros(int(mine.sum()), dtype=np.int64), [agency]),
        grade=np.asarray(grades.grade)[mine],
        name=grades.name,
    )


def comparison(current: WaveAnalysis, previous: WaveAnalysis) -> list[WaveComparison]:
    """Welch tests of every (level, group, variable) the two waves share (α of the settings)."""
    return compare_waves(current.result, previous.result, alpha=current.rules.alpha)


# --- waves, counts and pages -----------------------------------------------------------------


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


def open_answers(analysis: WaveAnalysis, code: str) -> list[str]:
    """The texts of one open question for the analysed responses, sorted (no identities).

    Sorted alphabetically, so the order says nothing about who answered or when.
    """
    if code not in analysis.catalogue.open:
        return []
    rows = (
        Answer.objects.filter(
            response__wave_id=analysis.wave.pk,
            response__status=ResponseStatus.COMPLETED,
            code=code,
        )
        .exclude(text="")
        .values_list("response_id", "text")
    )
    pairs = [(response_id, text) for chunk in raw_rows(rows) for response_id, text in chunk]
    if analysis.filters.active:
        allowed = analysis.response_ids
        ids = np.fromiter((pair[0] for pair in pairs), dtype=np.int64, count=len(pairs))
        keep = np.isin(ids, allowed)
        pairs = [pair for pair, kept in zip(pairs, keep.tolist(), strict=True) if kept]
    texts = [str(text).strip() for _id, text in pairs if str(text).strip()]
    return sorted(texts, key=str.casefold)


def open_answer_counts(analysis: WaveAnalysis) -> dict[str, int]:
    """How many open answers each open question has in the whole wave."""
    if not analysis.catalogue.open:
        return {}
    rows = (
        Answer.objects.filter(
            response__wave_id=analysis.wave.pk,
            response__status=ResponseStatus.COMPLETED,
            code__in=analysis.catalogue.open,
        )
        .exclude(text="")
        .values("code")
        .annotate(n=Count("id"))
    )
    return {row["code"]: row["n"] for row in rows}


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


@dataclass(frozen=True)
class BenchmarkRow:
    """One organisation's latest wave on a template version: overall and chain grade."""

    organisation: Organisation
    wave: Wave
    n: int
    overall: GradeEstimate | None
    chain: GradeEstimate | None
    own: bool


def benchmark(
    template: QuestionnaireVersion, organisation: Organisation, now: datetime | None = None
) -> list[BenchmarkRow]:
    """Per organisation that fielded a version based on ``template``: its latest wave's grades."""
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
    rows = []
    for wave in latest.values():
        analysis = wave_analysis(wave)
        if analysis.n_total == 0:
            continue
        cat = analysis.catalogue
        rows.append(
            BenchmarkRow(
                organisation=wave.organisation,
                wave=wave,
                n=analysis.n_total,
                overall=analysis.government(cat.overall) if cat.overall else None,
                chain=analysis.government(cat.chain) if cat.chain else None,
                own=wave.organisation_id == organisation.pk,
            )
        )
    return sorted(rows, key=lambda row: row.organisation.name)
