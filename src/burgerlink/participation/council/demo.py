"""A plausible demo council for Gemeente Amstelstad: eight parties, 35 members, 30 decisions.

Votes follow each party's place on two axes (left-right, green-grey) and each decision's
direction, with now and then a member who votes otherwise or is absent, so the matrix shows
blocs without being perfect. Loading is idempotent: once the council has decisions, nothing
happens.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from burgerlink.core.models import Organisation
from burgerlink.participation.council import engine
from burgerlink.participation.council.data import (
    CouncilData,
    DecisionData,
    MeetingData,
    MemberData,
    MembershipData,
    PartyData,
)
from burgerlink.participation.council.services import store_council_data
from burgerlink.participation.models import Decision, ImportSource

ORGANISATION = "amstelstad"
# (id, name, abbreviation, seats, left-right, green-grey)
PARTIES = [
    ("gl", "GroenLinks", "GL", 7, -0.7, 0.9),
    ("vvd", "Volkspartij voor Vrijheid en Democratie", "VVD", 6, 0.8, -0.3),
    ("d66", "Democraten 66", "D66", 5, 0.1, 0.5),
    ("pvda", "Partij van de Arbeid", "PvdA", 5, -0.6, 0.4),
    ("la", "Lokaal Amstelstad", "LA", 4, 0.4, -0.6),
    ("cda", "Christen-Democratisch Appèl", "CDA", 3, 0.5, 0.0),
    ("sp", "Socialistische Partij", "SP", 3, -0.9, -0.1),
    ("pvdd", "Partij voor de Dieren", "PvdD", 2, -0.5, 1.0),
]
FIRST = [
    "Anouk",
    "Bas",
    "Chantal",
    "Daan",
    "Esra",
    "Floor",
    "Gert",
    "Hatice",
    "Ivo",
    "Jasmijn",
    "Karim",
    "Lotte",
    "Mehmet",
    "Noor",
    "Olaf",
    "Priya",
    "Quinten",
    "Roos",
    "Sem",
    "Tamara",
]
LAST = [
    "de Jong",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "El Idrissi",
    "Mulder",
    "de Boer",
    "Kaya",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Yilmaz",
    "Dekker",
]
# (kind, title, text, left-right direction, green direction)
DECISIONS = [
    ("proposal", "Begroting 2027", "Vaststellen van de programmabegroting 2027.", 0.3, 0.2),
    (
        "amendment",
        "Geen verhoging van de onroerendezaakbelasting",
        "De ozb stijgt in 2027 niet meer dan de inflatie.",
        0.8,
        -0.2,
    ),
    (
        "motion",
        "Meer bomen in de binnenstad",
        "Verzoekt het college in 2027 vijfhonderd bomen te planten in de binnenstad.",
        -0.2,
        0.9,
    ),
    (
        "motion",
        "Gratis openbaar vervoer voor ouderen",
        "Verzoekt het college ouderen met een laag inkomen gratis met de bus te laten reizen.",
        -0.8,
        0.3,
    ),
    (
        "proposal",
        "Bestemmingsplan Stationsgebied",
        "Vaststellen van het bestemmingsplan voor 1.200 woningen bij het station.",
        0.4,
        -0.1,
    ),
    (
        "motion",
        "Betaalbare huurwoningen eerst",
        "Verzoekt het college bij nieuwbouw ten minste 40 procent sociale huur te eisen.",
        -0.9,
        0.1,
    ),
    (
        "amendment",
        "Parkeertarief niet verhogen",
        "Het parkeertarief in het centrum blijft 3 euro per uur.",
        0.7,
        -0.8,
    ),
    (
        "motion",
        "Autoluwe binnenstad",
        "Verzoekt het college de binnenstad vanaf 2028 autoluw te maken.",
        -0.3,
        0.9,
    ),
    (
        "proposal",
        "Verordening maatschappelijke ondersteuning 2027",
        "Vaststellen van de Wmo-verordening.",
        -0.1,
        0.0,
    ),
    (
        "motion",
        "Cameratoezicht op het Marktplein",
        "Verzoekt het college camera's te plaatsen op het Marktplein.",
        0.8,
        -0.2,
    ),
    (
        "motion",
        "Zwembad De Golf blijft open",
        "Verzoekt het college het zwembad niet te sluiten.",
        -0.2,
        -0.3,
    ),
    ("proposal", "Warmtevisie Amstelstad", "Vaststellen van de transitievisie warmte.", -0.2, 0.8),
    (
        "amendment",
        "Extra geld voor jongerenwerk",
        "Twee ton extra voor jongerenwerk in Noord, gedekt uit de algemene reserve.",
        -0.7,
        0.0,
    ),
    (
        "motion",
        "Vuurwerkvrije zones",
        "Verzoekt het college vuurwerkvrije zones in te stellen rond dierenasiels en zorginstellingen.",
        -0.1,
        0.7,
    ),
    (
        "motion",
        "Minder regels voor terrassen",
        "Verzoekt het college de terrasregels te vereenvoudigen.",
        0.7,
        -0.4,
    ),
    ("proposal", "Jaarrekening 2025", "Vaststellen van de jaarrekening 2025.", 0.2, 0.0),
    (
        "motion",
        "Zonnepanelen op alle gemeentelijke daken",
        "Verzoekt het college alle geschikte daken van gemeentelijke gebouwen vóór 2029 te benutten.",
        -0.3,
        0.9,
    ),
    (
        "motion",
        "Handhaving op fietsparkeren",
        "Verzoekt het college weesfietsen sneller te verwijderen.",
        0.6,
        0.2,
    ),
    (
        "amendment",
        "Schrappen bezuiniging op bibliotheken",
        "De bezuiniging op de bibliotheek Zuid vervalt.",
        -0.6,
        0.2,
    ),
    (
        "motion",
        "Onderzoek naar een tweede brug",
        "Verzoekt het college een verkenning naar een tweede brug over de rivier.",
        0.6,
        -0.7,
    ),
    ("proposal", "Nota grondbeleid", "Vaststellen van de nota grondbeleid 2026–2030.", 0.3, 0.0),
    (
        "motion",
        "Meer groen op schoolpleinen",
        "Verzoekt het college met scholen alle pleinen te vergroenen.",
        -0.4,
        0.8,
    ),
    (
        "motion",
        "Armoedeval bij bijstand tegengaan",
        "Verzoekt het college inkomensafhankelijke regelingen geleidelijk af te bouwen.",
        -0.8,
        0.0,
    ),
    (
        "motion",
        "Geen windturbines bij de Polderweg",
        "Verzoekt het college geen windturbines toe te staan bij de Polderweg.",
        0.6,
        -0.9,
    ),
    (
        "proposal",
        "Subsidieregeling verenigingen",
        "Vaststellen van de subsidieregeling voor sport- en cultuurverenigingen.",
        0.0,
        0.1,
    ),
    (
        "amendment",
        "Snellere vergunningen voor ondernemers",
        "De beslistermijn voor evenementenvergunningen wordt zes weken.",
        0.8,
        -0.1,
    ),
    (
        "motion",
        "Dierenwelzijn op de markt",
        "Verzoekt het college de verkoop van levende dieren op de markt te verbieden.",
        -0.2,
        0.9,
    ),
    (
        "motion",
        "Wijkagenten in elke wijk",
        "Verzoekt het college met de politie afspraken te maken over wijkagenten.",
        0.5,
        0.0,
    ),
    (
        "proposal",
        "Mobiliteitsplan 2030",
        "Vaststellen van het mobiliteitsplan met voorrang voor fiets en openbaar vervoer.",
        -0.2,
        0.6,
    ),
    (
        "motion",
        "Huurteams voor huurders",
        "Verzoekt het college een huurteam op te richten dat huurders helpt.",
        -0.8,
        0.2,
    ),
]
MEETING_EVERY_DAYS = 28
PER_MEETING = 3


def demo_council_data(today: date | None = None) -> CouncilData:
    """The demo council as council data (the same each day it is built)."""
    day0 = timezone.localdate() if today is None else today
    rng = random.Random("amstelstad-raad")  # noqa: S311 - demo data, reproducible on purpose
    data = CouncilData(council_name="Gemeenteraad Amstelstad", council_source_id="raad")
    members: dict[str, list[str]] = {}
    used: set[str] = set()
    for source_id, name, abbreviation, seats, _lr, _green in PARTIES:
        data.parties[source_id] = PartyData(source_id, name, abbreviation)
        for _seat in range(seats):
            while (full := f"{rng.choice(FIRST)} {rng.choice(LAST)}") in used:
                pass
            used.add(full)
            member_id = f"{source_id}-{len(members.get(source_id, [])) + 1}"
            data.members[member_id] = MemberData(member_id, full)
            members.setdefault(source_id, []).append(member_id)
            data.memberships.append(
                MembershipData(member_id, source_id, day0 - timedelta(days=1000))
            )
    meetings = (len(DECISIONS) + PER_MEETING - 1) // PER_MEETING
    for number, (kind, title, text, lr, green) in enumerate(DECISIONS):
        meeting_index = meetings - 1 - number // PER_MEETING
        day = day0 - timedelta(days=7 + MEETING_EVERY_DAYS * meeting_index)
        meeting_id = f"rv-{day.isoformat()}"
        data.meetings.setdefault(meeting_id, MeetingData(meeting_id, day, "Raadsvergadering"))
        votes: dict[str, tuple[str, str]] = {}
        for source_id, _name, _abbr, _seats, party_lr, party_green in PARTIES:
            leaning = lr * party_lr + green * party_green + rng.uniform(-0.25, 0.25)
            party_choice = engine.FOR if leaning > -0.05 else engine.AGAINST
            for member_id in members[source_id]:
                roll = rng.random()
                if roll < 0.05:
                    choice = engine.ABSENT
                elif roll < 0.08:
                    choice = engine.AGAINST if party_choice == engine.FOR else engine.FOR
                else:
                    choice = party_choice
                votes[member_id] = (choice, source_id)
        counts = engine.tally(choice for choice, _party in votes.values())
        data.decisions[f"2026-{number + 1:03d}"] = DecisionData(
            source_id=f"2026-{number + 1:03d}",
            kind=kind,
            title=title,
            text=text,
            date=day,
            result="adopted" if counts[engine.FOR] > counts[engine.AGAINST] else "rejected",
            meeting=meeting_id,
            votes=votes,
        )
    return data


def load_demo_council(write: Callable[[str], None]) -> None:
    """Store the demo council in Amstelstad once."""
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if organisation is None or Decision.objects.filter(organisation=organisation).exists():
        return
    record = store_council_data(
        organisation=organisation, data=demo_council_data(), source=ImportSource.DEMO
    )
    write(f"  raadsstemmingen: {record.decisions_created} besluiten in {organisation.name}")
