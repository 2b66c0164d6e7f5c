"""The one error model: problems, the capped list, the one rejection, the progress callback."""

from __future__ import annotations

import io
from itertools import accumulate

import pytest

from burgerlink.core.files import (
    KEEP_PROBLEMS,
    STOP_AFTER_PROBLEMS,
    Chunk,
    FileTooLargeError,
    ImportRejectedError,
    Problem,
    ProblemList,
    UnreadableFileError,
    read_csv,
    with_progress,
    without_control_characters,
)
from tests.core.files.conftest import ROOMY


def test_a_problem_names_its_row_and_column_in_dutch() -> None:
    assert str(Problem(7, "kanaal", "Onbekend kanaal.")) == "rij 7, kolom kanaal: Onbekend kanaal."
    assert str(Problem(None, "", "Het bestand is leeg.")) == "Het bestand is leeg."
    assert Problem(None, "", "x").as_dict() == {"row": 0, "column": "", "message": "x"}
    assert Problem(3, "a", "y").as_dict() == {"row": 3, "column": "a", "message": "y"}


def test_the_list_keeps_the_first_problems_and_counts_them_all() -> None:
    problems = ProblemList()
    for row in range(1, KEEP_PROBLEMS + 51):
        problems.add(row, "", "fout")
    assert len(problems) == KEEP_PROBLEMS
    assert problems.total == KEEP_PROBLEMS + 50
    assert problems.not_shown == 50
    assert [p.row for p in problems][:2] == [1, 2]
    assert not problems.full
    problems.extend(Problem(0, "", "fout") for _ in range(STOP_AFTER_PROBLEMS))
    assert problems.full
    assert len(problems) == KEEP_PROBLEMS


def test_an_empty_list_is_false() -> None:
    problems = ProblemList(keep=2, stop_after=3)
    assert not problems
    problems.add(None, "", "fout")
    assert problems
    assert not problems.full


def test_one_rejection_carries_the_problems_their_total_and_the_batch() -> None:
    problems = ProblemList(keep=2)
    for row in (2, 3, 4):
        problems.add(row, "email", "ongeldig")
    rejected = ImportRejectedError(problems, ignored_columns=["naam"], batch="batch 12")
    assert [p.row for p in rejected.problems] == [2, 3]
    assert rejected.total == 3
    assert rejected.ignored_columns == ["naam"]
    assert rejected.batch == "batch 12"
    assert "rij 2, kolom email: ongeldig" in str(rejected)


def test_a_file_that_cannot_be_read_becomes_one_rejection_with_its_place() -> None:
    error = FileTooLargeError("Te lang.", row=9, column="tekst")
    assert isinstance(error, UnreadableFileError)
    rejected = ImportRejectedError.of(error)
    assert rejected.problems == [Problem(9, "tekst", "Te lang.")]
    assert rejected.total == 1
    assert rejected.batch is None


def test_control_characters_are_dropped_but_tabs_and_line_ends_stay() -> None:
    assert without_control_characters("a\x00b\x07c\td\r\ne") == "abc\td\r\ne"


def test_progress_hears_the_rows_read_after_each_chunk() -> None:
    heard: list[int] = []
    data = b"a\n" + b"1\n" * 25
    seen = []
    for chunk in with_progress(
        read_csv(io.BytesIO(data), chunk_rows=10, limits=ROOMY), heard.append
    ):
        seen.append(len(chunk))
        # The caller is still busy with this chunk: it has not been counted yet.
        assert heard == list(accumulate(seen[:-1]))
    assert seen == [10, 10, 5]
    assert heard == [10, 20, 25]


def test_progress_is_optional() -> None:
    chunks = [Chunk({"a": ["1"]}, [2]), Chunk({"a": ["2", "3"]}, [3, 4])]
    assert [len(c) for c in with_progress(chunks, None)] == [1, 2]


def test_a_chunk_hands_out_its_rows_one_by_one() -> None:
    chunk = Chunk({"a": ["1", "2"], "b": ["x", "y"]}, [2, 5])
    assert chunk.records() == [(2, {"a": "1", "b": "x"}), (5, {"a": "2", "b": "y"})]


def test_a_cell_over_many_lines_is_refused_where_it_starts_even_past_the_csv_modules_limit() -> (
    None
):
    cell = "\n".join(["x" * 1_000] * 200)  # 200,199 characters: more than csv's own 131,072
    data = f'a,b\n1,2\n3,"{cell}"\n'.encode()
    with pytest.raises(FileTooLargeError, match="tekens") as caught:
        list(read_csv(io.BytesIO(data), limits=ROOMY))
    assert caught.value.row == 3
