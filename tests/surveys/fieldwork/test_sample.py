"""The sample: only contact data and weighting variables, a unique token each, all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from burgerlink.core.files import ImportRejectedError
from burgerlink.core.models import AuditEvent, User
from burgerlink.surveys.fieldwork import services
from burgerlink.surveys.models import Invitee, InviteeStatus, Wave
from tests.surveys.fieldwork.conftest import SAMPLE, csv_file


def rejected(wave: Wave, content: str, encoding: str = "utf-8") -> ImportRejectedError:
    """Import a file that must be refused; check nothing was stored; return the refusal."""
    before = list(Invitee.objects.filter(wave=wave).values_list("pk", "token", "email"))
    with pytest.raises(ImportRejectedError) as caught:
        services.import_sample(wave, csv_file(content, encoding), by=None)
    after = list(Invitee.objects.filter(wave=wave).values_list("pk", "token", "email"))
    assert after == before
    return caught.value


def where(error: ImportRejectedError) -> list[tuple[int | None, str]]:
    return [(problem.row, problem.column) for problem in error.problems]


def test_a_good_file_adds_everyone_with_a_token(wave: Wave, bram_researcher: User) -> None:
    result = services.import_sample(wave, csv_file(SAMPLE), by=bram_researcher)
    assert result.created == 3
    assert result.ignored_columns == []
    invitees = {i.email or i.postal_address: i for i in Invitee.objects.filter(wave=wave)}
    anna = invitees["anna@example.org"]
    assert anna.language == "nl"
    assert anna.background == {"age_group": "18-34", "district": "noord"}
    assert anna.status == InviteeStatus.PENDING
    assert anna.organisation_id == wave.organisation_id
    assert invitees["bert@example.org"].language == "en"
    letter = invitees["C. de Vries\nKerkstraat 1\n1234 AB Amstelstad"]
    assert letter.email == ""
    assert letter.background == {"age_group": "35-64", "district": "noord"}
    event = AuditEvent.objects.get(action="surveys.sample.import")
    assert event.actor == bram_researcher
    assert "anna@example.org" not in event.summary


def test_tokens_are_unique_and_fit_the_column(wave: Wave) -> None:
    rows = "\n".join(f"person{n}@example.org" for n in range(300))
    services.import_sample(wave, csv_file("email\n" + rows + "\n"), by=None)
    tokens = list(Invitee.objects.filter(wave=wave).values_list("token", flat=True))
    assert len(tokens) == 300 == len(set(tokens))
    assert all(16 <= len(token) <= 32 for token in tokens)
    assert all(token.replace("-", "").replace("_", "").isalnum() for token in tokens)


def test_other_columns_are_not_stored_and_are_reported(wave: Wave) -> None:
    content = (
        "naam,email,geboortedatum,Age_Group,taal\n"
        "Anna de Vries,anna@example.org,1990-01-01,18-34,EN\n"
    )
    result = services.import_sample(wave, csv_file(content), by=None)
    assert result.ignored_columns == ["naam", "geboortedatum"]
    invitee = Invitee.objects.get(wave=wave)
    assert invitee.language == "en"
    assert invitee.background == {"age_group": "18-34"}
    stored = " ".join(
        str(value) for value in Invitee.objects.filter(wave=wave).values().first().values()
    )
    assert "Anna de Vries" not in stored
    assert "1990" not in stored


def test_windows_1252_from_excel_is_read(wave: Wave) -> None:
    content = "postal_address;district\r\nFam. Müller | Dorpsstraat 2 | 1234 AB Amstelstad;zuid\r\n"
    services.import_sample(wave, csv_file(content, "cp1252"), by=None)
    assert Invitee.objects.get(wave=wave).postal_address.startswith("Fam. Müller\n")


def test_a_byte_order_mark_and_commas_are_read(wave: Wave) -> None:
    content = "\ufeffemail,district\nanna@example.org,Noord\n"
    services.import_sample(wave, csv_file(content), by=None)
    assert Invitee.objects.get(wave=wave).background == {"district": "noord"}


def test_duplicate_addresses_in_the_file_are_reported_with_both_rows(wave: Wave) -> None:
    content = "email\nanna@example.org\nbert@example.org\nAnna@Example.org\n"
    error = rejected(wave, content)
    assert where(error) == [(4, "email")]
    assert "rij 2" in error.problems[0].message


def test_an_address_already_in_the_sample_is_a_duplicate(sample: Wave) -> None:
    error = rejected(sample, "email\nnew@example.org\nANNA@example.org\n")
    assert where(error) == [(3, "email")]
    assert "al in de steekproef" in error.problems[0].message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("email\nzoe@example.org\nniet-een-adres\n", [(3, "email")]),
        ("email;postal_address\nzoe@example.org;\n;\n", [(3, "email")]),
        ("email;language\nzoe@example.org;de\n", [(2, "language")]),
        ("email;age_group\nzoe@example.org;12-17\n", [(2, "age_group")]),
        ("email;district\na@example.org;noord\nb@example.org;oost\n", [(3, "district")]),
        ("email;district\na@example.org;noord;extra\n", [(2, "")]),
        (
            "postal_address\n" + "|".join(f"regel {n}" for n in range(8)) + "\n",
            [(2, "postal_address")],
        ),
    ],
)
def test_each_bad_row_names_row_and_column_and_nothing_is_stored(
    sample: Wave, content: str, expected: list[tuple[int, str]]
) -> None:
    error = rejected(sample, content)
    assert where(error) == expected
    assert all(problem.message for problem in error.problems)


def test_every_problem_in_a_file_is_reported_at_once(wave: Wave) -> None:
    content = "email;language;age_group\nx;fr;oud\ngoed@example.org;nl;65+\n;;\n"
    error = rejected(wave, content)
    assert where(error) == [(2, "email"), (2, "language"), (2, "age_group"), (4, "email")]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "leeg"),
        ("naam;telefoon\nAnna;0612345678\n", "geen kolom email of postal_address"),
        ("email\n", "alleen kolomnamen"),
        ("email;email\na@example.org;b@example.org\n", "één keer"),
    ],
)
def test_a_file_that_cannot_be_a_sample_says_why(wave: Wave, content: str, fragment: str) -> None:
    error = rejected(wave, content)
    assert fragment in error.problems[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("\x00\x01\x02\x03garbage\x00\x00", "binaire"),
        # Samples may be Excel files now: a broken zip is refused as one.
        ("PK\x03\x04\x00\x00\x00\x00garbage", "Excel-bestand kan niet worden gelezen"),
    ],
)
def test_a_binary_file_is_refused(wave: Wave, content: str, message: str) -> None:
    with pytest.raises(ImportRejectedError, match=message):
        services.import_sample(wave, csv_file(content), by=None)
    assert not Invitee.objects.exists()


def test_a_closed_wave_takes_no_more_sample(wave: Wave) -> None:
    Wave.objects.filter(pk=wave.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    wave.refresh_from_db()
    error = rejected(wave, "email\nanna@example.org\n")
    assert "gesloten" in error.problems[0].message


def test_the_sample_is_added_to_a_planned_wave(wave: Wave) -> None:
    Wave.objects.filter(pk=wave.pk).update(opens_at=timezone.now() + timedelta(days=3))
    wave.refresh_from_db()
    assert services.import_sample(wave, csv_file("email\na@example.org\n"), by=None).created == 1


def test_stray_control_characters_are_dropped(wave: Wave) -> None:
    filler = "x" * 200
    content = f"postal_address;language\nA. de Vries\x01 | Kerkstraat 1\x7f | {filler};nl\n"
    services.import_sample(wave, csv_file(content), by=None)
    assert Invitee.objects.get(wave=wave).postal_address == f"A. de Vries\nKerkstraat 1\n{filler}"
