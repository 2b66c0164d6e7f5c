"""Every limit on what a file expands to, for CSV, XLSX, JSON and SPSS, checked while streaming."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from burgerlink.core.files import (
    Chunk,
    FileLimits,
    FileTooLargeError,
    UnreadableFileError,
    read_csv,
    read_json_objects,
    read_sav,
    read_xlsx,
)
from tests.core.files.conftest import ROOMY, limits, xlsx, zip_bomb


class CountingStream(io.BytesIO):
    """A byte stream that remembers how far it was read, to show a reader stopped early."""

    furthest = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return data


def rows_of(chunks: Iterator[Chunk]) -> int:
    return sum(len(chunk) for chunk in chunks)


def sav(frame: pd.DataFrame, *, compress: bool = False) -> io.BytesIO:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("data.zsav" if compress else "data.sav")
        pyreadstat.write_sav(frame, str(path), compress=compress)
        return io.BytesIO(path.read_bytes())


def test_the_settings_give_the_defaults(settings: object) -> None:
    found = FileLimits.from_settings()
    assert found.max_bytes == 200 * 1024 * 1024
    assert found.max_rows == 5_000_000
    assert found.max_cell_chars == 32_767
    assert found.without_size_limit().max_bytes is None


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_rows_over_the_limit_are_refused_while_streaming() -> None:
    data = b"a,b\n" + b"1,2\n" * 1_000
    assert rows_of(read_csv(io.BytesIO(data), limits=limits(max_rows=1_000))) == 1_000
    stream = CountingStream(b"a,b\n" + b"1,2\n" * 300_000)
    with pytest.raises(FileTooLargeError, match=r"meer dan 1\.000 rijen"):
        rows_of(read_csv(stream, chunk_rows=500, utf8=True, limits=limits(max_rows=1_000)))
    # Refused after the row limit, not after reading all 1.2 MB (the text layer reads ahead;
    # ``utf8`` comes from the fingerprint's own pass, as an app passes it).
    assert stream.furthest < 300_000


def test_csv_cells_over_the_limit_are_refused() -> None:
    data = b"a,b,c,d\n" + b"1,2,3,4\n" * 30
    with pytest.raises(FileTooLargeError, match=r"meer dan 100 cellen"):
        rows_of(read_csv(io.BytesIO(data), limits=limits(max_cells=100)))
    assert rows_of(read_csv(io.BytesIO(data), limits=limits(max_cells=120))) == 30


def test_a_header_wider_than_the_cell_limit_is_refused_at_once() -> None:
    data = ",".join(f"k{i}" for i in range(200)).encode() + b"\n"
    with pytest.raises(FileTooLargeError, match="meer dan 100 kolommen"):
        rows_of(read_csv(io.BytesIO(data), limits=limits(max_cells=100)))


def test_a_csv_cell_over_the_character_limit_names_its_row_and_column() -> None:
    data = b"id,tekst\n1,kort\n2," + b"x" * 5_001 + b"\n"
    with pytest.raises(FileTooLargeError, match=r"meer dan 5\.000 tekens") as caught:
        rows_of(read_csv(io.BytesIO(data), limits=limits(max_cell_chars=5_000)))
    assert (caught.value.row, caught.value.column) == (3, "tekst")
    ok = b"id,tekst\n1," + b"x" * 5_000 + b"\n"
    assert rows_of(read_csv(io.BytesIO(ok), limits=limits(max_cell_chars=5_000))) == 1


def test_a_quoted_cell_over_many_lines_is_measured_as_one_cell() -> None:
    cell = "\n".join(["regel"] * 2_000)  # 11,999 characters over 2,000 lines
    data = f'id,tekst\n1,"{cell}"\n'.encode()
    with pytest.raises(FileTooLargeError, match="tekens") as caught:
        rows_of(read_csv(io.BytesIO(data), limits=limits(max_cell_chars=10_000)))
    assert caught.value.row == 2


def test_one_500_megabyte_cell_is_refused_before_it_is_read() -> None:
    """The cell would be 500 MB; reading stops at the line limit (1 MiB characters)."""

    class Endless(io.RawIOBase):
        """A CSV whose second line never ends: 500 MB of one cell, made as it is read."""

        def __init__(self) -> None:
            self.sent = 0

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return True

        def seek(self, offset: int, whence: int = 0) -> int:
            self.sent = offset
            return offset

        def tell(self) -> int:
            return self.sent

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            if self.sent >= 500 << 20:
                return 0
            head = b"id,tekst\n1,"
            n = len(buffer)
            data = (head + b"x" * n)[self.sent : self.sent + n] if self.sent < 11 else b"x" * n
            buffer[: len(data)] = data
            self.sent += len(data)
            return len(data)

    stream = Endless()
    with pytest.raises(FileTooLargeError, match="Regel 2 is langer dan"):
        rows_of(read_csv(io.BufferedReader(stream), utf8=True, limits=ROOMY))
    assert stream.sent < 16 << 20


# --- XLSX ---------------------------------------------------------------------------------------


def test_an_xlsx_zip_bomb_is_refused_before_openpyxl_opens_it() -> None:
    bomb = zip_bomb(300 << 20)
    assert len(bomb.getvalue()) < 1 << 20  # 300 MB in under a megabyte
    with pytest.raises(FileTooLargeError, match="pakt uit tot meer dan 200 keer"):
        rows_of(read_xlsx(bomb, limits=ROOMY))


def test_an_xlsx_that_unpacks_beyond_the_expanded_limit_is_refused() -> None:
    with pytest.raises(FileTooLargeError, match="Uitgepakt is dit bestand groter dan 10 MB"):
        rows_of(read_xlsx(zip_bomb(12 << 20), limits=limits(max_expanded_bytes=10 << 20)))


def test_xlsx_rows_cells_and_cell_length_are_limited() -> None:
    sheet = [["id", "tekst"], *[[i, "x"] for i in range(50)]]
    assert rows_of(read_xlsx(xlsx(sheet), limits=limits(max_rows=50))) == 50
    with pytest.raises(FileTooLargeError, match="meer dan 49 rijen"):
        rows_of(read_xlsx(xlsx(sheet), limits=limits(max_rows=49)))
    with pytest.raises(FileTooLargeError, match="meer dan 99 cellen"):
        rows_of(read_xlsx(xlsx(sheet), limits=limits(max_cells=99)))
    long = [["id", "tekst"], [1, "y" * 101]]
    with pytest.raises(FileTooLargeError, match="meer dan 100 tekens") as caught:
        rows_of(read_xlsx(xlsx(long), limits=limits(max_cell_chars=100)))
    assert (caught.value.row, caught.value.column) == (2, "tekst")


# --- JSON ---------------------------------------------------------------------------------------


def test_json_objects_are_streamed_in_batches() -> None:
    data = json.dumps({"results": [{"nummer": str(i)} for i in range(25)]}).encode()
    batches = list(read_json_objects(io.BytesIO(data), chunk_rows=10, limits=ROOMY))
    assert [len(batch) for batch in batches] == [10, 10, 5]
    assert batches[2][-1] == {"nummer": "24"}


def test_json_rows_cells_and_text_length_are_limited() -> None:
    items = [{"nummer": str(i), "kanaal": "telefoon"} for i in range(30)]
    data = json.dumps(items).encode()
    with pytest.raises(FileTooLargeError, match="meer dan 29 rijen"):
        list(read_json_objects(io.BytesIO(data), limits=limits(max_rows=29)))
    with pytest.raises(FileTooLargeError, match="meer dan 50 cellen"):
        list(read_json_objects(io.BytesIO(data), limits=limits(max_cells=50)))
    long = json.dumps([{"nummer": "1"}, {"nummer": "2", "toelichting": {"tekst": "z" * 81}}])
    with pytest.raises(FileTooLargeError, match="meer dan 80 tekens") as caught:
        list(read_json_objects(io.BytesIO(long.encode()), limits=limits(max_cell_chars=80)))
    assert (caught.value.row, caught.value.column) == (2, "tekst")


# --- SPSS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [False, True], ids=["sav", "zsav"])
def test_spss_files_are_read_in_chunks(compress: bool) -> None:
    frame = pd.DataFrame({"Q1": [float(i % 5 + 1) for i in range(45)], "T": ["ja"] * 45})
    chunks = list(read_sav(sav(frame, compress=compress), chunk_rows=20, limits=ROOMY))
    assert [len(chunk) for chunk in chunks] == [20, 20, 5]
    assert chunks[2].rows == [41, 42, 43, 44, 45]
    assert chunks[0].columns["T"][0] == "ja"


@pytest.mark.parametrize("compress", [False, True], ids=["sav", "zsav"])
def test_spss_rows_and_cells_are_refused_from_the_dictionary(compress: bool) -> None:
    frame = pd.DataFrame({"Q1": [1.0] * 100, "Q2": [2.0] * 100})
    with pytest.raises(FileTooLargeError, match="meer dan 99 rijen"):
        next(read_sav(sav(frame, compress=compress), limits=limits(max_rows=99)))
    with pytest.raises(FileTooLargeError, match="meer dan 150 cellen"):
        next(read_sav(sav(frame, compress=compress), limits=limits(max_cells=150)))
    with pytest.raises(FileTooLargeError, match="Uitgepakt"):
        next(read_sav(sav(frame, compress=compress), limits=limits(max_expanded_bytes=1_000)))


def test_spss_text_over_the_character_limit_is_refused() -> None:
    frame = pd.DataFrame({"OPEN": ["kort", "w" * 300]})
    with pytest.raises(FileTooLargeError, match="meer dan 200 tekens") as caught:
        list(read_sav(sav(frame), limits=limits(max_cell_chars=200)))
    assert (caught.value.row, caught.value.column) == (2, "OPEN")


def test_xml_entities_in_a_sheet_are_refused_not_expanded() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # openpyxl parses through defusedxml (a dependency of the platform)
    source = zipfile.ZipFile(xlsx([["a"], ["x"]]))
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = laughs
            target.writestr(member, data)
    out.seek(0)
    with pytest.raises(UnreadableFileError, match="kan niet worden gelezen"):
        rows_of(read_xlsx(out, limits=ROOMY))
