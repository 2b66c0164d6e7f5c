"""A small council in Popolo: three parties, six members, four decisions, hand-countable.

Positions per decision (party: members' votes):

=======  =====================  ==================  ==================  ========
decision  GL (Fatima, Gijs)      VVD (Pieter, Vera)  SP (Sara, Tom)      result
=======  =====================  ==================  ==================  ========
m1       voor, voor             tegen, tegen        voor, voor          pass
m2       tegen, tegen           voor, voor          tegen, afwezig      fail
m3       voor, tegen (split)    voor, voor          afwezig, afwezig    pass
m4       (counts only) GL voor, VVD voor, SP tegen                      pass
=======  =====================  ==================  ==================  ========

Agreement (decisions where both voted; alike):
GL-VVD: m1 differ, m2 differ, m3 GL split, m4 alike -> 1 of 4.
GL-SP: m1 alike, m2 alike, m3 SP absent, m4 differ -> 2 of 3.
VVD-SP: m1 differ, m2 differ, m3 SP absent, m4 differ -> 0 of 3.
"""

from __future__ import annotations

import copy
import json
from typing import Any

MEMBERS = {
    "p-fatima": ("Fatima El Amrani", "gl"),
    "p-gijs": ("Gijs Groen", "gl"),
    "p-pieter": ("Pieter de Vries", "vvd"),
    "p-vera": ("Vera Verbeek", "vvd"),
    "p-sara": ("Sara Smit", "sp"),
    "p-tom": ("Tom Tomassen", "sp"),
}

VOTES = {
    "m1": {
        "p-fatima": "yes",
        "p-gijs": "yes",
        "p-pieter": "no",
        "p-vera": "no",
        "p-sara": "yes",
        "p-tom": "yes",
    },
    "m2": {
        "p-fatima": "no",
        "p-gijs": "no",
        "p-pieter": "yes",
        "p-vera": "yes",
        "p-sara": "no",
        "p-tom": "absent",
    },
    "m3": {
        "p-fatima": "yes",
        "p-gijs": "no",
        "p-pieter": "yes",
        "p-vera": "yes",
        "p-sara": "absent",
        "p-tom": "absent",
    },
}

DOCUMENT: dict[str, Any] = {
    "organizations": [
        {"id": "raad", "name": "Gemeenteraad Amstelstad", "classification": "legislature"},
        {"id": "gl", "name": "GroenLinks", "classification": "party", "abbreviation": "GL"},
        {
            "id": "vvd",
            "name": "Volkspartij voor Vrijheid en Democratie",
            "classification": "party",
            "abbreviation": "VVD",
        },
        {
            "id": "sp",
            "name": "Socialistische Partij",
            "classification": "party",
            "abbreviation": "SP",
        },
        {"id": "cie-ruimte", "name": "Commissie Ruimte", "classification": "committee"},
    ],
    "persons": [{"id": pid, "name": name} for pid, (name, _party) in MEMBERS.items()],
    "memberships": [
        {"person_id": pid, "organization_id": party, "start_date": "2022-03-30"}
        for pid, (_name, party) in MEMBERS.items()
    ]
    + [{"person_id": "p-fatima", "organization_id": "cie-ruimte"}],
    "events": [
        {
            "id": "rv-2026-03-12",
            "name": "Raadsvergadering",
            "start_date": "2026-03-12T19:30:00+01:00",
        },
    ],
    "motions": [
        {
            "id": "m1",
            "classification": "motion",
            "title": "Meer bomen in de binnenstad",
            "text": "De raad verzoekt het college 500 bomen te planten in de binnenstad.",
            "date": "2026-03-12",
            "legislative_session_id": "rv-2026-03-12",
            "sources": [{"url": "https://amstelstad.example/moties/m1.pdf", "note": "Motietekst"}],
        },
        {
            "id": "m2",
            "classification": "amendment",
            "title": "Parkeertarief niet verhogen",
            "text": "Het parkeertarief blijft 3 euro per uur.",
            "date": "2026-03-12",
        },
        {
            "id": "m3",
            "classification": "proposal",
            "title": "Bestemmingsplan Stationsgebied",
            "text": "Vaststellen van het bestemmingsplan voor het stationsgebied.",
            "date": "2026-04-09",
        },
        {
            "id": "m4",
            "classification": "motion",
            "text": "Zwembad open in de zomer",
            "date": "2026-04-09",
        },
    ],
    "vote_events": [
        {
            "id": f"ve-{motion}",
            "motion_id": motion,
            "start_date": "2026-03-12" if motion in ("m1", "m2") else "2026-04-09",
            "result": "pass" if motion != "m2" else "fail",
            "votes": [{"voter_id": pid, "option": option} for pid, option in votes.items()],
        }
        for motion, votes in VOTES.items()
    ]
    + [
        {
            "id": "ve-m4",
            "motion_id": "m4",
            "start_date": "2026-04-09",
            "result": "pass",
            "counts": [
                {"option": "yes", "value": 2, "group_id": "gl"},
                {"option": "yes", "value": "2", "group_id": "vvd"},
                {"option": "no", "value": 2, "group_id": "sp"},
                {"option": "yes", "value": 4},
                {"option": "no", "value": 2},
            ],
        }
    ],
}


def document() -> dict[str, Any]:
    """A fresh copy of the sample document."""
    return copy.deepcopy(DOCUMENT)


def as_bytes(doc: dict[str, Any] | None = None) -> bytes:
    """The document as a UTF-8 JSON file."""
    return json.dumps(doc if doc is not None else DOCUMENT).encode()
