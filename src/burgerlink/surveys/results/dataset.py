"""A wave's completed responses assembled into the analysis engine's input, and its results.

``prepare`` reads the wave once (``selectors``: completed response ids, every numeric answer in
one query, the sample's background values, stored weights), pivots the answers with numpy into
a column-major float matrix (``pivot.pivot``), works out each response's background categories
and computes the weights of the whole wave (raking to the wave's population shares, or the
weights delivered with imported responses). ``wave_analysis`` restricts that to the rows a
filter (life event, organisation, background group) keeps and runs ``analyse_wave``. Both are
kept in the results area's cache (``cache.py``) under the wave's state (``WaveState``), so a
page, its charts and its PDF share one computation and a new response starts a fresh one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from burgerlink.core.models import Organisation
from burgerlink.surveys.analysis import (
    GOVERNMENT,
    DriverSettings,
    EstimateSettings,
    GradeEstimate,
    Grouping,
    OrganisationGrades,
    WaveComparison,
    WaveData,
    WaveResult,
    WaveSettings,
    analyse_wave,
    compare_waves,
)
from burgerlink.surveys.definition import parse
from burgerlink.surveys.models import QuestionnaireVersion, Wave
from burgerlink.surveys.results import selectors
from burgerlink.surveys.results.cache import Bounded, clear_all
from burgerlink.surveys.results.pivot import (
    IntArray,
    TargetsError,
    Weights,
    pivot,
    rake_to_targets,
    stored_weights,
    unweighted,
)
from burgerlink.surveys.results.selectors import Rules, rules_for
from burgerlink.surveys.results.variables import Catalogue, catalogue

ORGANISATION_GRADE = "organisation_grade"


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


# --- the wave's questionnaire ------------------------------------------------------------------


_CATALOGUES: Bounded[tuple[int, str], Catalogue] = Bounded("catalogues", 16)


def wave_catalogue(wave: Wave) -> Catalogue:
    """The variable catalogue of the wave's questionnaire version (kept per version content)."""
    definition = wave.version.definition
    digest = hashlib.sha256(
        json.dumps(definition, sort_keys=True, default=str).encode()
    ).hexdigest()
    return _CATALOGUES.get_or_make((wave.version_id, digest), lambda: catalogue(parse(definition)))


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


# Names of the usual background variables (the keys that samples and weighting targets use).
STANDARD_BACKGROUNDS: dict[str, Promise] = {
    "age_group": gettext_lazy("Leeftijd"),
    "sex": gettext_lazy("Geslacht"),
    "gender": gettext_lazy("Gender"),
    "education": gettext_lazy("Opleidingsniveau"),
    "district": gettext_lazy("Wijk"),
    "income": gettext_lazy("Inkomen"),
}


def background_name(name: str, cat: Catalogue, language: str) -> str:
    """What a background variable is called: its usual name, its question's text, or the key."""
    if name in STANDARD_BACKGROUNDS:
        return str(STANDARD_BACKGROUNDS[name])
    for question in cat.backgrounds:
        if question.name == name and question.text is not None:
            return question.text.get(language)
    return name


def background_value(name: str, value: str, backgrounds: Backgrounds) -> str:
    """What a category of a background variable is called (its option's label), or the code."""
    return backgrounds.labels.get(name, {}).get(value, value)


def backgrounds(
    wave: Wave,
    cat: Catalogue,
    response_ids: IntArray,
    matrix: npt.NDArray[np.float64] | None = None,
    sample: dict[str, selectors.SampleColumn] | None = None,
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
        sample = selectors.sample_values(wave, list(categories), response_ids)
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
        found = selectors.numeric_answers(wave, index, codes=list(index))
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
    stored = selectors.stored_response_weights(wave, response_ids)
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
    n_sampled: int = 0
    state: WaveState | None = None

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


@dataclass(frozen=True)
class WaveState:
    """Everything a wave's results depend on; a change of any part makes a new cache key.

    The completed responses (count, highest id, last completion), the questionnaire version,
    the weighting targets, the population size and the organisation's analysis rules.
    """

    wave_id: int
    created: str
    version_id: int
    responses: selectors.ResponseState
    weighting: str
    population: int | None
    rules: Rules

    @property
    def digest(self) -> str:
        """A short stable text of the whole state (for keys of the shared cache)."""
        text = json.dumps(dataclasses.asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def wave_state(wave: Wave) -> WaveState:
    """The wave's state now (two small queries: the responses' aggregate and the rules)."""
    return WaveState(
        wave_id=wave.pk,
        created=wave.created_at.isoformat() if wave.created_at else "",
        version_id=wave.version_id,
        responses=selectors.response_state(wave),
        weighting=json.dumps(wave.weighting, sort_keys=True, default=str),
        population=wave.population_size,
        rules=rules_for(wave.organisation_id),
    )


@dataclass
class Prepared:
    """A whole wave read once: its catalogue, response ids, answer matrix, backgrounds, weights."""

    catalogue: Catalogue
    response_ids: IntArray
    matrix: npt.NDArray[np.float64]
    backgrounds: Backgrounds
    weights: Weights
    sampled: npt.NDArray[np.bool_]


_PREPARED: Bounded[WaveState, Prepared] = Bounded("prepared waves", 4)
_RESULTS: Bounded[tuple[WaveState, tuple[str, str, str, str], str], WaveAnalysis] = Bounded(
    "analyses", 16
)


def clear_cache() -> None:
    """Forget every cached analysis (tests; after writes that change a wave's answers)."""
    clear_all()


def prepare(wave: Wave, state: WaveState) -> Prepared:
    """The wave read and pivoted once per state (from the cache when current)."""
    return _PREPARED.get_or_make(state, lambda: _read(wave))


def _read(wave: Wave) -> Prepared:
    cat = wave_catalogue(wave)
    response_ids = selectors.completed_ids(wave)
    answers = selectors.numeric_answers(wave, cat.index)
    matrix = pivot(response_ids, answers, len(cat.numeric), cat.coded_columns)
    found = backgrounds(wave, cat, response_ids, matrix)
    weights = wave_weights(wave, response_ids, found)
    sampled = selectors.sampled_mask(wave, response_ids)
    return Prepared(cat, response_ids, matrix, found, weights, sampled)


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
    prepared: Prepared, filters: Filters, event_codes: IntArray, event_labels: tuple[str, ...]
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
    """Analyse a wave's completed responses (filtered), from the cache when current."""
    filters = filters or Filters()
    state = wave_state(wave)
    key = (state, filters.key(), get_language() or "nl")
    found = _RESULTS.get(key)
    if found is not None:
        return found
    return _RESULTS.put(key, _analyse(wave, state, filters))


def _analyse(wave: Wave, state: WaveState, filters: Filters) -> WaveAnalysis:
    prepared = prepare(wave, state)
    cat = prepared.catalogue
    rules = state.rules
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
        # one 0-100 scale for every aspect: a yes/no item beside a five-point item compares
        # like with like
        drivers = DriverSettings(outcome=cat.overall, aspects=aspects, performance="scaled")
    # The population correction needs a population and answers drawn from it: responses by
    # personal link (selectors.SAMPLED_CHANNELS); only the unfiltered government level.
    fpc = bool(wave.population_size) and not filters.active and bool(prepared.sampled.any())
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
            sampled=prepared.sampled if fpc else None,
        ),
        settings=settings,
    )
    return WaveAnalysis(
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
        n_sampled=int(prepared.sampled.sum()),
        state=state,
    )


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


@dataclass(frozen=True)
class OpenAnswer:
    """One distinct open answer: how it reads and how many respondents gave it."""

    text: str
    count: int


_SPACES = re.compile(r"[^\S\n]+")


def same_answer(text: str) -> str:
    """The form under which answers count as identical: trimmed, spaces collapsed, case-folded."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class OpenAnswers:
    """The distinct answers to one open question (after a search), with the totals."""

    groups: list[OpenAnswer]
    answers: int
    matching: int


def open_answers(analysis: WaveAnalysis, code: str, search: str = "") -> OpenAnswers:
    """The texts of one open question for the analysed responses, grouped (no identities).

    Identical answers (``same_answer``: whitespace and case do not count) are one group with
    the number of respondents who gave them, shown in their most common spelling (the first
    not in capitals, alphabetically, among equally common ones). ``search``
    keeps the groups that contain it (compared the same way). Groups are sorted by number,
    then alphabetically, so the order says nothing about who answered or when.
    """
    if code not in analysis.catalogue.open:
        return OpenAnswers([], 0, 0)
    pairs = selectors.open_answer_rows(analysis.wave, code)
    if analysis.filters.active:
        ids = np.fromiter((pair[0] for pair in pairs), dtype=np.int64, count=len(pairs))
        keep = np.isin(ids, analysis.response_ids)
        pairs = [pair for pair, kept in zip(pairs, keep.tolist(), strict=True) if kept]
    spellings: dict[str, Counter[str]] = {}
    answers = 0
    for _id, raw in pairs:
        text = _SPACES.sub(" ", raw.strip())  # runs of spaces read as one; line breaks stay
        if not text:
            continue
        answers += 1
        spellings.setdefault(same_answer(text), Counter())[text] += 1
    wanted = same_answer(search)
    groups = []
    for key, counter in spellings.items():
        if wanted and wanted not in key:
            continue
        # the most common spelling; among equals one not in capitals, alphabetically first
        shown = min(
            counter.items(),
            key=lambda item: (-item[1], item[0].isupper(), item[0].casefold(), item[0]),
        )[0]
        groups.append(OpenAnswer(shown, sum(counter.values())))
    groups.sort(key=lambda group: (-group.count, group.text.casefold(), group.text))
    return OpenAnswers(groups, answers, sum(group.count for group in groups))


# --- benchmark ---------------------------------------------------------------------------------


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
    rows = []
    for wave in selectors.latest_waves_on(template, now):
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
