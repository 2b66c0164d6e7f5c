"""Read council votes from a CSV or Excel file: one row per vote of a member or of a party.

The columns (names are case-insensitive; the order is free):

=============  ========  =============================================================
column         required  meaning
=============  ========  =============================================================
besluit_id     yes       the decision's own identifier, the same on each of its rows
datum          yes       the day of the vote (7-12-2026 or 2026-12-07)
soort          yes       motie, amendement or raadsvoorstel
titel          yes       the decision's title
uitslag        yes       aangenomen or verworpen
stem           yes       voor, tegen, onthouden or afwezig (a party row: also verdeeld)
partij         *         the member's party (fractie), or the party whose vote the row is
raadslid       *         the member who voted; empty: the row is the party's vote
samenvatting   no        text or summary of the decision
vergadering    no        the meeting's name (with the date it identifies the meeting)
link           no        web addresses of documents, separated by spaces
=============  ========  =============================================================

(*) every row names a member, a party, or both. A decision's own columns (datum, soort, titel,
uitslag, samenvatting, vergadering, link) must be the same on all its rows. A member's party
membership is derived from the rows: from the first day they voted for that party.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from burgerlink.core.files import (
    Chunk,
    FileLimits,
    ImportRejectedError,
    ProblemList,
    parse_date,
    read_table,
    without_control_characters,
)
from burgerlink.participation.council import vocabulary
from burgerlink.participation.council.data import (
    CouncilData,
    DecisionData,
    MeetingData,
    MemberData,
    MembershipData,
    PartyCount,
    PartyData,
)

REQUIRED = ("besluit_id", "datum", "soort", "titel", "uitslag", "stem")
OPTIONAL = ("partij", "raadslid", "samenvatting", "vergadering", "link")
COLUMNS = REQUIRED[:5] + ("samenvatting", "vergadering", "link", "partij", "raadslid", "stem")
EXAMPLES = [
    [
        "2026-031",
        "12-3-2026",
        "motie",
        "Meer bomen in de binnenstad",
        "aangenomen",
        "Verzoekt het college 500 bomen te planten.",
        "Raadsvergadering",
        "",
        "GroenLinks",
        "Fatima El Amrani",
        "voor",
    ],
    [
        "2026-031",
        "12-3-2026",
        "motie",
        "Meer bomen in de binnenstad",
        "aangenomen",
        "Verzoekt het college 500 bomen te planten.",
        "Raadsvergadering",
        "",
        "VVD",
        "Pieter de Vries",
        "tegen",
    ],
    [
        "2026-031",
        "12-3-2026",
        "motie",
        "Meer bomen in de binnenstad",
        "aangenomen",
        "Verzoekt het college 500 bomen te planten.",
        "Raadsvergadering",
        "",
        "D66",
        "",
        "voor",
    ],
]
DECISION_FIELDS = ("datum", "soort", "titel", "uitslag", "samenvatting", "vergadering", "link")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return str(value.isoformat())[:10]
    return without_control_characters(str(value)).strip()


def _key(name: str) -> str:
    """The source id of a party or member named in a CSV file: the name, spaces tidied."""
    return " ".join(name.split())


def read_council_table(stream: IO[bytes], filename: str, *, limits: FileLimits) -> CouncilData:
    """Read a CSV or Excel file of votes into ``CouncilData``.

    Raises ``UnreadableFileError`` for a file that cannot be read and ``ImportRejectedError``
    naming row and column of every problem.
    """
    _format, chunks = read_table(stream, filename, formats=("csv", "xlsx"), limits=limits)
    return parse_rows(_records(chunks))


def _records(chunks: Iterator[Chunk]) -> Iterator[tuple[int, dict[str, str]]]:
    for chunk in chunks:
        for row, values in chunk.records():
            yield row, {name: _cell(value) for name, value in values.items()}


def parse_rows(records: Iterator[tuple[int, dict[str, str]]]) -> CouncilData:
    """Turn rows (row number, value per column) into ``CouncilData``; problems name row and column."""
    problems = ProblemList()
    data = CouncilData()
    first_seen: dict[str, tuple[int, dict[str, str]]] = {}
    party_rows: dict[tuple[str, str], str] = {}
    member_first: dict[tuple[str, str], Any] = {}
    header_checked = False
    for row, values in records:
        if not header_checked:
            header_checked = True
            missing = [name for name in REQUIRED if name not in values]
            if "partij" not in values and "raadslid" not in values:
                missing.append("partij")
            if missing:
                problems.add(
                    None,
                    "",
                    _("Deze kolommen ontbreken: %(columns)s. Gebruik het voorbeeldbestand.")
                    % {"columns": ", ".join(missing)},
                )
                break
        if not any(values.values()):
            continue
        decision = _decision(row, values, problems, first_seen, data)
        party = _key(values.get("partij", ""))
        member = _key(values.get("raadslid", ""))
        raw = values.get("stem", "")
        if not party and not member:
            problems.add(row, "raadslid", _("Noem een raadslid, een partij of allebei."))
            continue
        words = vocabulary.OPTIONS if member else vocabulary.POSITIONS
        choice = words.get(raw.lower())
        if choice is None:
            problems.add(
                row,
                "stem",
                _("Onbekende stem %(value)s; gebruik een van: %(known)s.")
                % {"value": repr(raw[:40]), "known": vocabulary.known(words)},
            )
            continue
        if decision is None:
            continue
        if party and party not in data.parties:
            data.parties[party] = PartyData(party, party[:200])
        if member:
            if member in decision.votes:
                problems.add(
                    row,
                    "raadslid",
                    _("%(name)s stemt twee keer over dit besluit.") % {"name": member},
                )
                continue
            data.members.setdefault(member, MemberData(member, member[:200]))
            decision.votes[member] = (choice, party)
            if party:
                key = (member, party)
                if key not in member_first or decision.date < member_first[key]:
                    member_first[key] = decision.date
        else:
            if (decision.source_id, party) in party_rows:
                problems.add(
                    row, "partij", _("De stem van %(party)s staat er twee keer.") % {"party": party}
                )
                continue
            party_rows[(decision.source_id, party)] = choice
            decision.party_counts[party] = PartyCount(party, choice)
        if problems.full:
            break
    if not problems and not data.decisions:
        problems.add(None, "", _("Het bestand bevat geen stemmingen."))
    if problems:
        raise ImportRejectedError(problems)
    _derive_memberships(data, member_first)
    return data


def _decision(
    row: int,
    values: dict[str, str],
    problems: ProblemList,
    first_seen: dict[str, tuple[int, dict[str, str]]],
    data: CouncilData,
) -> DecisionData | None:
    source_id = values.get("besluit_id", "")
    if not source_id:
        problems.add(row, "besluit_id", _("Het besluit_id ontbreekt."))
        return None
    if len(source_id) > 200:
        problems.add(row, "besluit_id", _("Het besluit_id is langer dan 200 tekens."))
        return None
    earlier = first_seen.get(source_id)
    if earlier is not None:
        first_row, first_values = earlier
        for name in DECISION_FIELDS:
            if values.get(name, "") != first_values.get(name, ""):
                problems.add(
                    row,
                    name,
                    _("Anders dan op rij %(row)s voor hetzelfde besluit_id.") % {"row": first_row},
                )
                return None
        return data.decisions.get(source_id)
    first_seen[source_id] = (row, values)
    ok = True
    try:
        day = parse_date(values.get("datum", ""))
    except ValueError:
        problems.add(row, "datum", _("Geen geldige datum (bijvoorbeeld 12-3-2026)."))
        ok = False
    kind = vocabulary.KINDS.get(values.get("soort", "").lower())
    if kind is None:
        problems.add(row, "soort", _("Gebruik motie, amendement of raadsvoorstel."))
        ok = False
    result = vocabulary.RESULTS.get(values.get("uitslag", "").lower())
    if result is None:
        problems.add(row, "uitslag", _("Gebruik aangenomen of verworpen."))
        ok = False
    title = values.get("titel", "")
    if not title:
        problems.add(row, "titel", _("De titel ontbreekt."))
        ok = False
    links = []
    for url in values.get("link", "").split():
        if not url.startswith(("https://", "http://")):
            problems.add(row, "link", _("Geen geldig webadres: %(url)s") % {"url": url[:80]})
            ok = False
        links.append({"url": url[:1000], "label": ""})
    if not ok:
        return None
    meeting = ""
    if values.get("vergadering"):
        name = values["vergadering"][:300]
        meeting = f"{day.isoformat()} {name}"
        data.meetings.setdefault(meeting, MeetingData(meeting, day, name))
    decision = DecisionData(
        source_id=source_id,
        kind=str(kind),
        title=title[:500],
        text=values.get("samenvatting", ""),
        date=day,
        result=str(result),
        meeting=meeting,
        links=links,
    )
    data.decisions[source_id] = decision
    return decision


def _derive_memberships(data: CouncilData, member_first: dict[tuple[str, str], Any]) -> None:
    """A member belongs to a party from the first day they voted for it in this file."""
    for (member, party), day in sorted(member_first.items(), key=lambda item: item[1]):
        data.memberships.append(MembershipData(member, party, day, None))
