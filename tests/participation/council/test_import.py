"""Importing council data: Popolo and CSV files, all-or-nothing, idempotent, with clear errors."""

from __future__ import annotations

import gzip
import io

import pytest

from burgerlink.core.files import FileLimits, ImportRejectedError
from burgerlink.core.models import Organisation
from burgerlink.participation.council.csvfile import COLUMNS, EXAMPLES
from burgerlink.participation.council.services import import_council_file
from burgerlink.participation.models import (
    Council,
    CouncilImport,
    CouncilMember,
    Decision,
    ImportStatus,
    MemberVote,
    Party,
    PartyMembership,
    PartyVote,
)
from tests.participation.council import popolo_sample

pytestmark = pytest.mark.django_db


def _import(organisation: Organisation, content: bytes, name: str = "raad.json") -> CouncilImport:
    return import_council_file(organisation=organisation, stream=io.BytesIO(content), filename=name)


def _rejected(organisation: Organisation, content: bytes, name: str = "raad.json") -> list[str]:
    with pytest.raises(ImportRejectedError) as refused:
        _import(organisation, content, name)
    return [str(problem) for problem in refused.value.problems]


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Council,
            Party,
            CouncilMember,
            PartyMembership,
            Decision,
            MemberVote,
            PartyVote,
        )
    )


def test_a_popolo_file_is_stored_with_members_parties_and_votes(sample: CouncilImport) -> None:
    assert sample.status == ImportStatus.DONE
    assert (sample.decisions_created, sample.decisions_updated) == (4, 0)
    assert Council.objects.get().name == "Gemeenteraad Amstelstad"
    assert sorted(Party.objects.values_list("abbreviation", flat=True)) == ["GL", "SP", "VVD"]
    assert CouncilMember.objects.count() == 6
    assert PartyMembership.objects.count() == 6  # the committee membership is not a party's

    m1 = Decision.objects.get(source_id="m1")
    assert (m1.kind, m1.result, m1.title) == ("motion", "adopted", "Meer bomen in de binnenstad")
    assert (m1.votes_for, m1.votes_against, m1.votes_abstain, m1.votes_absent) == (4, 2, 0, 0)
    assert m1.meeting is not None and m1.meeting.name == "Raadsvergadering"
    assert m1.links == [{"url": "https://amstelstad.example/moties/m1.pdf", "label": "Motietekst"}]
    # Members without a group on their vote sit for the party of their membership that day.
    fatima = MemberVote.objects.get(decision=m1, member__name="Fatima El Amrani")
    assert (fatima.choice, fatima.party.abbreviation) == ("for", "GL")

    positions = {
        (v.decision.source_id, v.party.abbreviation): v.position
        for v in PartyVote.objects.select_related("decision", "party")
    }
    assert positions[("m3", "GL")] == "split"
    assert positions[("m3", "SP")] == "absent"
    assert positions[("m2", "SP")] == "against"  # Tom absent, Sara against
    # Counts only: the party's counts, and the totals as the file gives them.
    assert positions[("m4", "SP")] == "against"
    m4 = Decision.objects.get(source_id="m4")
    assert (m4.title, m4.votes_for, m4.votes_against) == ("Zwembad open in de zomer", 4, 2)
    assert PartyVote.objects.get(decision=m4, party__abbreviation="VVD").votes_for == 2


def test_importing_the_same_file_again_changes_nothing_and_says_so(
    amstelstad: Organisation, sample: CouncilImport
) -> None:
    before = _counts()
    again = _import(amstelstad, popolo_sample.as_bytes())
    assert again.status == ImportStatus.DONE
    assert (again.decisions_created, again.decisions_updated, again.decisions_unchanged) == (
        0,
        0,
        4,
    )
    assert again.others_changed == 0 and not again.changed_anything
    assert again.sha256 == sample.sha256
    assert _counts() == before


def test_a_changed_vote_updates_only_that_decision(
    amstelstad: Organisation, sample: CouncilImport
) -> None:
    doc = popolo_sample.document()
    doc["vote_events"][0]["votes"][0]["option"] = "no"  # Fatima against m1
    again = _import(amstelstad, popolo_sample.as_bytes(doc))
    assert (again.decisions_created, again.decisions_updated, again.decisions_unchanged) == (
        0,
        1,
        3,
    )
    m1 = Decision.objects.get(source_id="m1")
    assert (m1.votes_for, m1.votes_against) == (3, 3)
    assert PartyVote.objects.get(decision=m1, party__abbreviation="GL").position == "split"


def test_a_gzipped_file_is_read_and_its_unpacked_size_is_limited(amstelstad: Organisation) -> None:
    packed = gzip.compress(popolo_sample.as_bytes())
    assert _import(amstelstad, packed, "raad.json.gz").decisions_created == 4

    tiny = FileLimits.from_settings()
    tiny = FileLimits(tiny.max_bytes, 1000, tiny.max_rows, tiny.max_cells, tiny.max_cell_chars)
    with pytest.raises(ImportRejectedError) as refused:
        import_council_file(
            organisation=amstelstad, stream=io.BytesIO(packed), filename="raad.json.gz", limits=tiny
        )
    assert "Uitgepakt is dit bestand groter dan" in str(refused.value.problems[0])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["vote_events"][0]["votes"].append(
                {"voter_id": "p-nobody", "option": "yes"}
            ),
            "onbekende persoon p-nobody (voter_id)",
        ),
        (
            lambda d: d["vote_events"][1]["votes"][0].update(option="misschien"),
            "onbekende waarde 'misschien' voor option",
        ),
        (lambda d: d["vote_events"][0].update(motion_id="m99"), "onbekende motie m99 (motion_id)"),
        (
            lambda d: d["motions"][1].update(classification="petitie"),
            "onbekende waarde 'petitie' voor classification",
        ),
        (
            lambda d: d["vote_events"][2].update(start_date="9-4-2026"),
            "start_date is geen geldige datum: 9-4-2026",
        ),
        (lambda d: d["vote_events"][3].update(result=None), "de uitslag (result) ontbreekt"),
        (
            lambda d: d["persons"].append({"id": "p-tom", "name": "Tweede Tom"}),
            "het id p-tom komt twee keer voor",
        ),
        (
            lambda d: d["vote_events"][3]["counts"][0].update(value=-1),
            "value moet een geheel getal van 0 tot en met 10.000 zijn",
        ),
        (lambda d: d.update(motions="geen lijst"), "motions: verwacht een lijst van objecten"),
    ],
)
def test_a_bad_popolo_file_says_where_and_what_and_stores_nothing(
    amstelstad: Organisation, change: object, expected: str
) -> None:
    doc = popolo_sample.document()
    change(doc)  # type: ignore[operator]
    problems = _rejected(amstelstad, popolo_sample.as_bytes(doc))
    assert any(expected in problem for problem in problems), problems
    assert _counts() == (0,) * 7
    record = CouncilImport.objects.get()
    assert record.status == ImportStatus.REJECTED
    assert any(expected in p["message"] for p in record.problems)


def test_a_bad_file_after_a_good_one_leaves_the_good_data_untouched(
    amstelstad: Organisation, sample: CouncilImport
) -> None:
    before = _counts()
    doc = popolo_sample.document()
    doc["motions"][0]["title"] = "Een nieuwe titel"  # would change m1 ...
    doc["vote_events"][3]["votes"] = [{"voter_id": "p-ghost", "option": "yes"}]  # ... but m4 fails
    _rejected(amstelstad, popolo_sample.as_bytes(doc))
    assert _counts() == before
    assert Decision.objects.get(source_id="m1").title == "Meer bomen in de binnenstad"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Het bestand is leeg"),
        (b'{"motions": [', "Dit JSON-bestand kan niet worden gelezen"),
        (b"[1, 2, 3]", "Dit is geen Popolo-bestand"),
        (b'{"persons": []}', "Het bestand bevat geen besluiten"),
    ],
)
def test_files_that_are_no_popolo_documents_are_refused_in_dutch(
    amstelstad: Organisation, content: bytes, expected: str
) -> None:
    problems = _rejected(amstelstad, content)
    assert any(expected in problem for problem in problems), problems
    assert Decision.objects.count() == 0


def _csv(rows: list[list[str]], header: tuple[str, ...] = COLUMNS) -> bytes:
    lines = [";".join(header)] + [";".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def test_the_csv_template_examples_import_as_they_are(amstelstad: Organisation) -> None:
    record = _import(amstelstad, _csv(EXAMPLES), "stemmen.csv")
    assert (record.source, record.decisions_created) == ("csv", 1)
    decision = Decision.objects.get()
    assert (decision.kind, decision.result, decision.votes_for, decision.votes_against) == (
        "motion",
        "adopted",
        1,
        1,
    )
    positions = dict(PartyVote.objects.values_list("party__name", "position"))
    assert positions == {"GroenLinks": "for", "VVD": "against", "D66": "for"}
    membership = PartyMembership.objects.get(member__name="Pieter de Vries")
    assert (membership.party.name, str(membership.start_date)) == ("VVD", "2026-03-12")
    again = _import(amstelstad, _csv(EXAMPLES), "stemmen.csv")
    assert not again.changed_anything and again.decisions_unchanged == 1


def test_a_bad_csv_file_names_row_and_column(amstelstad: Organisation) -> None:
    rows = [list(row) for row in EXAMPLES]
    rows[1][3] = "Andere titel"  # the same decision with another title
    rows[2][10] = "misschien"
    problems = _rejected(amstelstad, _csv(rows), "stemmen.csv")
    assert "rij 3, kolom titel: Anders dan op rij 2 voor hetzelfde besluit_id." in problems
    assert any(p.startswith("rij 4, kolom stem: Onbekende stem 'misschien'") for p in problems)
    assert Decision.objects.count() == 0

    problems = _rejected(amstelstad, _csv([["x"]], ("besluit_id",)), "stemmen.csv")
    assert problems[0].startswith("Deze kolommen ontbreken: datum, soort, titel, uitslag, stem")
