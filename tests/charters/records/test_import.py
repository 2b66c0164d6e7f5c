"""Importing contacts and cases: measured, idempotent, all-or-nothing, with row-level errors."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook

from burgerlink.charters.models import (
    BatchStatus,
    Case,
    CharterVersion,
    ComplianceMonth,
    Contact,
    ImportBatch,
    Verdict,
)
from burgerlink.charters.records.services import ImportRejectedError, import_file
from burgerlink.core.models import Organisation
from tests.charters.records.conftest import add_norm

pytestmark = pytest.mark.django_db(transaction=False)

CONTACTS = (
    "source_id,channel,received_at,handled_at,wait_seconds,answered\n"
    "T-1,phone,2025-03-07T09:00:00+01:00,,20,ja\n"
    "T-2,phone,2025-03-07T09:05:00+01:00,,40,ja\n"
    "E-1,email,2025-03-07T16:00:00+01:00,2025-03-11T23:59:00+01:00,,\n"
    "E-2,email,2025-03-07T16:00:00+01:00,2025-03-12T00:00:00+01:00,,\n"
    "E-3,email,2025-03-08T10:00:00+01:00,,,\n"
)


def run_import(
    organisation: Organisation, text: str | bytes, kind: str = "contacts", **options: object
) -> ImportBatch:
    data = text.encode() if isinstance(text, str) else text
    return import_file(
        organisation=organisation,
        kind=kind,
        stream=io.BytesIO(data),
        filename="test.csv",
        **options,
    )  # type: ignore[arg-type]


def rejected(
    organisation: Organisation, text: str | bytes, kind: str = "contacts", **options: object
) -> list[dict[str, object]]:
    with pytest.raises(ImportRejectedError) as error:
        run_import(organisation, text, kind, **options)
    batch = error.value.batch
    assert batch.status == BatchStatus.FAILED
    assert not Contact.objects.exists()
    assert not Case.objects.exists()
    return batch.errors


def verdicts() -> dict[str, int]:
    return dict(Contact.objects.values_list("source_id", "verdict"))


def test_contacts_are_measured_against_the_charter(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    batch = run_import(amstelstad, CONTACTS)
    assert batch.status == BatchStatus.DONE
    assert (batch.rows_total, batch.rows_created) == (5, 5)
    assert verdicts() == {
        "T-1": Verdict.MET,
        "T-2": Verdict.MISSED,
        "E-1": Verdict.MET,  # 2 working days from Friday: before midnight on Tuesday
        "E-2": Verdict.MISSED,
        "E-3": Verdict.OPEN,
    }
    late = Contact.objects.get(source_id="T-2")
    assert late.lateness_seconds == 15
    assert late.period == date(2025, 3, 1)
    open_mail = Contact.objects.get(source_id="E-3")
    # Saturday 8 March + 2 working days = Tuesday 11 March, ending at midnight Dutch time.
    assert open_mail.deadline == datetime(2025, 3, 11, 23, 0, tzinfo=UTC)
    month = ComplianceMonth.objects.get(norm_code="email-answered", period=date(2025, 3, 1))
    # The open e-mail is past its deadline, so at refresh time it counts as missed.
    assert (month.total, month.met, month.missed, month.open) == (3, 1, 2, 0)


def test_importing_the_same_file_twice_changes_nothing(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    run_import(amstelstad, CONTACTS)
    before = list(Contact.objects.order_by("source_id").values())
    again = run_import(amstelstad, CONTACTS)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 5)
    after = list(Contact.objects.order_by("source_id").values())
    assert [{**row, "batch_id": None} for row in after] == [
        {**row, "batch_id": None} for row in before
    ]


def test_a_corrected_row_is_updated_and_remeasured(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    run_import(amstelstad, CONTACTS)
    corrected = CONTACTS.replace(
        "T-2,phone,2025-03-07T09:05:00+01:00,,40", "T-2,phone,2025-03-07T09:05:00+01:00,,10"
    )
    batch = run_import(amstelstad, corrected)
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 1, 4)
    assert verdicts()["T-2"] == Verdict.MET


def test_a_charter_version_changing_mid_period_measures_each_record_by_its_own_date(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    charter.valid_to = date(2025, 3, 10)
    charter.save()
    stricter = CharterVersion.objects.create(
        charter=charter.charter,
        organisation=amstelstad,
        number=2,
        status="published",
        valid_from=date(2025, 3, 10),
    )
    phone = charter.norms.get(code="phone-answered").channel
    add_norm(stricter, "phone-answered", channel=phone, metric="elapsed_seconds", threshold=10)
    text = (
        "source_id;channel;received_at;wait_seconds\n"
        "A;telefoon;07-03-2025 09:00;20\n"
        "B;telefoon;10-03-2025 09:00;20\n"
    )
    run_import(amstelstad, text)
    assert verdicts() == {"A": Verdict.MET, "B": Verdict.MISSED}
    assert Contact.objects.get(source_id="B").norm.version == stricter


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [",", ";"])
def test_encodings_separators_and_dutch_dates(
    amstelstad: Organisation, charter: CharterVersion, encoding: str, separator: str
) -> None:
    text = separator.join(["kenmerk", "kanaal", "ontvangen", "afgehandeld"]) + "\r\n"
    text += separator.join(["Brief-é", "e-mail", "07-03-2025 16:00", "10-03-2025 09:15"]) + "\r\n"
    run_import(amstelstad, text.encode(encoding))
    contact = Contact.objects.get()
    assert contact.source_id == "Brief-é"
    assert contact.received_at == datetime(2025, 3, 7, 15, 0, tzinfo=UTC)
    assert contact.verdict == Verdict.MET


def test_xlsx_files_are_read(amstelstad: Organisation, charter: CharterVersion) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["source_id", "channel", "received_at", "wait_seconds"])
    sheet.append(["X-1", "phone", datetime(2025, 3, 7, 9, 0), 12])  # noqa: DTZ001 - Excel has no zones
    sheet.append(["X-2", "phone", "07-03-2025 09:30", 30])
    buffer = io.BytesIO()
    book.save(buffer)
    batch = run_import(amstelstad, buffer.getvalue())
    assert batch.file_format == "xlsx"
    assert verdicts() == {"X-1": Verdict.MET, "X-2": Verdict.MISSED}
    assert Contact.objects.get(source_id="X-1").received_at == datetime(
        2025, 3, 7, 8, 0, tzinfo=UTC
    )


def test_telephony_export_through_the_acd_mapping(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    text = "CallID;StartTime;WaitTime;Abandoned\n9001;07-03-2025 09:00:00;00:00:12;nee\n9002;07-03-2025 09:01:00;00:01:05;ja\n"
    run_import(amstelstad, text, preset="acd")
    assert verdicts() == {"9001": Verdict.MET, "9002": Verdict.MISSED}


def test_open_klant_json(amstelstad: Organisation, charter: CharterVersion) -> None:
    data = {
        "results": [
            {
                "uuid": "u1",
                "nummer": "OK-1",
                "kanaal": "telefoon",
                "plaatsgevondenOp": "2025-03-07T09:00:00+01:00",
                "indicatieContactGelukt": True,
            }
        ]
    }
    run_import(amstelstad, json.dumps(data))
    contact = Contact.objects.get()
    assert contact.source_id == "OK-1"
    assert contact.answered is True


def test_cases_with_suspensions_and_zgw_extensions(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    cases = "source_id,case_type,received_at,complete_at,decided_at\nZ-1,omgevingsvergunning-regulier,2025-03-01,2025-03-10,2025-05-06T16:00:00+02:00\n"
    run_import(amstelstad, cases, "cases")
    case = Case.objects.get()
    # Complete on 10 March + 8 weeks = Monday 5 May, Liberation Day: the term runs on to 6 May.
    assert case.verdict == Verdict.MET
    assert case.deadline == datetime(2025, 5, 6, 22, 0, tzinfo=UTC)
    suspensions = "source_id,start,end,reason\nZ-1,2025-03-20,2025-04-03,Aanvulling gevraagd\n"
    run_import(amstelstad, suspensions, "suspensions")
    case.refresh_from_db()
    assert case.suspended_days == 14
    assert case.deadline == datetime(2025, 5, 19, 22, 0, tzinfo=UTC)  # 24 March + 8 weeks
    zgw = [
        {
            "identificatie": "Z-2",
            "zaaktype": "https://zaken.example/zaaktypen/omgevingsvergunning-regulier",
            "registratiedatum": "2025-03-01",
            "startdatum": "2025-03-01",
            "einddatum": None,
            "verlenging": {"reden": "Advies", "duur": "P4W"},
        }
    ]
    run_import(amstelstad, json.dumps(zgw), "cases")
    second = Case.objects.get(source_id="Z-2")
    assert second.extended_days == 28
    assert second.verdict == Verdict.OPEN
    assert second.deadline == datetime(
        2025, 5, 26, 22, 0, tzinfo=UTC
    )  # 1 March + 12 weeks = 24 May (Sat) → Mon 26 May


@pytest.mark.parametrize(
    ("text", "row", "column", "fragment"),
    [
        (
            "source_id,channel,received_at\nA,fax,2025-03-07 09:00\n",
            2,
            "channel",
            "Onbekend kanaal",
        ),
        (
            "source_id,channel,received_at,handled_at\nA,email,2025-03-07 09:00,2025-03-06 09:00\n",
            2,
            "handled_at",
            "vóór",
        ),
        (
            "source_id,channel,received_at\nA,email,2025-03-07 09:00\nA,email,2025-03-07 10:00\n",
            3,
            "source_id",
            "staat ook in rij 2",
        ),
        ("source_id,channel,received_at\nA,email,gisteren\n", 2, "received_at", "Onbekende datum"),
        ("source_id,channel,received_at\n,email,2025-03-07 09:00\n", 2, "source_id", "leeg"),
        ("source_id,channel,received_at\nA,email\n", 2, "", "kolommen"),
        (
            "source_id,channel,received_at,wait_seconds\nA,phone,2025-03-07 09:00,lang\n",
            2,
            "wait_seconds",
            "wachttijd",
        ),
    ],
)
def test_bad_rows_name_row_and_column_and_store_nothing(
    amstelstad: Organisation,
    charter: CharterVersion,
    text: str,
    row: int,
    column: str,
    fragment: str,
) -> None:
    errors = rejected(
        amstelstad,
        ["source_id,channel,received_at", "OK,email,2025-03-07 09:00", ""][0] and text,
    )
    assert any(
        e["row"] == row and e["column"] == column and fragment in str(e["message"]) for e in errors
    ), errors


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "leeg"),
        (b"source_id,channel\nA,email\n", "Verplichte kolom ontbreekt: received_at"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "geen tekstbestand"),
        (b"source_id,channel,received_at\n", "geen rijen"),
    ],
)
def test_bad_files_get_a_clear_message(
    amstelstad: Organisation, charter: CharterVersion, data: bytes, fragment: str
) -> None:
    errors = rejected(amstelstad, data)
    assert fragment in str(errors[0]["message"])


def test_one_bad_row_keeps_the_whole_file_out(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    text = CONTACTS + "Z-9,duif,2025-03-07T09:00:00+01:00,,,\n"
    errors = rejected(amstelstad, text)
    assert errors == [{"row": 7, "column": "channel", "message": errors[0]["message"]}]
    assert not ComplianceMonth.objects.exists()


def test_publishing_a_backdated_version_remeasures_the_records(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    from burgerlink.charters.charter.services import new_draft_from, publish_version

    run_import(
        amstelstad, "source_id,channel,received_at,wait_seconds\nR-1,phone,2025-06-02 10:00,20\n"
    )
    assert verdicts() == {"R-1": Verdict.MET}
    draft = new_draft_from(charter)
    draft.norms.filter(code="phone-answered").update(threshold=15)
    publish_version(draft, date(2025, 6, 1))  # re-measuring is queued and runs after commit
    assert verdicts() == {"R-1": Verdict.MISSED}
    assert (
        ComplianceMonth.objects.get(norm_code="phone-answered", period=date(2025, 6, 1)).missed == 1
    )


def test_a_value_spanning_lines_keeps_row_numbers_exact(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    text = (
        "source_id,channel,received_at,handled_at\n"
        '"M-1",email,2025-03-07 09:00,\n'
        '"M-2\nvervolg",email,2025-03-07 09:00,\n'
        "M-3,duif,2025-03-07 09:00,\n"
    )
    errors = rejected(amstelstad, text)
    # The record of M-2 spans lines 3 and 4, so the bad channel of M-3 is on line 5.
    assert [(e["row"], e["column"]) for e in errors] == [(5, "channel")]


def test_a_file_that_partly_overlaps_stored_records_is_counted_exactly(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    run_import(amstelstad, CONTACTS)
    extra = CONTACTS + "N-1,phone,2025-03-08T09:00:00+01:00,,5,ja\n"
    batch = run_import(amstelstad, extra)
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (1, 0, 5)


def test_monthly_figures_after_an_import_equal_a_full_recount(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    from burgerlink.charters.reporting.services import refresh_compliance_months

    def figures() -> list[tuple[object, ...]]:
        return sorted(
            ComplianceMonth.objects.values_list(
                "norm_code", "period", "total", "met", "missed", "open"
            )
        )

    run_import(amstelstad, CONTACTS)
    after_import = figures()
    refresh_compliance_months(organisation=amstelstad, record_kind="contact")
    assert figures() == after_import
    assert after_import
