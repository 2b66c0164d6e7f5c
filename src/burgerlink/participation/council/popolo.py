"""Read a Popolo JSON document (persons, organizations, memberships, events, motions,
vote_events) into ``CouncilData``, with a clear Dutch message for everything wrong in it.

Popolo (https://www.popoloproject.com) is the open standard for legislative data that Dutch open
council data uses. What we read:

- ``organizations`` with ``classification`` ``party`` become parties; ``council`` or
  ``legislature`` names the council; other organisations (committees) are known but not stored.
- ``persons`` become members (``name``, or ``given_name`` and ``family_name``).
- ``memberships`` of a person in a party, with ``start_date`` and ``end_date``.
- ``events`` are meetings (``start_date``, ``name``); a motion or vote event names its meeting
  with ``legislative_session_id`` or ``event_id``.
- ``motions`` (``text``, optional ``title``, ``classification`` motion/amendment/proposal,
  ``date``, ``result`` pass/fail, ``sources`` as links) and their ``vote_events`` (``motion_id``
  or an embedded ``motion``, ``start_date``, ``result``, ``counts`` with an optional ``group_id``
  per party, ``votes`` with ``voter_id``, ``option`` and an optional ``group_id``).

A motion voted on more than once is stored with its last vote. Nothing is stored from a document
with any problem: the reader only reads, the import service writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import IO, Any

from django.utils.translation import gettext as _

from burgerlink.core.files import (
    FileLimits,
    ImportRejectedError,
    ProblemList,
    UnreadableFileError,
    without_control_characters,
)
from burgerlink.participation.council import engine, vocabulary
from burgerlink.participation.council.data import (
    CouncilData,
    DecisionData,
    MeetingData,
    MemberData,
    MembershipData,
    PartyCount,
    PartyData,
)

SECTIONS = ("organizations", "persons", "memberships", "events", "motions", "vote_events")
TITLE_LENGTH = 200
# No elected body has more members; a larger count is a mistake (and would not fit a column).
MAX_COUNT = 10_000


def read_popolo(stream: IO[bytes], *, limits: FileLimits) -> CouncilData:
    """Read a Popolo document from a (decompressed) stream within ``limits``.

    Raises ``UnreadableFileError`` for a file that is no JSON object or over a limit, and
    ``ImportRejectedError`` naming every problem in its content.
    """
    import ijson

    stream.seek(0)
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    if not head:
        raise UnreadableFileError(_("Het bestand is leeg."))
    if head[:1] != b"{":
        raise UnreadableFileError(
            _(
                "Dit is geen Popolo-bestand: verwacht een JSON-object met onderdelen als "
                "persons, organizations, motions en vote_events."
            )
        )
    document: dict[str, Any] = {}
    cells = 0
    try:
        for key, value in ijson.kvitems(stream, "", use_float=True):
            if key in SECTIONS:
                cells += _measure(value, key, limits)
                limits.check_counts(len(value) if isinstance(value, list) else 1, cells)
                document[key] = value
    except (ijson.JSONError, UnicodeDecodeError) as error:
        raise UnreadableFileError(
            _("Dit JSON-bestand kan niet worden gelezen: %(error)s") % {"error": error}
        ) from error
    return parse_popolo(document)


def _measure(value: Any, where: str, limits: FileLimits) -> int:
    """Check every text against the cell limit; return how many values there are."""
    if isinstance(value, str):
        limits.check_cell(value, None, where)
        return 1
    if isinstance(value, dict):
        return sum(_measure(item, f"{where}.{key}", limits) for key, item in value.items())
    if isinstance(value, list):
        return sum(_measure(item, where, limits) for item in value)
    return 1


class _Reader:
    """Walks one document, collecting data and problems."""

    def __init__(self) -> None:
        self.problems = ProblemList()
        self.data = CouncilData()
        self.organisations: set[str] = set()
        self.motions: dict[str, dict[str, Any]] = {}
        self.voted_motions: set[str] = set()

    # --- small helpers -------------------------------------------------------------------
    def problem(self, where: str, message: str) -> None:
        self.problems.add(None, "", f"{where}: {message}")

    def items(self, document: Mapping[str, Any], section: str) -> list[tuple[str, dict[str, Any]]]:
        """The objects of one section with a readable place name each ("motions nr. 3")."""
        value = document.get(section, [])
        if not isinstance(value, list):
            self.problem(section, _("verwacht een lijst van objecten."))
            return []
        found = []
        for number, item in enumerate(value, start=1):
            where = _("%(section)s nr. %(number)s") % {"section": section, "number": number}
            if not isinstance(item, dict):
                self.problem(where, _("verwacht een object."))
                continue
            found.append((where, item))
        return found

    def text(self, item: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.problem(where, _("het veld %(key)s ontbreekt.") % {"key": key})
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(where, _("het veld %(key)s moet tekst zijn.") % {"key": key})
            return ""
        text = without_control_characters(str(value)).strip()
        if len(text) > 200 and key.endswith("id"):
            self.problem(
                where, _("het veld %(key)s is te lang (meer dan 200 tekens).") % {"key": key}
            )
            return ""
        return text

    def date(
        self, item: Mapping[str, Any], key: str, where: str, *, required: bool = False
    ) -> date | None:
        raw = self.text(item, key, where, required=required)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            self.problem(
                where,
                _("%(key)s is geen geldige datum: %(value)s (verwacht JJJJ-MM-DD).")
                % {"key": key, "value": raw[:40]},
            )
            return None

    def mapped(self, words: dict[str, str], raw: str, where: str, key: str) -> str | None:
        value = words.get(raw.strip().lower())
        if value is None:
            self.problem(
                where,
                _("onbekende waarde %(value)s voor %(key)s; gebruik een van: %(known)s.")
                % {"value": repr(raw[:40]), "key": key, "known": vocabulary.known(words)},
            )
        return value

    def unique(self, seen: set[str], source_id: str, where: str) -> bool:
        if source_id in seen:
            self.problem(where, _("het id %(id)s komt twee keer voor.") % {"id": source_id})
            return False
        seen.add(source_id)
        return True

    # --- sections ------------------------------------------------------------------------
    def organizations(self, document: Mapping[str, Any]) -> None:
        for where, item in self.items(document, "organizations"):
            source_id = self.text(item, "id", where, required=True)
            name = self.text(item, "name", where, required=True)
            if not source_id or not self.unique(self.organisations, source_id, where):
                continue
            classification = self.text(item, "classification", where).lower()
            if classification in vocabulary.PARTY_CLASSIFICATIONS and name:
                abbreviation = self.text(item, "abbreviation", where)[:40]
                self.data.parties[source_id] = PartyData(source_id, name[:200], abbreviation)
            elif (
                classification in vocabulary.COUNCIL_CLASSIFICATIONS
                and name
                and not self.data.council_name
            ):
                self.data.council_name = name[:200]
                self.data.council_source_id = source_id

    def persons(self, document: Mapping[str, Any]) -> None:
        seen: set[str] = set()
        for where, item in self.items(document, "persons"):
            source_id = self.text(item, "id", where, required=True)
            name = self.text(item, "name", where)
            if not name:
                parts = [self.text(item, key, where) for key in ("given_name", "family_name")]
                name = " ".join(part for part in parts if part)
            if not name:
                self.problem(where, _("de naam (name) ontbreekt."))
            if source_id and name and self.unique(seen, source_id, where):
                self.data.members[source_id] = MemberData(source_id, name[:200])

    def memberships(self, document: Mapping[str, Any]) -> None:
        for where, item in self.items(document, "memberships"):
            person = self.text(item, "person_id", where, required=True)
            organisation = self.text(item, "organization_id", where, required=True)
            start = self.date(item, "start_date", where)
            end = self.date(item, "end_date", where)
            if person and person not in self.data.members:
                self.problem(where, _("onbekende persoon %(id)s (person_id).") % {"id": person})
            if organisation and organisation not in self.organisations:
                self.problem(
                    where,
                    _("onbekende organisatie %(id)s (organization_id).") % {"id": organisation},
                )
            if start and end and end < start:
                self.problem(where, _("end_date ligt voor start_date."))
            elif person in self.data.members and organisation in self.data.parties:
                self.data.memberships.append(MembershipData(person, organisation, start, end))

    def events(self, document: Mapping[str, Any]) -> None:
        for where, item in self.items(document, "events"):
            source_id = self.text(item, "id", where, required=True)
            day = self.date(item, "start_date", where, required=True)
            name = self.text(item, "name", where)[:300]
            if source_id and day and source_id not in self.data.meetings:
                self.data.meetings[source_id] = MeetingData(source_id, day, name)
            elif source_id in self.data.meetings:
                self.problem(where, _("het id %(id)s komt twee keer voor.") % {"id": source_id})

    def motion_index(self, document: Mapping[str, Any]) -> None:
        seen: set[str] = set()
        for where, item in self.items(document, "motions"):
            source_id = self.text(item, "id", where, required=True)
            if source_id and self.unique(seen, source_id, where):
                self.motions[source_id] = {**item, "_where": where}

    def meeting_of(self, item: Mapping[str, Any], where: str) -> str:
        for key in ("legislative_session_id", "event_id"):
            meeting = self.text(item, key, where)
            if meeting:
                if meeting not in self.data.meetings:
                    self.problem(
                        where,
                        _("onbekende vergadering %(id)s (%(key)s); zet haar in events.")
                        % {"id": meeting, "key": key},
                    )
                    return ""
                return meeting
        return ""

    def decision(
        self, motion: Mapping[str, Any], where: str, event: Mapping[str, Any] | None
    ) -> DecisionData | None:
        event = event or {}
        event_where = str(event.get("_where", where))
        source_id = self.text(motion, "id", where) or self.text(event, "id", event_where)
        if not source_id:
            self.problem(where, _("de motie en haar stemming hebben geen id."))
        text = self.text(motion, "text", where)
        title = self.text(motion, "title", where) or self.text(motion, "name", where)
        if not title:
            first = text.splitlines()[0] if text else ""
            title = first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1] + "…"
        if not title:
            self.problem(where, _("de motie heeft geen titel en geen tekst."))
        raw_kind = self.text(motion, "classification", where) or "motion"
        kind = self.mapped(vocabulary.KINDS, raw_kind, where, "classification")
        day = self.date(event, "start_date", event_where) or self.date(motion, "date", where)
        if day is None:
            self.problem(where, _("de datum ontbreekt (start_date van de stemming of date)."))
        raw_result = self.text(event, "result", event_where) or self.text(motion, "result", where)
        result = None
        if not raw_result:
            self.problem(where, _("de uitslag (result) ontbreekt."))
        else:
            result = self.mapped(vocabulary.RESULTS, raw_result, where, "result")
        meeting = self.meeting_of(event, event_where) or self.meeting_of(motion, where)
        links = self.links(motion, where)
        if not (source_id and title and kind and day and result):
            return None
        decision = DecisionData(
            source_id=source_id,
            kind=kind,
            title=title[:500],
            text=text,
            date=day,
            result=result,
            meeting=meeting,
            links=links,
        )
        self.votes(decision, event, event_where)
        return decision

    def links(self, motion: Mapping[str, Any], where: str) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        for key in ("sources", "links"):
            value = motion.get(key) or []
            if not isinstance(value, list):
                self.problem(where, _("%(key)s moet een lijst zijn.") % {"key": key})
                continue
            for link in value:
                url = self.text(link, "url", where) if isinstance(link, dict) else ""
                if not url.startswith(("https://", "http://")):
                    self.problem(
                        where, _("een link in %(key)s heeft geen geldig webadres.") % {"key": key}
                    )
                    continue
                label = self.text(link, "note", where) or self.text(link, "label", where)
                found.append({"url": url[:1000], "label": label[:200]})
        return found

    def votes(self, decision: DecisionData, event: Mapping[str, Any], where: str) -> None:
        votes = event.get("votes") or []
        counts = event.get("counts") or []
        if not isinstance(votes, list) or not isinstance(counts, list):
            self.problem(where, _("votes en counts moeten lijsten zijn."))
            return
        for number, vote in enumerate(votes, start=1):
            at = _("%(where)s, votes nr. %(number)s") % {"where": where, "number": number}
            if not isinstance(vote, dict):
                self.problem(at, _("verwacht een object."))
                continue
            voter = self.text(vote, "voter_id", at, required=True)
            raw = self.text(vote, "option", at, required=True)
            choice = self.mapped(vocabulary.OPTIONS, raw, at, "option") if raw else None
            group = self.text(vote, "group_id", at)
            if voter and voter not in self.data.members:
                self.problem(at, _("onbekende persoon %(id)s (voter_id).") % {"id": voter})
                continue
            if group and group not in self.data.parties:
                self.problem(at, _("onbekende fractie %(id)s (group_id).") % {"id": group})
                continue
            if voter in decision.votes:
                self.problem(at, _("%(id)s stemt twee keer.") % {"id": voter})
                continue
            if voter and choice:
                decision.votes[voter] = (choice, group)
        per_party: dict[str, dict[str, int]] = {}
        for number, count in enumerate(counts, start=1):
            at = _("%(where)s, counts nr. %(number)s") % {"where": where, "number": number}
            if not isinstance(count, dict):
                self.problem(at, _("verwacht een object."))
                continue
            raw = self.text(count, "option", at, required=True)
            option = self.mapped(vocabulary.OPTIONS, raw, at, "option") if raw else None
            value = count.get("value")
            try:
                number_of = int(str(value))
            except ValueError:
                number_of = -1
            if isinstance(value, bool) or not 0 <= number_of <= MAX_COUNT:
                self.problem(
                    at,
                    _("value moet een geheel getal van 0 tot en met %(max)s zijn.")
                    % {"max": f"{MAX_COUNT:,}".replace(",", ".")},
                )
                continue
            group = self.text(count, "group_id", at)
            if group and group not in self.data.parties:
                self.problem(at, _("onbekende fractie %(id)s (group_id).") % {"id": group})
                continue
            if option is None:
                continue
            if group:
                tally = per_party.setdefault(group, dict.fromkeys(engine.CHOICES, 0))
                tally[option] += number_of
            else:
                decision.totals = decision.totals or dict.fromkeys(engine.CHOICES, 0)
                decision.totals[option] += number_of
        for party, tally in per_party.items():
            decision.party_counts[party] = PartyCount(
                party,
                engine.party_position(tally),
                tally[engine.FOR],
                tally[engine.AGAINST],
                tally[engine.ABSTAIN],
                tally[engine.ABSENT],
            )

    def vote_events(self, document: Mapping[str, Any]) -> None:
        seen: set[str] = set()
        for where, item in self.items(document, "vote_events"):
            event_id = self.text(item, "id", where)
            if event_id and not self.unique(seen, event_id, where):
                continue
            motion_id = self.text(item, "motion_id", where)
            embedded = item.get("motion")
            if motion_id:
                motion = self.motions.get(motion_id)
                if motion is None:
                    self.problem(
                        where, _("onbekende motie %(id)s (motion_id).") % {"id": motion_id}
                    )
                    continue
                motion_where = str(motion["_where"])
            elif isinstance(embedded, dict):
                motion, motion_where = embedded, where
            else:
                self.problem(where, _("de stemming noemt geen motie (motion_id of motion)."))
                continue
            decision = self.decision(motion, motion_where, {**item, "_where": where})
            if decision is None:
                continue
            if motion_id:
                self.voted_motions.add(motion_id)
            earlier = self.data.decisions.get(decision.source_id)
            if earlier is None or earlier.date <= decision.date:
                self.data.decisions[decision.source_id] = decision

    def unvoted_motions(self) -> None:
        """Motions with a result but no vote event: decided without a recorded vote."""
        for source_id, motion in self.motions.items():
            if source_id in self.voted_motions or not motion.get("result"):
                continue
            decision = self.decision(motion, str(motion["_where"]), None)
            if decision is not None:
                self.data.decisions[source_id] = decision


def parse_popolo(document: Mapping[str, Any]) -> CouncilData:
    """Turn a Popolo document (already parsed JSON) into ``CouncilData``.

    Raises ``ImportRejectedError`` naming every problem (place and what is wrong, in Dutch).
    """
    reader = _Reader()
    if not isinstance(document, Mapping):
        reader.problem(_("het document"), _("verwacht een JSON-object."))
        raise ImportRejectedError(reader.problems)
    reader.organizations(document)
    reader.persons(document)
    reader.memberships(document)
    reader.events(document)
    reader.motion_index(document)
    reader.vote_events(document)
    reader.unvoted_motions()
    if not reader.problems and not reader.data.decisions:
        reader.problems.add(
            None,
            "",
            _(
                "Het bestand bevat geen besluiten: geen motions met een uitslag en geen vote_events."
            ),
        )
    if reader.problems:
        raise ImportRejectedError(reader.problems)
    return reader.data
