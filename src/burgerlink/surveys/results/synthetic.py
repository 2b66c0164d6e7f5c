"""Synthetic answers to the life-event survey with planted drivers (pure numpy, seeded).

Used by the demo world (``demo.py``) and by tests that check the analysis finds what was
planted. The model, per respondent:

* a life event (unequal shares) and background variables drawn with a **non-response bias**
  (older and higher-educated people answer more often than the population has them), with small
  effects of age and education on satisfaction, so weighting changes the estimates;
* aspects: latent scores ``z_j = 0.4·C + 0.92·e_j`` (``C`` a common factor), cut into the
  five-point scale (3 % "don't know");
* the overall grade ``6.75 + event + background + Σ β_j z_j + noise``, rounded into 1–10, with
  **known weights** ``β``: speed and clear information strong, cooperation medium, treatment and
  ease weak, freedom of choice very weak — so the derived importance ranks them in that order;
* the chain grade and a grade per organisation of the event's chain (after a "yes" on contact,
  5 % "don't know") around the overall grade, with an effect per organisation;
* the ten BurgerServiceCode items good / not good, each driven by a related aspect (8 % not
  applicable); throughput time, channels used, a few dozen short open answers; 3 % had no
  contact with government and stop after the screening.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from burgerlink.surveys.definition import DONT_KNOW, NOT_APPLICABLE
from burgerlink.surveys.results.variables import Catalogue

FloatArray = npt.NDArray[np.float64]

DRIVER_WEIGHTS: dict[str, float] = {
    "SPEED": 0.8,
    "INFO_CLEAR": 0.7,
    "COOPERATION": 0.45,
    "TREATMENT": 0.3,
    "EASE": 0.25,
    "GOT_NEEDED": 0.3,
    "CHOICE": 0.06,
}
OTHER_ASPECT_WEIGHT = 0.1
# How well each aspect scores (a shift before cutting into the five points): not a driver.
ASPECT_LEVELS: dict[str, float] = {
    "SPEED": -0.55,
    "INFO_CLEAR": 0.05,
    "COOPERATION": -0.35,
    "TREATMENT": 0.75,
    "EASE": 0.25,
    "CHOICE": 0.45,
}
BSC_LEVELS: dict[int, float] = {
    1: 0.9,
    2: 0.3,
    3: 0.1,
    4: 0.5,
    5: -0.2,
    6: -0.4,
    7: 1.0,
    8: 0.7,
    9: -0.6,
    10: -0.8,
}
EVENT_EFFECTS: dict[str, float] = {
    "trouwen": 0.35,
    "geboorte": 0.2,
    "pensioen": 0.15,
    "verhuizen": 0.1,
    "bedrijf-starten": -0.1,
    "overlijden": -0.25,
    "werkloos": -0.45,
}
EVENT_SHARES: dict[str, float] = {
    "verhuizen": 0.3,
    "geboorte": 0.14,
    "trouwen": 0.12,
    "werkloos": 0.12,
    "pensioen": 0.12,
    "overlijden": 0.11,
    "bedrijf-starten": 0.09,
}
AGENCY_EFFECTS: dict[str, float] = {
    "gemeente": 0.2,
    "svb": 0.4,
    "kvk": 0.25,
    "rvig": 0.1,
    "waterschap": 0.0,
    "belastingdienst": -0.1,
    "uwv": -0.35,
    "toeslagen": -0.6,
    "rvo": -0.05,
    "ggd": 0.3,
    "rechtspraak": -0.2,
}
# Population shares (weighting targets) and the shares among respondents (non-response bias).
POPULATION: dict[str, dict[str, float]] = {
    "age_group": {"18-34": 0.28, "35-54": 0.34, "55-74": 0.28, "75+": 0.10},
    "sex": {"male": 0.49, "female": 0.49, "other": 0.02},
    "education": {"low": 0.30, "middle": 0.40, "high": 0.30},
}
RESPONDENTS: dict[str, list[float]] = {
    "age_group": [0.15, 0.29, 0.38, 0.18],
    "sex": [0.46, 0.52, 0.02],
    "education": [0.2, 0.36, 0.44],
}
BACKGROUND_EFFECTS: dict[str, dict[str, float]] = {
    "age_group": {"18-34": -0.3, "35-54": -0.05, "55-74": 0.3, "75+": 0.5},
    "education": {"low": 0.15, "middle": 0.0, "high": -0.25},
}
BSC_ASPECT: dict[int, str] = {
    1: "CHOICE",
    2: "INFO_CLEAR",
    3: "INFO_CLEAR",
    4: "COOPERATION",
    5: "EASE",
    6: "SPEED",
    7: "EASE",
    8: "TREATMENT",
    9: "SPEED",
    10: "COOPERATION",
}
CHANNEL_CHANCES: dict[str, float] = {
    "counter": 0.3,
    "phone": 0.35,
    "email": 0.2,
    "letter": 0.25,
    "web_form": 0.4,
    "website": 0.6,
}
GOOD_TEXTS = [
    "De medewerker aan de balie nam echt de tijd voor mij.",
    "Alles kon online, dat scheelde veel tijd.",
    "Ik kreeg snel een bevestiging per e-mail.",
    "De website legde duidelijk uit wat ik moest doen.",
    "Vriendelijk en behulpzaam geholpen aan de telefoon.",
    "De afspraak was snel geregeld.",
    "Ik hoefde mijn gegevens maar één keer door te geven.",
    "Heldere brief met precies wat er ging gebeuren.",
    "Het ging sneller dan ik had verwacht.",
    "Fijn dat ik kon kiezen tussen langskomen en online regelen.",
    "De gemeente belde mij zelf terug toen iets niet klopte.",
    "Goede uitleg over de toeslag waar ik recht op heb.",
    "Prettig contact, ik voelde me serieus genomen.",
    "Alles was in één keer goed geregeld.",
]
IMPROVE_TEXTS = [
    "Het duurde veel te lang voordat ik antwoord kreeg.",
    "Ik moest steeds opnieuw hetzelfde verhaal vertellen.",
    "De organisaties wisten niet van elkaar wat ze deden.",
    "De brief was vol ambtelijke taal.",
    "Telefonisch was niemand bereikbaar.",
    "Op de website kon ik niet vinden wat ik zocht.",
    "Ik kreeg tegenstrijdige informatie van twee loketten.",
    "Er werd niet teruggebeld terwijl dat wel was beloofd.",
    "Het formulier online werkte niet op mijn telefoon.",
    "Ik wist niet waar ik aan toe was met mijn aanvraag.",
    "Meer openingstijden in de avond graag.",
    "Laat één organisatie de regie nemen.",
    "De wachttijd aan de balie was erg lang.",
    "Leg beter uit welke papieren ik moet meenemen.",
    "Stuur een bericht als de aanvraag is goedgekeurd.",
    "Zorg dat gegevens automatisch worden doorgegeven.",
]


@dataclass
class Synthetic:
    """Generated answers: numbers per variable (NaN: not asked or not answered) and the rest."""

    size: int
    numbers: dict[str, FloatArray] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    choices: dict[str, list[list[int]]] = field(default_factory=dict)
    background: list[dict[str, str]] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    moment: FloatArray = field(default_factory=lambda: np.zeros(0))

    def answered(self) -> int:
        """How many answers (numbers, texts and choices) the responses hold together."""
        count = sum(int((~np.isnan(values)).sum()) for values in self.numbers.values())
        count += sum(sum(1 for text in texts if text) for texts in self.texts.values())
        return count + sum(sum(1 for chosen in items if chosen) for items in self.choices.values())


def _cut(z: FloatArray, cuts: Sequence[float]) -> FloatArray:
    return (np.searchsorted(np.asarray(cuts), z) + 1).astype(np.float64)


def _sigmoid(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


def synthesise(
    cat: Catalogue,
    size: int,
    *,
    chains: Mapping[str, Sequence[str]],
    seed: int = 2026,
    shift: float = 0.0,
    events: Sequence[str] | None = None,
) -> Synthetic:
    """Generate ``size`` completed responses to a life-event questionnaire (see module doc).

    ``chains`` gives the agency codes of each life event's chain; ``events`` the life events
    to use (default: those of ``EVENT_SHARES`` the questionnaire offers); ``shift`` moves every
    grade (an earlier wave can score lower).
    """
    rng = np.random.default_rng(seed)
    out = Synthetic(size=size)
    offered = {event.key: event.code for event in cat.events}
    chosen = [key for key in (events or list(EVENT_SHARES)) if key in offered]
    if not chosen:
        chosen = list(offered)[:7]
    shares = np.array([EVENT_SHARES.get(key, 0.1) for key in chosen])
    event_index = rng.choice(len(chosen), size=size, p=shares / shares.sum())
    contact = rng.random(size) >= 0.03

    def put(code: str | None, values: FloatArray) -> None:
        if code is not None and code in cat.index:
            out.numbers[code] = values

    # background, drawn with the respondents' (biased) shares
    drawn: dict[str, npt.NDArray[np.int64]] = {}
    for name, population in POPULATION.items():
        drawn[name] = rng.choice(len(population), size=size, p=RESPONDENTS[name])
    names = {name: list(POPULATION[name]) for name in POPULATION}
    from_sample = rng.random(size) < 0.8
    channel = np.where(from_sample, "web", np.where(rng.random(size) < 0.55, "paper", "open_link"))
    out.channel = channel.tolist()
    out.language = np.where(rng.random(size) < 0.05, "en", "nl").tolist()
    out.moment = rng.random(size)
    out.background = [
        {name: names[name][int(drawn[name][i])] for name in POPULATION}
        if from_sample[i] and channel[i] == "web"
        else {}
        for i in range(size)
    ]
    for question in cat.backgrounds:
        if question.name not in POPULATION:
            continue
        by_key = {key: code for code, key in question.options.items()}
        codes = np.array([float(by_key.get(key, np.nan)) for key in names[question.name]])
        values = codes[drawn[question.name]]
        values[(rng.random(size) < 0.02) | ~contact] = np.nan
        put(question.code, values)

    effect = np.array([EVENT_EFFECTS.get(key, 0.0) for key in chosen])[event_index] + shift
    for name, effects in BACKGROUND_EFFECTS.items():
        effect += np.array([effects.get(key, 0.0) for key in names[name]])[drawn[name]]

    # screening
    put(cat.screening, np.array([float(offered[key]) for key in chosen])[event_index])
    screen_contact = next(
        (v.code for v in cat.variables if v.code == "SCREEN_CONTACT"),
        None,
    )
    put(screen_contact, contact.astype(np.float64))

    # aspects and the grades
    common = rng.standard_normal(size)
    latent: dict[str, FloatArray] = {}
    grade = 6.75 + effect + rng.normal(0.0, 0.75, size)
    for code in cat.aspects:
        z = 0.4 * common + 0.92 * rng.standard_normal(size)
        latent[code] = z
        grade += DRIVER_WEIGHTS.get(code, OTHER_ASPECT_WEIGHT) * z
        variable = cat.by_code[code]
        if variable.kind == "binary":
            values = (z > -0.8).astype(np.float64)
        else:
            values = _cut(z + ASPECT_LEVELS.get(code, 0.0), [-1.3, -0.5, 0.3, 1.1])
            values[rng.random(size) < 0.03] = DONT_KNOW
        values[~contact] = np.nan
        put(code, values)
    overall = np.clip(np.rint(grade), 1, 10)
    overall[~contact] = np.nan
    put(cat.overall, overall)
    chain_length = np.array([len(chains.get(key, ())) for key in chosen])[event_index]
    chain = grade + 0.5 * effect - 0.2 - 0.1 * np.maximum(chain_length - 2, 0)
    chain = np.clip(np.rint(chain + rng.normal(0.0, 0.8, size)), 1, 10)
    chain[~contact] = np.nan
    put(cat.chain, chain)

    # organisations of the chain: contact, then a grade
    contact_code = {agency: code for code, agency in cat.contacts}
    grade_code = {agency: code for code, agency in cat.organisations}
    for agency in sorted(set(contact_code) | set(grade_code)):
        in_chain = np.array([agency in chains.get(key, ()) for key in chosen])[event_index]
        first = np.array([bool(chains.get(key)) and chains[key][0] == agency for key in chosen])[
            event_index
        ]
        asked = in_chain & contact
        had = asked & (rng.random(size) < np.where(first, 0.9, 0.55))
        if agency in contact_code:
            values = np.where(asked, had.astype(np.float64), np.nan)
            put(contact_code[agency], values)
        if agency in grade_code:
            own = grade + AGENCY_EFFECTS.get(agency, 0.0) + rng.normal(0.0, 1.0, size)
            values = np.clip(np.rint(own), 1, 10)
            values[rng.random(size) < 0.05] = DONT_KNOW
            values[~had] = np.nan
            put(grade_code[agency], values)

    # BurgerServiceCode items: good (1) / not good (0) / not applicable (99)
    for code, norm in cat.bsc:
        driver = latent.get(BSC_ASPECT.get(norm, ""), common)
        level = BSC_LEVELS.get(norm, 0.0)
        good = rng.random(size) < _sigmoid(0.4 + level + 1.1 * driver + 0.3 * shift)
        values = good.astype(np.float64)
        values[rng.random(size) < 0.08] = NOT_APPLICABLE
        values[~contact] = np.nan
        put(code, values)

    # throughput time, channels, open answers
    if "THROUGHPUT_WEEKS" in cat.index:
        speed = latent.get("SPEED", common)
        weeks = np.rint(rng.gamma(2.0, 3.0, size) * np.exp(-0.3 * speed))
        weeks[(rng.random(size) < 0.1) | ~contact] = np.nan
        put("THROUGHPUT_WEEKS", weeks)
    for choice in cat.multiple:
        items: list[list[int]] = []
        draws = rng.random((size, len(choice.options)))
        chances = np.array(
            [CHANNEL_CHANCES.get(choice.key(option), 0.05) for option, _label in choice.options]
        )
        picked = draws < chances
        for i in range(size):
            if not contact[i]:
                items.append([])
                continue
            chosen_codes = [choice.options[j][0] for j in np.flatnonzero(picked[i]).tolist()]
            fallback = choice.options[int(rng.integers(len(choice.options)))][0]
            items.append(chosen_codes or [fallback])
        out.choices[choice.code] = items
    texts = {"OPEN_GOOD": (GOOD_TEXTS, 0.18), "OPEN_IMPROVE": (IMPROVE_TEXTS, 0.22)}
    for code in cat.open:
        pool, chance = texts.get(code, (GOOD_TEXTS + IMPROVE_TEXTS, 0.1))
        pick = rng.integers(len(pool), size=size)
        give = (rng.random(size) < chance) & contact
        out.texts[code] = [pool[int(pick[i])] if give[i] else "" for i in range(size)]
    return out
