"""The records import refuses files over the limits, as one rejected batch that says why."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from burgerlink.charters.models import BatchStatus, CharterVersion, Contact, ImportBatch
from burgerlink.charters.records.services import import_file
from burgerlink.core.files import FileLimits, ImportRejectedError
from burgerlink.core.models import Organisation

pytestmark = pytest.mark.django_db(transaction=False)

HEADER = "source_id,channel,received_at,wait_seconds\n"


def tight(**changes: int | None) -> FileLimits:
    values: dict[str, int | None] = {
        "max_bytes": None,
        "max_expanded_bytes": 1 << 30,
        "max_rows": 1_000,
        "max_cells": 100_000,
        "max_cell_chars": 1_000,
    }
    values.update(changes)
    return FileLimits(**values)  # type: ignore[arg-type]


def refused(
    organisation: Organisation, data: bytes, filename: str, limits: FileLimits
) -> list[dict[str, object]]:
    with pytest.raises(ImportRejectedError) as caught:
        import_file(
            organisation=organisation,
            kind="contacts",
            stream=io.BytesIO(data),
            filename=filename,
            limits=limits,
        )
    batch = caught.value.batch
    assert isinstance(batch, ImportBatch)
    assert batch.status == BatchStatus.FAILED
    assert not Contact.objects.exists()
    return batch.errors


def rows(count: int) -> str:
    return "".join(f"C{i},phone,2025-03-07T09:00:00+01:00,10\n" for i in range(count))


@pytest.mark.parametrize("typed", [True, False], ids=["typed reader", "careful reader"])
def test_a_csv_over_the_row_limit_is_refused(
    amstelstad: Organisation, charter: CharterVersion, typed: bool
) -> None:
    # A Dutch local time makes the fast reader give way to the careful one.
    text = HEADER + rows(30) + ("" if typed else "X,phone,07-03-2025 09:00,10\n")
    errors = refused(amstelstad, text.encode(), "c.csv", tight(max_rows=25))
    assert errors == [
        {
            "row": 0,
            "column": "",
            "message": "Het bestand heeft meer dan 25 rijen met gegevens; splits het in kleinere "
            "bestanden.",
        }
    ]


def test_a_csv_over_the_cell_limit_is_refused(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    errors = refused(amstelstad, (HEADER + rows(30)).encode(), "c.csv", tight(max_cells=100))
    assert "meer dan 100 cellen" in str(errors[0]["message"])


@pytest.mark.parametrize("fast", [True, False], ids=["fast reader", "careful reader"])
def test_a_long_cell_names_its_row_and_column(
    amstelstad: Organisation, charter: CharterVersion, fast: bool
) -> None:
    last = "X,phone,07-03-2025 09:00,10\n" if not fast else ""
    text = HEADER + rows(2) + "C9,phone," + "9" * 1_001 + ",10\n" + last
    errors = refused(amstelstad, text.encode(), "c.csv", tight())
    assert errors[0]["row"] == 4
    assert errors[0]["column"] == "received_at"
    assert "meer dan 1.000 tekens" in str(errors[0]["message"])


def test_an_xlsx_zip_bomb_is_refused(amstelstad: Organisation, charter: CharterVersion) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (40 << 20))
    errors = refused(amstelstad, bomb.getvalue(), "bom.xlsx", tight())
    assert "pakt uit tot meer dan 200 keer" in str(errors[0]["message"])


def test_a_json_over_the_row_limit_is_refused(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    items = [
        {"nummer": f"OK-{i}", "kanaal": "telefoon", "plaatsgevondenOp": "2025-03-07T09:00:00Z"}
        for i in range(12)
    ]
    errors = refused(amstelstad, json.dumps(items).encode(), "ok.json", tight(max_rows=10))
    assert "meer dan 10 rijen" in str(errors[0]["message"])


def test_an_upload_over_the_size_limit_is_refused_and_recorded(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    data = (HEADER + rows(40_000)).encode()
    errors = refused(amstelstad, data, "big.csv", tight(max_bytes=1 << 20, max_rows=100_000))
    assert errors == [{"row": 0, "column": "", "message": "Het bestand is groter dan 1 MB."}]


def test_an_spss_file_is_refused_in_plain_dutch(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    errors = refused(amstelstad, b"$FL2@(#) IBM SPSS", "antwoorden.sav", tight())
    assert "SPSS-bestand kan hier niet worden ingelezen" in str(errors[0]["message"])
