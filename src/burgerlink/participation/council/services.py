"""Writes of the council area: importing council data (file, API push, demo), all-or-nothing.

Every import is read and checked as a whole before anything is written; the writing is one
transaction that updates rows by their source id, so the same data imported again changes
nothing (and the import record says so). A refused file leaves only its import record, with the
problems. Public pages are cached by data version: a change bumps the organisation's version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from burgerlink.core.files import (
    FileLimits,
    ImportRejectedError,
    UnreadableFileError,
    fingerprint,
)
from burgerlink.core.models import Organisation, User
from burgerlink.core.pagecache import bump_data_version
from burgerlink.core.services import record_audit
from burgerlink.participation.council import engine
from burgerlink.participation.council.csvfile import read_council_table
from burgerlink.participation.council.data import CouncilData, DecisionData, PartyCount
from burgerlink.participation.council.popolo import parse_popolo, read_popolo
from burgerlink.participation.council.reading import unpacked
from burgerlink.participation.models import (
    Council,
    CouncilImport,
    CouncilMember,
    Decision,
    ImportSource,
    ImportStatus,
    Meeting,
    MemberVote,
    Party,
    PartyMembership,
    PartyVote,
)

__all__ = ["ImportRejectedError", "import_council_file", "push_popolo", "store_council_data"]


@dataclass
class Changes:
    """What storing council data changed."""

    decisions_created: int = 0
    decisions_updated: int = 0
    decisions_unchanged: int = 0
    others: int = 0


def import_council_file(
    *,
    organisation: Organisation,
    stream: IO[bytes],
    filename: str = "",
    by: User | None = None,
    limits: FileLimits | None = None,
) -> CouncilImport:
    """Import a Popolo JSON file or a CSV/Excel file of votes (``.gz`` too); all-or-nothing.

    Returns the import record; raises ``ImportRejectedError`` (with the record as ``batch``)
    naming every problem, in which case nothing of the file was stored.
    """
    limits = limits or FileLimits.from_settings()
    source = ImportSource.CSV
    sha256 = ""
    try:
        sha256 = fingerprint(stream, filename, limits=limits).sha256
        readable, name = unpacked(stream, filename, limits)
        head = readable.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        readable.seek(0)
        if head[:1] in (b"{", b"[") or name.lower().endswith(".json"):
            source = ImportSource.POPOLO
            data = read_popolo(readable, limits=limits)
        else:
            data = read_council_table(readable, name, limits=limits)
    except UnreadableFileError as error:
        raise _rejected(organisation, source, filename, sha256, by, "", [error.problem]) from error
    except ImportRejectedError as rejected:
        raise _rejected(
            organisation, source, filename, sha256, by, "", rejected.problems, rejected.total
        ) from rejected
    return store_council_data(
        organisation=organisation,
        data=data,
        source=source,
        filename=filename,
        sha256=sha256,
        by=by,
    )


def push_popolo(
    *, organisation: Organisation, document: Any, by: User | None = None, by_label: str = ""
) -> CouncilImport:
    """Import a Popolo document pushed through the API; the same rules as a file."""
    try:
        data = parse_popolo(document)
    except ImportRejectedError as rejected:
        raise _rejected(
            organisation, ImportSource.API, "", "", by, by_label, rejected.problems, rejected.total
        ) from rejected
    return store_council_data(
        organisation=organisation, data=data, source=ImportSource.API, by=by, by_label=by_label
    )


def _rejected(
    organisation: Organisation,
    source: str,
    filename: str,
    sha256: str,
    by: User | None,
    by_label: str,
    problems: Iterable[Any],
    total: int | None = None,
) -> ImportRejectedError:
    """Record a refused import (nothing else is written) and return the error to raise."""
    items = list(problems)
    record = CouncilImport.objects.create(
        organisation=organisation,
        source=source,
        filename=filename[:255],
        sha256=sha256,
        status=ImportStatus.REJECTED,
        problems=[problem.as_dict() for problem in items],
        problems_total=total if total is not None else len(items),
        created_by=by,
        by_label=by_label[:120],
    )
    return ImportRejectedError(items, total=record.problems_total, batch=record)


def store_council_data(
    *,
    organisation: Organisation,
    data: CouncilData,
    source: str,
    filename: str = "",
    sha256: str = "",
    by: User | None = None,
    by_label: str = "",
) -> CouncilImport:
    """Store checked council data in one transaction, updating rows by source id."""
    with transaction.atomic():
        changes = _Writer(organisation, data).write()
        record = CouncilImport.objects.create(
            organisation=organisation,
            source=source,
            filename=filename[:255],
            sha256=sha256,
            status=ImportStatus.DONE,
            decisions_created=changes.decisions_created,
            decisions_updated=changes.decisions_updated,
            decisions_unchanged=changes.decisions_unchanged,
            others_changed=changes.others,
            created_by=by,
            by_label=by_label[:120],
        )
        if source != ImportSource.DEMO:
            record_audit(
                action="participation.council.import",
                actor=by,
                actor_label=by_label,
                organisation=organisation,
                obj=record,
                summary=_(
                    "Raadsgegevens ingelezen: %(new)s nieuw, %(updated)s bijgewerkt, "
                    "%(same)s ongewijzigd."
                )
                % {
                    "new": changes.decisions_created,
                    "updated": changes.decisions_updated,
                    "same": changes.decisions_unchanged,
                },
            )
        if record.changed_anything:
            bump_data_version(organisation_id=organisation.pk)
    return record


class _Writer:
    """Upserts one ``CouncilData`` into an organisation's council tables."""

    def __init__(self, organisation: Organisation, data: CouncilData) -> None:
        self.organisation = organisation
        self.data = data
        self.changes = Changes()
        self.parties: dict[str, Party] = {}
        self.members: dict[str, CouncilMember] = {}
        self.meetings: dict[str, Meeting] = {}
        # member id -> (start, end, party id) of every membership, for votes without a party
        self.periods: dict[int, list[tuple[date | None, date | None, int]]] = {}

    def write(self) -> Changes:
        self.council()
        self.parties = self.upsert(
            Party,
            {
                p.source_id: {"name": p.name, "abbreviation": p.abbreviation}
                for p in self.data.parties.values()
            },
        )
        self.members = self.upsert(
            CouncilMember, {m.source_id: {"name": m.name} for m in self.data.members.values()}
        )
        self.meetings = self.upsert(
            Meeting,
            {m.source_id: {"name": m.name, "date": m.date} for m in self.data.meetings.values()},
        )
        self.memberships()
        self.decisions()
        return self.changes

    def council(self) -> None:
        name = self.data.council_name
        council = Council.objects.filter(organisation=self.organisation).first()
        if council is None:
            Council.objects.create(
                organisation=self.organisation,
                name=name or _("Raad van %(name)s") % {"name": self.organisation.name},
                source_id=self.data.council_source_id,
            )
            self.changes.others += 1
        elif name and (council.name, council.source_id) != (name, self.data.council_source_id):
            council.name, council.source_id = name, self.data.council_source_id
            council.save(update_fields=["name", "source_id", "updated_at"])
            self.changes.others += 1

    def upsert(self, model: Any, wanted: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """Rows of ``model`` by source id: missing ones created, changed ones updated."""
        existing = {
            row.source_id: row
            for row in model.objects.filter(
                organisation=self.organisation, source_id__in=list(wanted)
            )
        }
        new = [
            model(organisation=self.organisation, source_id=source_id, **values)
            for source_id, values in wanted.items()
            if source_id not in existing
        ]
        changed = []
        for source_id, values in wanted.items():
            row = existing.get(source_id)
            if row is not None and any(getattr(row, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                changed.append(row)
        model.objects.bulk_create(new)
        if changed:
            model.objects.bulk_update(changed, list(next(iter(wanted.values()))))
        self.changes.others += len(new) + len(changed)
        if new:  # SQLite and older backends do not return primary keys from bulk_create
            existing = {
                row.source_id: row
                for row in model.objects.filter(
                    organisation=self.organisation, source_id__in=list(wanted)
                )
            }
        return existing

    def memberships(self) -> None:
        existing = {
            (m.member_id, m.party_id, m.start_date): m
            for m in PartyMembership.objects.filter(organisation=self.organisation)
        }
        for item in self.data.memberships:
            member, party = self.members[item.member], self.parties[item.party]
            row = existing.get((member.pk, party.pk, item.start_date))
            if row is None:
                if item.end_date is None and self._covered(
                    existing, member.pk, party.pk, item.start_date
                ):
                    continue  # a CSV file's derived membership that is known already
                existing[(member.pk, party.pk, item.start_date)] = PartyMembership.objects.create(
                    organisation=self.organisation,
                    member=member,
                    party=party,
                    start_date=item.start_date,
                    end_date=item.end_date,
                )
                self.changes.others += 1
            elif item.end_date is not None and row.end_date != item.end_date:
                row.end_date = item.end_date
                row.save(update_fields=["end_date"])
                self.changes.others += 1
        for m in existing.values():
            self.periods.setdefault(m.member_id, []).append((m.start_date, m.end_date, m.party_id))

    @staticmethod
    def _covered(
        existing: dict[tuple[int, int, date | None], PartyMembership],
        member_id: int,
        party_id: int,
        day: date | None,
    ) -> bool:
        return any(
            m.member_id == member_id
            and m.party_id == party_id
            and (m.start_date is None or day is None or m.start_date <= day)
            and (m.end_date is None or day is None or day <= m.end_date)
            for m in existing.values()
        )

    def party_on(self, member_id: int, day: date) -> int | None:
        """The member's party on a day, from the memberships (None when unknown)."""
        for start, end, party_id in self.periods.get(member_id, []):
            if (start is None or start <= day) and (end is None or day <= end):
                return party_id
        return None

    def decisions(self) -> None:
        wanted = self.data.decisions
        existing = {
            d.source_id: d
            for d in Decision.objects.filter(
                organisation=self.organisation, source_id__in=list(wanted)
            )
        }
        stored_members: dict[int, set[tuple[int, int | None, str]]] = {}
        for vote in MemberVote.objects.filter(decision__in=list(existing.values())).values_list(
            "decision_id", "member_id", "party_id", "choice"
        ):
            stored_members.setdefault(vote[0], set()).add(vote[1:])
        stored_parties: dict[int, set[tuple[int, str, int, int, int, int]]] = {}
        for row in PartyVote.objects.filter(decision__in=list(existing.values())).values_list(
            "decision_id",
            "party_id",
            "position",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "votes_absent",
        ):
            stored_parties.setdefault(row[0], set()).add(row[1:])
        for source_id, item in wanted.items():
            members = self.member_votes(item)
            parties = self.party_votes(item, members)
            fields = self.decision_fields(item, members, parties)
            decision = existing.get(source_id)
            if decision is None:
                decision = Decision.objects.create(
                    organisation=self.organisation, source_id=source_id, **fields
                )
                self.changes.decisions_created += 1
                self.replace_votes(decision, members, parties)
                continue
            same_fields = all(getattr(decision, k) == v for k, v in fields.items())
            same_votes = (
                stored_members.get(decision.pk, set()) == members
                and stored_parties.get(decision.pk, set()) == parties
            )
            if same_fields and same_votes:
                self.changes.decisions_unchanged += 1
                continue
            if not same_fields:
                for key, value in fields.items():
                    setattr(decision, key, value)
                decision.save()
            if not same_votes:
                self.replace_votes(decision, members, parties)
            self.changes.decisions_updated += 1

    def member_votes(self, item: DecisionData) -> set[tuple[int, int | None, str]]:
        votes = set()
        for member_source, (choice, party_source) in item.votes.items():
            member = self.members[member_source]
            party_id = (
                self.parties[party_source].pk
                if party_source
                else self.party_on(member.pk, item.date)
            )
            votes.add((member.pk, party_id, choice))
        return votes

    def party_votes(
        self, item: DecisionData, members: set[tuple[int, int | None, str]]
    ) -> set[tuple[int, str, int, int, int, int]]:
        """Per party: counted from its members' votes, else as the source gave it."""
        by_party: dict[int, list[str]] = {}
        for _member, party_id, choice in members:
            if party_id is not None:
                by_party.setdefault(party_id, []).append(choice)
        rows = set()
        for party_id, choices in by_party.items():
            counts = engine.tally(choices)
            rows.add(
                (
                    party_id,
                    engine.party_position(counts),
                    counts[engine.FOR],
                    counts[engine.AGAINST],
                    counts[engine.ABSTAIN],
                    counts[engine.ABSENT],
                )
            )
        for source, count in item.party_counts.items():
            party_id = self.parties[source].pk
            if party_id not in by_party:
                rows.add(_counted(party_id, count))
        return rows

    def decision_fields(
        self,
        item: DecisionData,
        members: set[tuple[int, int | None, str]],
        parties: set[tuple[int, str, int, int, int, int]],
    ) -> dict[str, Any]:
        if item.totals is not None:
            totals = item.totals
        elif members:
            totals = engine.tally(choice for _m, _p, choice in members)
        else:
            totals = dict.fromkeys(engine.CHOICES, 0)
            for _party, _position, *counts in parties:
                for choice, n in zip(engine.CHOICES, counts, strict=True):
                    totals[choice] += n
        return {
            # The id, not the row: comparing ids needs no query per stored decision.
            "meeting_id": self.meetings[item.meeting].pk if item.meeting else None,
            "kind": item.kind,
            "title": item.title,
            "text": item.text,
            "date": item.date,
            "result": item.result,
            "links": item.links,
            "votes_for": totals[engine.FOR],
            "votes_against": totals[engine.AGAINST],
            "votes_abstain": totals[engine.ABSTAIN],
            "votes_absent": totals[engine.ABSENT],
        }

    def replace_votes(
        self,
        decision: Decision,
        members: set[tuple[int, int | None, str]],
        parties: set[tuple[int, str, int, int, int, int]],
    ) -> None:
        MemberVote.objects.filter(decision=decision).delete()
        PartyVote.objects.filter(decision=decision).delete()
        MemberVote.objects.bulk_create(
            MemberVote(
                organisation=self.organisation,
                decision=decision,
                member_id=member_id,
                party_id=party_id,
                choice=choice,
            )
            for member_id, party_id, choice in sorted(members, key=lambda v: v[0])
        )
        PartyVote.objects.bulk_create(
            PartyVote(
                organisation=self.organisation,
                decision=decision,
                party_id=party_id,
                position=position,
                votes_for=n_for,
                votes_against=n_against,
                votes_abstain=n_abstain,
                votes_absent=n_absent,
            )
            for party_id, position, n_for, n_against, n_abstain, n_absent in sorted(parties)
        )


def _counted(party_id: int, count: PartyCount) -> tuple[int, str, int, int, int, int]:
    return (
        party_id,
        count.position,
        count.votes_for,
        count.votes_against,
        count.votes_abstain,
        count.votes_absent,
    )
