"""Encodings, separators, formats and the fingerprint of import files."""

from __future__ import annotations

import io

import pytest

from burgerlink.core.files import (
    FileTooLargeError,
    UnreadableFileError,
    detect_delimiter,
    fingerprint,
    normalise_header,
    read_csv,
    settle_encoding,
    sniff_format,
)
from tests.core.files.conftest import ROOMY, limits, xlsx

TEXT = "naam;plaats\nJosé;Den Haag\nZoë;’s-Hertogenbosch\n"


def first_rows(data: bytes) -> list[dict[str, str]]:
    chunk = next(read_csv(io.BytesIO(data), limits=ROOMY))
    return [values for _row, values in chunk.records()]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1252"],
)
def test_each_encoding_reads_the_same_text(data: bytes, encoding: str) -> None:
    assert settle_encoding(io.BytesIO(data))[1] == encoding
    chunk = next(read_csv(io.BytesIO(data), limits=ROOMY))
    assert list(chunk.columns) == ["naam", "plaats"]  # no BOM glued to the first name
    assert first_rows(data) == [
        {"naam": "José", "plaats": "Den Haag"},
        {"naam": "Zoë", "plaats": "’s-Hertogenbosch"},
    ]
    assert chunk.extra["encoding"] == encoding


def test_a_windows_character_after_the_first_block_still_makes_the_file_windows_1252() -> None:
    data = ("a;b\n" + "x;y\n" * 40_000 + "café;é\n").encode("cp1252")
    assert settle_encoding(io.BytesIO(data))[1] == "cp1252"
    assert first_rows(data)[-1] == {"a": "café", "b": "é"}


def test_binary_and_empty_files_are_refused_in_plain_dutch() -> None:
    with pytest.raises(UnreadableFileError, match="binaire gegevens"):
        settle_encoding(io.BytesIO(b"a,b\n\x00\x01\x02\x03"))
    with pytest.raises(UnreadableFileError, match="leeg"):
        settle_encoding(io.BytesIO(b"\xef\xbb\xbf \r\n"))


@pytest.mark.parametrize(
    ("header", "separator"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ("alleen", ",")],
)
def test_the_separator_is_the_most_frequent_one_in_the_first_line(
    header: str, separator: str
) -> None:
    assert detect_delimiter(header) == separator


def test_a_semicolon_file_with_commas_in_its_values_keeps_them() -> None:
    data = b"bedrag;omschrijving\n12,50;koffie, thee\n"
    assert first_rows(data) == [{"bedrag": "12,50", "omschrijving": "koffie, thee"}]


def test_headers_are_normalised() -> None:
    assert normalise_header('\ufeff "Kanaal" ') == "kanaal"


def test_rows_name_their_line_and_rows_of_another_width_are_listed() -> None:
    data = b'a,b\n1,2\n\n3,"multi\nline"\n4\n5,6\n'
    chunk = next(read_csv(io.BytesIO(data), limits=ROOMY))
    assert chunk.rows == [2, 4, 7]
    assert chunk.columns["b"] == ["2", "multi\nline", "6"]
    assert chunk.extra["bad_width"] == [(6, 1)]


def test_formats_are_told_by_their_first_bytes() -> None:
    assert sniff_format(xlsx([["a"]]).read(8)) == "xlsx"
    assert sniff_format(b"$FL2@(#) SPSS") == "sav"
    assert sniff_format(b"$FL3@(#) SPSS") == "sav"
    assert sniff_format(b"\xef\xbb\xbf  [{") == "json"
    assert sniff_format(b"a,b\n", "export.json") == "json"
    assert sniff_format(b"a,b\n") == "csv"


def test_the_fingerprint_is_stable_and_tells_content_apart() -> None:
    data = TEXT.encode("utf-8")
    first = fingerprint(io.BytesIO(data), "a.csv")
    again = fingerprint(io.BytesIO(data), "other-name.csv")
    assert first == again
    assert (first.format, first.size, first.utf8) == ("csv", len(data), True)
    assert len(first.sha256) == 64
    assert fingerprint(io.BytesIO(data + b"x")).sha256 != first.sha256
    assert fingerprint(io.BytesIO(TEXT.encode("cp1252"))).utf8 is False


def test_the_fingerprint_leaves_the_stream_at_its_start() -> None:
    stream = io.BytesIO(b"a,b\n1,2\n")
    stream.seek(4)
    fingerprint(stream)
    assert stream.read() == b"a,b\n1,2\n"


def test_the_fingerprint_refuses_a_file_over_the_size_limit() -> None:
    data = b"a\n" + b"1\n" * (3 << 20)
    with pytest.raises(FileTooLargeError, match="groter dan 5 MB"):
        fingerprint(io.BytesIO(data), limits=limits(max_bytes=5 << 20))
    assert fingerprint(io.BytesIO(data), limits=limits(max_bytes=7 << 20)).size == len(data)
