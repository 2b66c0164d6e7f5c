"""The questionnaire templates shipped with the platform, as pure builders of definition JSON.

Each builder takes plain catalogue data (no models: the data migration reads the catalogue through
``apps.get_model`` and passes what it found) and returns a dict that ``Definition`` accepts, with
Dutch and English texts and the ``role`` of every variable the analysis needs:

* ``life_event_definition``: the life-event survey of DOMAIN.md §3 — screening (which life event,
  and whether there was government contact at all, with a short end when there was not), per
  organisation in the chains a yes/no on contact and a grade, the grade for the chain and for
  government as a whole, the ten BurgerServiceCode norms as good / not good, throughput time,
  "I got what I needed", channels used, choice versus dependence, cooperation, further aspects
  for the driver analysis, open questions and background variables for weighting.
* ``contact_definition``: a short survey after one contact. **One parametrised template** (our
  choice): the channel is its first question (``CONTACT_CHANNEL``, option key = channel code), and
  the questions that only make sense for some channels (waiting time at the counter or on the
  phone, days until a written answer) are routed on it. So every channel's results come from the
  same variable codes and can be compared side by side, and the platform ships one template.
* ``burgerpeiling_definition``: a municipal citizens' survey on the four themes of the VNG
  Burgerpeiling (living environment, relation citizen–municipality, direct service, care and
  welfare): a grade and statements per theme, an overall grade and background variables.

Option codes are fixed when a template version is built: life events and channels are numbered in
catalogue order (1, 2, ...) and carry their catalogue code as the option ``key``; an organisation's
tailored copy keeps those numbers, so answers stay comparable with other organisations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from burgerlink.surveys.definition import CODE_PATTERN, parse

JSON = dict[str, Any]

SCREEN_EVENT = "SCREEN_EVENT"
SCREEN_CONTACT = "SCREEN_CONTACT"
CONTACT_CHANNEL = "CONTACT_CHANNEL"

# Channels where people wait for a person, and channels that are answered in writing.
WAITING_CHANNELS = ("counter", "phone", "chat")
WRITTEN_CHANNELS = ("email", "letter", "web_form", "social_media", "public_space_report")


@dataclass(frozen=True)
class AgencyData:
    """An organisation kind as it appears in life-event chains (gemeente, UWV, ...)."""

    code: str
    name_nl: str
    name_en: str


@dataclass(frozen=True)
class EventData:
    """A life event with the agency codes of its chain, in chain order."""

    code: str
    name_nl: str
    name_en: str
    chain: tuple[str, ...] = ()
    theme_code: str = ""


@dataclass(frozen=True)
class NormData:
    """One BurgerServiceCode norm: number, name and the citizen's right."""

    number: int
    name_nl: str
    name_en: str
    right_nl: str = ""
    right_en: str = ""


@dataclass(frozen=True)
class ChannelData:
    """A contact channel (counter, phone, e-mail, ...)."""

    code: str
    name_nl: str
    name_en: str


@dataclass(frozen=True)
class Catalogue:
    """Everything the builders need from the catalogue, as plain data."""

    events: tuple[EventData, ...] = ()
    agencies: tuple[AgencyData, ...] = ()
    norms: tuple[NormData, ...] = ()
    channels: tuple[ChannelData, ...] = ()


# --- small helpers ----------------------------------------------------------------------------


def text(nl: str, en: str = "") -> JSON:
    """A bilingual text."""
    return {"nl": nl, "en": en} if en else {"nl": nl}


def option(code: int, nl: str, en: str, key: str = "") -> JSON:
    """An answer option with its numeric code."""
    result: JSON = {"code": code, "label": text(nl, en)}
    if key:
        result["key"] = key
    return result


def question(code: str, kind: str, nl: str, en: str, **extra: Any) -> JSON:
    """A question; ``extra`` holds the other ``Question`` fields (role, options, ...)."""
    if not re.match(CODE_PATTERN, code):
        raise ValueError(f"{code!r} is not a valid variable code")
    return {"code": code, "type": kind, "text": text(nl, en), **extra}


def page(key: str, nl: str, en: str, questions: list[JSON], **extra: Any) -> JSON:
    """A page of questions."""
    return {"key": key, "title": text(nl, en), "questions": questions, **extra}


def when(var: str, op: str = "eq", value: Any = None) -> JSON:
    """A routing condition on one earlier variable."""
    condition: JSON = {"var": var, "op": op}
    if value is not None:
        condition["value"] = value
    return condition


def variable_for(prefix: str, catalogue_code: str) -> str:
    """A variable code for a catalogue code: ``GRADE_ORG_`` + ``uwv`` -> ``GRADE_ORG_UWV``."""
    code = prefix + re.sub(r"[^A-Z0-9]+", "_", catalogue_code.upper()).strip("_")
    if not re.match(CODE_PATTERN, code):
        raise ValueError(f"{catalogue_code!r} gives no valid variable code ({code!r})")
    return code


def had_contact() -> JSON:
    """The routing of every page after screening: the respondent had government contact."""
    return when(SCREEN_CONTACT, "eq", 1)


GRADE_HELP = text(
    "Een rapportcijfer van 1 (zeer slecht) tot en met 10 (uitstekend).",
    "A mark from 1 (very poor) to 10 (excellent).",
)
AGREE_LABELS = [
    ("Helemaal mee oneens", "Strongly disagree"),
    ("Mee oneens", "Disagree"),
    ("Niet mee eens, niet mee oneens", "Neither agree nor disagree"),
    ("Mee eens", "Agree"),
    ("Helemaal mee eens", "Strongly agree"),
]


def agree_options() -> list[JSON]:
    """The five labelled points of an agreement scale."""
    return [option(code, nl, en) for code, (nl, en) in enumerate(AGREE_LABELS, start=1)]


def grade(code: str, nl: str, en: str, **extra: Any) -> JSON:
    """A grade question (1–10)."""
    return question(code, "grade", nl, en, help=dict(GRADE_HELP), **extra)


def statement(code: str, nl: str, en: str, **extra: Any) -> JSON:
    """A statement on a five-point agreement scale; its labels are value labels for exports."""
    return question(code, "scale5", nl, en, options=agree_options(), **extra)


def background_questions() -> list[JSON]:
    """Age group, sex and education: the weighting variables (``key`` = the margin's name)."""
    return [
        question(
            "BG_AGE_GROUP",
            "single",
            "Wat is uw leeftijd?",
            "What is your age?",
            role="background",
            key="age_group",
            options=[
                option(1, "18 tot en met 34 jaar", "18 to 34 years", "18-34"),
                option(2, "35 tot en met 54 jaar", "35 to 54 years", "35-54"),
                option(3, "55 tot en met 74 jaar", "55 to 74 years", "55-74"),
                option(4, "75 jaar of ouder", "75 years or older", "75+"),
            ],
        ),
        question(
            "BG_SEX",
            "single",
            "Wat is uw geslacht?",
            "What is your sex?",
            role="background",
            key="sex",
            options=[
                option(1, "Man", "Male", "male"),
                option(2, "Vrouw", "Female", "female"),
                option(3, "Anders of zeg ik liever niet", "Other, or rather not say", "other"),
            ],
        ),
        question(
            "BG_EDUCATION",
            "single",
            "Wat is de hoogste opleiding die u heeft afgemaakt?",
            "What is the highest level of education you have completed?",
            role="background",
            key="education",
            options=[
                option(
                    1,
                    "Geen, basisonderwijs, vmbo of mbo 1",
                    "None, primary school or lower vocational",
                    "low",
                ),
                option(
                    2,
                    "Havo, vwo of mbo 2 tot en met 4",
                    "Upper secondary or intermediate vocational",
                    "middle",
                ),
                option(3, "Hbo of universiteit", "Higher vocational or university", "high"),
            ],
        ),
    ]


def _validated(definition: JSON) -> JSON:
    """Check a built definition against the contract; return it unchanged."""
    parse(definition)
    return definition


# --- (a) the life-event survey ----------------------------------------------------------------


def life_event_definition(
    events: Sequence[EventData],
    agencies: Sequence[AgencyData],
    norms: Sequence[NormData],
    channels: Sequence[ChannelData] = (),
) -> JSON:
    """The life-event survey of DOMAIN.md §3 for ``events`` and the agencies of their chains.

    Option codes of ``SCREEN_EVENT`` and ``CHANNELS`` are positions in the given order (from 1);
    the organisation questions follow the order of ``agencies`` and are asked only when the
    chosen event's chain contains the agency (and the grade only after a "yes" on contact).
    ``channels`` may be empty only when no channel list exists; the question then is left out.
    """
    if not events:
        raise ValueError("the life-event survey needs at least one life event")
    event_code = {event.code: number for number, event in enumerate(events, start=1)}
    in_chain: dict[str, list[int]] = {}
    for event in events:
        for agency_code in event.chain:
            in_chain.setdefault(agency_code, []).append(event_code[event.code])
    known = {agency.code for agency in agencies}
    missing = sorted(set(in_chain) - known)
    if missing:
        raise ValueError(f"chains name agencies that are not given: {', '.join(missing)}")
    chain_agencies = [agency for agency in agencies if agency.code in in_chain]

    screening = page(
        "screening",
        "Uw situatie",
        "Your situation",
        [
            question(
                SCREEN_EVENT,
                "single",
                "Welke van deze gebeurtenissen heeft u in de afgelopen twaalf maanden meegemaakt? "
                "Heeft u er meer meegemaakt, kies dan de meest recente.",
                "Which of these events did you experience in the past twelve months? "
                "If more than one, choose the most recent.",
                required=True,
                role="screening",
                options=[
                    option(event_code[event.code], event.name_nl, event.name_en, event.code)
                    for event in events
                ],
            ),
            question(
                SCREEN_CONTACT,
                "yesno",
                "Heeft u hierbij contact gehad met de overheid, bijvoorbeeld met de gemeente, het "
                "UWV of de Belastingdienst (aan de balie, telefonisch, per brief, e-mail of via "
                "een website)?",
                "Did you deal with government about it, for example the municipality, the "
                "Employee Insurance Agency or the Tax Administration (at a counter, by phone, "
                "letter, e-mail or a website)?",
                required=True,
            ),
        ],
        intro=text(
            "Deze vragenlijst gaat over uw ervaringen met de overheid rond een gebeurtenis in uw "
            "leven. Uw antwoorden worden vertrouwelijk en anoniem verwerkt.",
            "This questionnaire is about your experience with government around an event in "
            "your life. Your answers are processed confidentially and anonymously.",
        ),
    )
    no_contact = page(
        "geen-contact",
        "Bedankt",
        "Thank you",
        [
            question(
                "NO_CONTACT_REMARK",
                "text",
                "U hoeft verder niets in te vullen. Wilt u ons nog iets laten weten?",
                "There is nothing more to fill in. Is there anything you would like to tell us?",
            )
        ],
        condition=when(SCREEN_CONTACT, "eq", 0),
    )
    organisations = page(
        "organisaties",
        "Met wie had u te maken?",
        "Who did you deal with?",
        [
            question(
                variable_for("CONTACT_", agency.code),
                "yesno",
                f"Heeft u hierbij contact gehad met deze organisatie: {agency.name_nl}?",
                f"Did you deal with this organisation about it: {agency.name_en}?",
                required=True,
                role="contact",
                key=agency.code,
                condition=when(SCREEN_EVENT, "in", in_chain[agency.code]),
            )
            for agency in chain_agencies
        ],
        condition=had_contact(),
    )
    organisation_grades = page(
        "cijfers-organisaties",
        "Uw oordeel per organisatie",
        "Your judgement of each organisation",
        [
            grade(
                variable_for("GRADE_ORG_", agency.code),
                f"Welk rapportcijfer geeft u {agency.name_nl} voor de manier waarop u bent "
                "geholpen?",
                f"What mark do you give {agency.name_en} for the way you were helped?",
                required=True,
                dont_know=True,
                role="organisation",
                key=agency.code,
                condition=when(variable_for("CONTACT_", agency.code), "eq", 1),
            )
            for agency in chain_agencies
        ],
        condition={
            "all": [
                had_contact(),
                {
                    "any": [
                        when(variable_for("CONTACT_", agency.code), "eq", 1)
                        for agency in chain_agencies
                    ]
                },
            ]
        },
    )
    chain_and_government = page(
        "keten-en-overheid",
        "Uw oordeel over het geheel",
        "Your judgement of the whole",
        [
            grade(
                "GRADE_CHAIN",
                "Welk rapportcijfer geeft u alle organisaties samen die u bij deze gebeurtenis "
                "hebben geholpen?",
                "What mark do you give all the organisations together that helped you with "
                "this event?",
                required=True,
                role="chain",
            ),
            grade(
                "GRADE_GOV",
                "Welk rapportcijfer geeft u de overheid als geheel?",
                "What mark do you give government as a whole?",
                required=True,
                role="overall",
            ),
        ],
        condition=had_contact(),
    )
    bsc = page(
        "burgerservicecode",
        "Hoe ging het?",
        "How did it go?",
        [
            question(
                "BSC",
                "matrix",
                "Hoe deed de overheid het op de volgende punten?",
                "How did government do on the following points?",
                help=text(
                    "Kies per punt goed of niet goed; kies niet van toepassing als het punt niet "
                    "over uw situatie gaat.",
                    "Choose good or not good for each point; choose not applicable if the point "
                    "does not concern your situation.",
                ),
                options=[option(1, "Goed", "Good"), option(0, "Niet goed", "Not good")],
                not_applicable=True,
                rows=[
                    {
                        "code": f"BSC_{norm.number}",
                        "label": text(
                            f"{norm.name_nl}: {norm.right_nl}" if norm.right_nl else norm.name_nl,
                            f"{norm.name_en}: {norm.right_en}" if norm.right_en else norm.name_en,
                        ),
                        "role": "bsc",
                        "key": str(norm.number),
                    }
                    for norm in sorted(norms, key=lambda norm: norm.number)
                ],
            )
        ],
        condition=had_contact(),
    )
    experience = page(
        "ervaring",
        "Uw ervaring",
        "Your experience",
        [
            question(
                "THROUGHPUT_WEEKS",
                "number",
                "Hoeveel weken duurde het ongeveer voordat alles bij de overheid geregeld was?",
                "About how many weeks did it take until everything was arranged with government?",
                help=text(
                    "Vul 0 in als het binnen een week geregeld was.",
                    "Enter 0 if it was arranged within a week.",
                ),
                minimum=0,
                maximum=520,
            ),
            question(
                "GOT_NEEDED",
                "yesno",
                "Heeft u gekregen wat u nodig had?",
                "Did you get what you needed?",
                required=True,
                role="aspect",
            ),
            statement(
                "CHOICE",
                "Ik kon zelf kiezen hoe ik het regelde (en was niet afhankelijk van één loket "
                "of één manier).",
                "I could choose how to arrange it (and did not depend on one office or one way).",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "COOPERATION",
                "De organisaties werkten goed met elkaar samen; ik hoefde niet steeds opnieuw "
                "hetzelfde te vertellen.",
                "The organisations worked well together; I did not have to repeat the same "
                "thing over and over.",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "INFO_CLEAR",
                "De informatie die ik kreeg was duidelijk en klopte.",
                "The information I received was clear and correct.",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "SPEED",
                "Het ging snel genoeg.",
                "It went quickly enough.",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "TREATMENT",
                "Ik werd vriendelijk en met respect behandeld.",
                "I was treated kindly and with respect.",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "EASE",
                "Het kostte mij weinig moeite om alles te regelen.",
                "It took me little effort to arrange everything.",
                dont_know=True,
                role="aspect",
            ),
        ],
        condition=had_contact(),
    )
    pages = [screening, no_contact]
    if chain_agencies:
        pages += [organisations, organisation_grades]
    pages += [chain_and_government, bsc, experience]
    if channels:
        pages.append(
            page(
                "kanalen",
                "Hoe had u contact?",
                "How were you in touch?",
                [
                    question(
                        "CHANNELS",
                        "multiple",
                        "Op welke manieren had u contact met de overheid? U kunt meer dan één "
                        "antwoord kiezen.",
                        "In which ways were you in touch with government? You may choose more "
                        "than one answer.",
                        options=[
                            option(number, channel.name_nl, channel.name_en, channel.code)
                            for number, channel in enumerate(channels, start=1)
                        ],
                    )
                ],
                condition=had_contact(),
            )
        )
    pages.append(
        page(
            "open-vragen",
            "Tot slot over uw ervaring",
            "Finally, about your experience",
            [
                question(
                    "OPEN_GOOD",
                    "text",
                    "Wat ging er goed?",
                    "What went well?",
                    role="open",
                ),
                question(
                    "OPEN_IMPROVE",
                    "text",
                    "Wat moet de overheid volgens u als eerste verbeteren?",
                    "What should government improve first, in your view?",
                    role="open",
                ),
            ],
            condition=had_contact(),
        )
    )
    pages.append(
        page(
            "achtergrond",
            "Over uzelf",
            "About yourself",
            background_questions(),
            intro=text(
                "Met deze vragen maken we de uitkomsten representatief voor alle inwoners.",
                "These questions help us make the results representative of all residents.",
            ),
            condition=had_contact(),
        )
    )
    return _validated(
        {
            "title": text(
                "Uw ervaring met de overheid rond een levensgebeurtenis",
                "Your experience with government around a life event",
            ),
            "languages": ["nl", "en"],
            "pages": pages,
        }
    )


# --- (b) the short survey after a contact -----------------------------------------------------


def contact_definition(channels: Sequence[ChannelData]) -> JSON:
    """A short survey after one contact; the channel is the first question (see module doc).

    Pass one channel to get a survey for that channel only (its channel question then has one
    option); the platform template passes every active channel.
    """
    if not channels:
        raise ValueError("the contact survey needs at least one channel")
    number = {channel.code: position for position, channel in enumerate(channels, start=1)}
    waiting = [number[code] for code in WAITING_CHANNELS if code in number]
    written = [number[code] for code in WRITTEN_CHANNELS if code in number]
    contact_questions: list[JSON] = [
        question(
            CONTACT_CHANNEL,
            "single",
            "Hoe had u contact met ons?",
            "How were you in touch with us?",
            required=True,
            options=[
                option(number[channel.code], channel.name_nl, channel.name_en, channel.code)
                for channel in channels
            ],
        )
    ]
    if waiting:
        contact_questions.append(
            question(
                "WAIT_MINUTES",
                "number",
                "Hoeveel minuten moest u ongeveer wachten voordat u geholpen werd?",
                "About how many minutes did you wait before you were helped?",
                minimum=0,
                maximum=600,
                condition=when(CONTACT_CHANNEL, "in", waiting),
            )
        )
    if written:
        contact_questions.append(
            question(
                "ANSWER_DAYS",
                "number",
                "Na hoeveel werkdagen kreeg u antwoord?",
                "After how many working days did you get an answer?",
                minimum=0,
                maximum=365,
                condition=when(CONTACT_CHANNEL, "in", written),
            )
        )
    pages = [
        page("contact", "Uw contact met ons", "Your contact with us", contact_questions),
        page(
            "oordeel",
            "Uw oordeel",
            "Your judgement",
            [
                grade(
                    "GRADE_CONTACT",
                    "Welk rapportcijfer geeft u dit contact?",
                    "What mark do you give this contact?",
                    required=True,
                    role="overall",
                ),
                question(
                    "GOT_NEEDED",
                    "yesno",
                    "Heeft u gekregen wat u nodig had?",
                    "Did you get what you needed?",
                    required=True,
                    role="aspect",
                ),
                statement(
                    "SPEED",
                    "Ik werd snel geholpen.",
                    "I was helped quickly.",
                    dont_know=True,
                    role="aspect",
                ),
                statement(
                    "FRIENDLY",
                    "Ik werd vriendelijk geholpen.",
                    "I was helped in a friendly way.",
                    dont_know=True,
                    role="aspect",
                ),
                statement(
                    "CLARITY",
                    "Het antwoord was duidelijk.",
                    "The answer was clear.",
                    dont_know=True,
                    role="aspect",
                ),
                statement(
                    "EXPERTISE",
                    "De medewerker wist waar hij of zij het over had.",
                    "The staff member knew what they were talking about.",
                    dont_know=True,
                    role="aspect",
                ),
            ],
        ),
        page(
            "opmerking",
            "Tot slot",
            "Finally",
            [
                question(
                    "OPEN_REMARK",
                    "text",
                    "Wilt u nog iets kwijt over dit contact?",
                    "Is there anything else you would like to say about this contact?",
                    role="open",
                )
            ],
        ),
    ]
    return _validated(
        {
            "title": text("Hoe was uw contact met ons?", "How was your contact with us?"),
            "languages": ["nl", "en"],
            "pages": pages,
        }
    )


# --- (c) the municipal citizens' survey (Burgerpeiling) ---------------------------------------


def burgerpeiling_definition() -> JSON:
    """A citizens' survey on the four themes of the VNG Burgerpeiling, with background variables.

    Statements about what the municipality does are ``aspect``s (driver candidates for the grade
    of the municipality); statements about the respondent's own life carry no role.
    """
    living = page(
        "woon-en-leefomgeving",
        "Uw woon- en leefomgeving",
        "Where you live",
        [
            grade(
                "GRADE_LIVING",
                "Welk rapportcijfer geeft u uw buurt als plek om te wonen?",
                "What mark do you give your neighbourhood as a place to live?",
                required=True,
            ),
            statement(
                "LIV_SAFE",
                "Ik voel me veilig in mijn buurt.",
                "I feel safe in my neighbourhood.",
                dont_know=True,
            ),
            statement(
                "LIV_MAINTAINED",
                "De openbare ruimte in mijn buurt (straten, groen, speelplekken) is goed "
                "onderhouden.",
                "Public space in my neighbourhood (streets, green areas, playgrounds) is well "
                "maintained.",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "LIV_TOGETHER",
                "Mensen in mijn buurt gaan prettig met elkaar om.",
                "People in my neighbourhood get on well with each other.",
                dont_know=True,
            ),
            statement(
                "LIV_FACILITIES",
                "Er zijn genoeg voorzieningen in de buurt, zoals winkels, scholen en een huisarts.",
                "There are enough facilities nearby, such as shops, schools and a GP.",
                dont_know=True,
                role="aspect",
            ),
        ],
    )
    relation = page(
        "relatie-burger-gemeente",
        "U en de gemeente",
        "You and the municipality",
        [
            grade(
                "GRADE_RELATION",
                "Welk rapportcijfer geeft u de gemeente voor de manier waarop zij inwoners "
                "betrekt bij wat er in de gemeente gebeurt?",
                "What mark do you give the municipality for how it involves residents in what "
                "happens in the municipality?",
                required=True,
                dont_know=True,
            ),
            statement(
                "REL_TRUST",
                "Ik heb vertrouwen in het gemeentebestuur.",
                "I trust the municipal government.",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "REL_INFORM",
                "De gemeente informeert inwoners goed over wat zij doet.",
                "The municipality informs residents well about what it does.",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "REL_INVOLVE",
                "De gemeente betrekt inwoners op tijd bij plannen.",
                "The municipality involves residents in plans in good time.",
                dont_know=True,
                role="aspect",
            ),
            statement(
                "REL_LISTEN",
                "De gemeente doet iets met de inbreng van inwoners.",
                "The municipality acts on what residents contribute.",
                dont_know=True,
                role="aspect",
            ),
        ],
    )
    service = page(
        "dienstverlening",
        "Dienstverlening van de gemeente",
        "Services of the municipality",
        [
            question(
                "SERVICE_CONTACT",
                "yesno",
                "Heeft u in de afgelopen twaalf maanden contact gehad met de gemeente, "
                "bijvoorbeeld voor een paspoort, een vergunning of een vraag?",
                "Have you been in touch with the municipality in the past twelve months, for "
                "example for a passport, a permit or a question?",
                required=True,
            ),
            grade(
                "GRADE_SERVICE",
                "Welk rapportcijfer geeft u de dienstverlening van de gemeente?",
                "What mark do you give the municipality's services?",
                required=True,
                condition=when("SERVICE_CONTACT", "eq", 1),
            ),
            statement(
                "SRV_FAST",
                "Ik werd snel geholpen.",
                "I was helped quickly.",
                dont_know=True,
                role="aspect",
                condition=when("SERVICE_CONTACT", "eq", 1),
            ),
            statement(
                "SRV_CLEAR",
                "Ik kreeg duidelijke informatie.",
                "I received clear information.",
                dont_know=True,
                role="aspect",
                condition=when("SERVICE_CONTACT", "eq", 1),
            ),
            statement(
                "SRV_FRIENDLY",
                "De medewerkers waren vriendelijk.",
                "The staff were friendly.",
                dont_know=True,
                role="aspect",
                condition=when("SERVICE_CONTACT", "eq", 1),
            ),
        ],
    )
    care = page(
        "zorg-en-welzijn",
        "Zorg en welzijn",
        "Care and welfare",
        [
            statement(
                "CARE_HEALTH",
                "Ik voel me over het algemeen gezond.",
                "In general I feel healthy.",
            ),
            statement(
                "CARE_PARTICIPATE",
                "Ik kan meedoen in de samenleving, bijvoorbeeld door werk, vrijwilligerswerk of "
                "contact met anderen.",
                "I can take part in society, for example through work, volunteering or contact "
                "with others.",
            ),
            statement(
                "CARE_HELP",
                "Als ik hulp of ondersteuning nodig heb, weet ik waar ik terecht kan bij de "
                "gemeente.",
                "If I need help or support, I know where to go at the municipality.",
                dont_know=True,
                role="aspect",
            ),
            question(
                "CARE_VOLUNTEER",
                "yesno",
                "Doet u vrijwilligerswerk?",
                "Do you do volunteer work?",
            ),
            question(
                "CARE_INFORMAL",
                "yesno",
                "Zorgt u langdurig voor een naaste die ziek is of hulp nodig heeft (mantelzorg)?",
                "Do you care for a relative or friend who is ill or needs help, for a long "
                "period (informal care)?",
            ),
        ],
    )
    overall = page(
        "gemeente",
        "Uw gemeente",
        "Your municipality",
        [
            grade(
                "GRADE_GOV",
                "Welk rapportcijfer geeft u de gemeente als geheel?",
                "What mark do you give the municipality as a whole?",
                required=True,
                role="overall",
            ),
            question(
                "OPEN_IMPROVE",
                "text",
                "Wat zou de gemeente als eerste moeten verbeteren?",
                "What should the municipality improve first?",
                role="open",
            ),
        ],
    )
    background = page(
        "achtergrond",
        "Over uzelf",
        "About yourself",
        background_questions(),
        intro=text(
            "Met deze vragen maken we de uitkomsten representatief voor alle inwoners.",
            "These questions help us make the results representative of all residents.",
        ),
    )
    return _validated(
        {
            "title": text("Burgerpeiling", "Citizens' survey"),
            "intro": text(
                "Hoe denkt u over uw buurt, de gemeente en haar dienstverlening?",
                "What do you think of your neighbourhood, the municipality and its services?",
            ),
            "languages": ["nl", "en"],
            "pages": [living, relation, service, care, overall, background],
        }
    )
