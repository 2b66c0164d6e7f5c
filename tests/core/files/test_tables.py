"""Reading a table by its format, and the templates that import as they are written."""

from __future__ import annotations

import io

import pytest

from burgerlink.core.files import UnreadableFileError, read_table, template_bytes
from tests.core.files.conftest import ROOMY

COLUMNS = ["kenmerk", "datum", "code"]
EXAMPLES = [["K-1", "07-12-2026", "0012"], ["K-2", "2026-12-08", "=1+1"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_template_reads_back_as_written(fmt: str) -> None:
    data = template_bytes(COLUMNS, EXAMPLES, fmt)
    found, chunks = read_table(io.BytesIO(data), f"voorbeeld.{fmt}", limits=ROOMY)
    assert found == fmt
    chunk = next(chunks)
    assert list(chunk.columns) == COLUMNS
    assert chunk.columns["code"][0] == "0012"  # text stays text: no number, no lost zeros
    assert chunk.columns["datum"] == ["07-12-2026", "2026-12-08"]
    # A value a spreadsheet would run is written as harmless text (the export kit's rule).
    assert chunk.columns["code"][1] == "'=1+1"


def test_a_format_the_caller_does_not_take_is_refused_naming_those_it_does() -> None:
    data = template_bytes(COLUMNS, EXAMPLES, "xlsx")
    with pytest.raises(UnreadableFileError, match="gebruik CSV of Excel") as caught:
        read_table(io.BytesIO(b"$FL2@(#) SPSS"), "data.sav", limits=ROOMY)
    assert caught.value.row is None
    with pytest.raises(UnreadableFileError, match="gebruik CSV\\."):
        read_table(io.BytesIO(data), "voorbeeld.xlsx", formats=("csv",), limits=ROOMY)
