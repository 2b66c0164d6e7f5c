"""References and claim codes the platform issues: random, unambiguous, with a check character."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from burgerlink.charters.compensation import codes

ALPHABET = st.sampled_from(codes.ALPHABET)
BODIES = st.lists(ALPHABET, min_size=1, max_size=20).map("".join)


def with_check(body: str) -> str:
    return body + codes._check_character(body)


def test_the_alphabet_has_no_look_alikes_and_a_prime_size() -> None:
    assert len(set(codes.ALPHABET)) == codes.BASE == 31
    assert not set("01ILO") & set(codes.ALPHABET)


def test_new_references_and_codes_have_their_shape_and_check() -> None:
    reference, code = codes.new_reference(), codes.new_claim_code()
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", reference)
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    assert codes.has_valid_check(codes.compact(reference))
    assert codes.looks_like_claim_code(code)
    assert codes.looks_like_claim_code(code.lower().replace("-", " "))


def test_references_are_not_sequential() -> None:
    issued = [codes.compact(codes.new_reference()) for _ in range(2000)]
    assert len(set(issued)) == len(issued)
    # Consecutive references share no more leading characters than chance gives.
    shared = sum(a[:3] == b[:3] for a, b in zip(issued, issued[1:], strict=False))
    assert shared < 5
    # Every position takes many values: nothing counts up.
    for position in range(codes.REFERENCE_RANDOM):
        assert len({reference[position] for reference in issued}) > 25


@given(BODIES, st.integers(min_value=0, max_value=19), ALPHABET)
def test_every_single_wrong_character_is_caught(body: str, position: int, wrong: str) -> None:
    valid = with_check(body)
    position %= len(valid)
    typo = valid[:position] + wrong + valid[position + 1 :]
    assert codes.has_valid_check(valid)
    assert codes.has_valid_check(typo) == (typo == valid)


@given(BODIES, st.integers(min_value=0, max_value=19))
def test_every_swap_of_neighbours_is_caught(body: str, position: int) -> None:
    valid = with_check(body)
    position %= len(valid) - 1
    swapped = valid[:position] + valid[position + 1] + valid[position] + valid[position + 2 :]
    assert codes.has_valid_check(swapped) == (swapped == valid)


def test_strings_outside_the_alphabet_are_not_codes() -> None:
    assert not codes.looks_like_claim_code("K7QM-4XP0")  # 0 is not in the alphabet
    assert not codes.looks_like_claim_code("K7QM-4XP")  # too short
    assert not codes.looks_like_claim_code("")


def test_the_digest_binds_the_code_to_its_reference_and_key() -> None:
    base = {"key": b"k" * 32, "organisation_id": 1, "reference": "Z-1", "code": "K7QM-4XP4"}
    digest = codes.code_digest(**base)  # type: ignore[arg-type]
    assert digest == codes.code_digest(**{**base, "code": "k7qm 4xp4"})  # type: ignore[arg-type]
    for changed in ({"reference": "Z-2"}, {"organisation_id": 2}, {"key": b"x" * 32}):
        assert codes.code_digest(**{**base, **changed}) != digest  # type: ignore[arg-type]
