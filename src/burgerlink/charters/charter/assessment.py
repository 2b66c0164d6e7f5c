"""The charter prize assessment: a charter scored against the three C's plus evidence (pure).

The programme's charter prize judged charters on the three C's — **C**itizen-oriented,
measurable norms; **C**ommunication of the norm at the point of service; **C**ompensation when a
promise is broken — plus evidence that the charter is measured and published. The criteria
below are our choice. Each scores 0–4 with one sentence of reason; the total is out of 36.

C1 Citizen-oriented and measurable norms

* ``c1_measurable`` — a norm measured from every contact or case counts 1, a norm that is
  reported per period counts ½; the average is scored on the share scale.
* ``c1_breadth`` — channels and products with a promise: 0 → 0, 1 → 1, 2–3 → 2, 4–5 → 3, 6+ → 4
  (citizens choose their channel, BurgerServiceCode norm 1).
* ``c1_bsc`` — BurgerServiceCode norms the promises serve: 0 → 0, 1–2 → 1, 3–4 → 2, 5–6 → 3,
  7+ → 4.

C2 Communication at the point of service

* ``c2_visible`` — a published version valid today (public page) 2, posters for its channels 1,
  and 1 when at least 80% of the promises say when the clock starts and stops, so a citizen can
  check the promise there and then.
* ``c2_plain_language`` — 2 when every Dutch promise is at most 25 words (1 from 75%), plus 2
  when every promise is also in English (1 from half).

C3 Compensation

* ``c3_defined`` — the share of promises that say what happens when they are broken.
* ``c3_clear`` — of those, the share explained in plain words, with an amount where it is money.

Evidence of measurement and publication

* ``e_measured`` — the share of promises with results measured or reported in the last twelve
  months.
* ``e_published_reviewed`` — results published for 3+ months of the last twelve 2 (1–2 months:
  1), plus the yearly review: not yet due 2, at most 90 days overdue 1.

The share scale: 90% or more → 4, 70% → 3, 50% → 2, anything above 0 → 1, nothing → 0.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from burgerlink.core.numbers import format_percent

MAX_SCORE = 4
PLAIN_LANGUAGE_WORDS = 25
REVIEW_GRACE_DAYS = 90

GROUPS = {
    "c1": gettext_lazy("C1 Burgergerichte, meetbare normen"),
    "c2": gettext_lazy("C2 Communicatie op de plek van de dienstverlening"),
    "c3": gettext_lazy("C3 Compensatie"),
    "evidence": gettext_lazy("Bewijs van meten en publiceren"),
}


@dataclass(frozen=True)
class NormFacts:
    """What the assessment needs to know about one promise."""

    code: str
    group: str  # the channel or product the promise is about
    record_kind: str  # contact, case or reported
    bsc_norms: tuple[int, ...]
    promise_nl: str
    promise_en: str
    states_clock: bool  # when the clock starts and stops is written down
    has_compensation: bool
    compensation_text: str
    needs_amount: bool  # money compensation (a fixed amount or a penalty per day)
    has_amount: bool


@dataclass(frozen=True)
class CharterFacts:
    """The facts about an organisation's charter on ``today``."""

    today: date
    version_number: int | None  # the published version valid today, if any
    norms: tuple[NormFacts, ...]
    review_due: date | None
    measured_codes: frozenset[str]  # codes measured or reported in the last twelve months
    published_months: int  # months of the last twelve with published results


@dataclass(frozen=True)
class Criterion:
    """One scored criterion with the reason for its score."""

    code: str
    group: str
    title: str
    score: int
    reason: str
    maximum: int = MAX_SCORE

    @property
    def share(self) -> float:
        """Score as a share of the maximum (for the bar beside the number)."""
        return self.score / self.maximum if self.maximum else 0.0

    @property
    def group_title(self) -> str:
        """The heading of the C (or evidence) this criterion belongs to."""
        return str(GROUPS[self.group])


@dataclass(frozen=True)
class Assessment:
    """The scored assessment: criteria in order, total and maximum."""

    version_number: int | None
    criteria: tuple[Criterion, ...]

    @property
    def total(self) -> int:
        """Sum of the scores."""
        return sum(c.score for c in self.criteria)

    @property
    def maximum(self) -> int:
        """Highest possible total."""
        return sum(c.maximum for c in self.criteria)

    @property
    def share(self) -> float:
        """Total as a share of the maximum."""
        return self.total / self.maximum if self.maximum else 0.0

    @property
    def verdict(self) -> str:
        """A one-line verdict for the jury (our bands: 75% and 50%)."""
        if self.share >= 0.75:
            return _("Sterke kandidaat voor de handvestprijs.")
        if self.share >= 0.5:
            return _("Een goede basis; op enkele punten nog niet sterk genoeg voor de prijs.")
        return _("Nog niet klaar voor de handvestprijs.")


def score_from_share(share: float) -> int:
    """Map a share 0–1 to 0–4: 90% → 4, 70% → 3, 50% → 2, above 0 → 1, nothing → 0."""
    if share >= 0.9:
        return 4
    if share >= 0.7:
        return 3
    if share >= 0.5:
        return 2
    return 1 if share > 0 else 0


def _banded(count: int, bands: tuple[int, int, int, int]) -> int:
    """Score a count: at least bands[i] gives i + 1 points."""
    return sum(1 for lower in bands if count >= lower)


def _pct(share: float) -> str:
    return format_percent(share)


def _no_norms(code: str, group: str, title: str) -> Criterion:
    return Criterion(
        code, group, title, 0, _("Er geldt vandaag geen gepubliceerd handvest met beloften.")
    )


def _measurable(norms: tuple[NormFacts, ...]) -> Criterion:
    title = _("Meetbare normen")
    if not norms:
        return _no_norms("c1_measurable", "c1", title)
    records = sum(1 for n in norms if n.record_kind != "reported")
    reported = len(norms) - records
    share = (records + reported / 2) / len(norms)
    reason = _(
        "%(records)s van de %(total)s beloften worden bij elk contact of elke zaak gemeten en "
        "%(reported)s worden per periode gerapporteerd (gewogen %(share)s)."
    ) % {"records": records, "total": len(norms), "reported": reported, "share": _pct(share)}
    return Criterion("c1_measurable", "c1", title, score_from_share(share), reason)


def _breadth(norms: tuple[NormFacts, ...]) -> Criterion:
    title = _("Kanalen en producten")
    if not norms:
        return _no_norms("c1_breadth", "c1", title)
    groups = sorted({n.group for n in norms})
    reason = _("Het handvest doet beloften over %(n)s kanalen en producten: %(names)s.") % {
        "n": len(groups),
        "names": ", ".join(groups),
    }
    return Criterion("c1_breadth", "c1", title, _banded(len(groups), (1, 2, 4, 6)), reason)


def _bsc(norms: tuple[NormFacts, ...]) -> Criterion:
    title = _("Verbonden met de BurgerServiceCode")
    if not norms:
        return _no_norms("c1_bsc", "c1", title)
    covered = sorted({number for n in norms for number in n.bsc_norms})
    if covered:
        reason = _(
            "De beloften dienen %(n)s van de tien normen van de BurgerServiceCode (%(numbers)s)."
        ) % {"n": len(covered), "numbers": ", ".join(str(n) for n in covered)}
    else:
        reason = _("Geen enkele belofte is verbonden met een norm van de BurgerServiceCode.")
    return Criterion("c1_bsc", "c1", title, _banded(len(covered), (1, 3, 5, 7)), reason)


def _visible(facts: CharterFacts) -> Criterion:
    title = _("Openbaar en zichtbaar op de plek")
    norms = facts.norms
    if facts.version_number is None or not norms:
        return _no_norms("c2_visible", "c2", title)
    groups = len({n.group for n in norms})
    clock_share = sum(1 for n in norms if n.states_clock) / len(norms)
    score = 2 + 1 + (1 if clock_share >= 0.8 else 0)
    reason = _(
        "Versie %(version)s staat op de openbare pagina, met een poster voor elk van de "
        "%(groups)s kanalen en producten; %(share)s van de beloften zegt wanneer de klok "
        "begint en stopt (1 punt vanaf 80%%)."
    ) % {"version": facts.version_number, "groups": groups, "share": _pct(clock_share)}
    return Criterion("c2_visible", "c2", title, score, reason)


def _plain_language(norms: tuple[NormFacts, ...]) -> Criterion:
    title = _("Gewone taal, ook in het Engels")
    if not norms:
        return _no_norms("c2_plain_language", "c2", title)
    short = sum(
        1
        for n in norms
        if n.promise_nl.strip() and len(n.promise_nl.split()) <= PLAIN_LANGUAGE_WORDS
    ) / len(norms)
    english = sum(1 for n in norms if n.promise_en.strip()) / len(norms)
    score = (2 if short == 1 else 1 if short >= 0.75 else 0) + (
        2 if english == 1 else 1 if english >= 0.5 else 0
    )
    reason = _(
        "%(short)s van de beloften is kort genoeg voor gewone taal (hooguit %(words)s woorden) "
        "en %(english)s staat er ook in het Engels."
    ) % {"short": _pct(short), "words": PLAIN_LANGUAGE_WORDS, "english": _pct(english)}
    return Criterion("c2_plain_language", "c2", title, score, reason)


def _compensation_defined(norms: tuple[NormFacts, ...]) -> Criterion:
    title = _("Compensatie vastgelegd")
    if not norms:
        return _no_norms("c3_defined", "c3", title)
    with_compensation = sum(1 for n in norms if n.has_compensation)
    share = with_compensation / len(norms)
    reason = _(
        "%(n)s van de %(total)s beloften zeggen wat u krijgt als de belofte niet wordt "
        "nagekomen (%(share)s)."
    ) % {"n": with_compensation, "total": len(norms), "share": _pct(share)}
    return Criterion("c3_defined", "c3", title, score_from_share(share), reason)


def _compensation_clear(norms: tuple[NormFacts, ...]) -> Criterion:
    title = _("Compensatie duidelijk uitgelegd")
    if not norms:
        return _no_norms("c3_clear", "c3", title)
    compensated = [n for n in norms if n.has_compensation]
    if not compensated:
        return Criterion(
            "c3_clear", "c3", title, 0, _("Het handvest belooft nergens een compensatie.")
        )
    clear = sum(
        1
        for n in compensated
        if n.compensation_text.strip() and (n.has_amount or not n.needs_amount)
    )
    share = clear / len(compensated)
    reason = _(
        "%(n)s van de %(total)s compensaties zijn in gewone taal uitgelegd, met een bedrag "
        "waar het om geld gaat (%(share)s)."
    ) % {"n": clear, "total": len(compensated), "share": _pct(share)}
    return Criterion("c3_clear", "c3", title, score_from_share(share), reason)


def _measured(facts: CharterFacts) -> Criterion:
    title = _("Gemeten")
    norms = facts.norms
    if not norms:
        return _no_norms("e_measured", "evidence", title)
    measured = sum(1 for n in norms if n.code in facts.measured_codes)
    share = measured / len(norms)
    reason = _(
        "Voor %(n)s van de %(total)s beloften zijn in de afgelopen twaalf maanden resultaten "
        "gemeten of gerapporteerd (%(share)s)."
    ) % {"n": measured, "total": len(norms), "share": _pct(share)}
    return Criterion("e_measured", "evidence", title, score_from_share(share), reason)


def _published_and_reviewed(facts: CharterFacts) -> Criterion:
    title = _("Gepubliceerd en jaarlijks herzien")
    months = facts.published_months
    published = 2 if months >= 3 else 1 if months >= 1 else 0
    published_reason = _(
        "Er zijn resultaten gepubliceerd over %(n)s van de afgelopen twaalf maanden."
    ) % {"n": months}
    if facts.review_due is None:
        reviewed = 0
        review_reason = _("Er is geen gepubliceerde versie met een herzieningsdatum.")
    else:
        late = (facts.today - facts.review_due).days
        if late <= 0:
            reviewed = 2
            review_reason = _("De jaarlijkse herziening is pas op %(date)s nodig.")
        elif late <= REVIEW_GRACE_DAYS:
            reviewed = 1
            review_reason = _("De jaarlijkse herziening had op %(date)s moeten gebeuren.")
        else:
            reviewed = 0
            review_reason = _(
                "De jaarlijkse herziening had op %(date)s moeten gebeuren; dat is meer dan "
                "drie maanden geleden."
            )
        review_reason = review_reason % {"date": date_format(facts.review_due, "j F Y")}
    return Criterion(
        "e_published_reviewed",
        "evidence",
        title,
        published + reviewed,
        f"{published_reason} {review_reason}",
    )


def assess(facts: CharterFacts) -> Assessment:
    """Score a charter on the nine criteria described in this module's docstring."""
    norms = facts.norms if facts.version_number is not None else ()
    return Assessment(
        version_number=facts.version_number,
        criteria=(
            _measurable(norms),
            _breadth(norms),
            _bsc(norms),
            _visible(facts),
            _plain_language(norms),
            _compensation_defined(norms),
            _compensation_clear(norms),
            _measured(replace(facts, norms=norms)),
            _published_and_reviewed(facts),
        ),
    )
