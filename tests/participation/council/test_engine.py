"""The pure vote engine: a party's position and the agreement matrix, checked by hand."""

from __future__ import annotations

from burgerlink.participation.council.engine import (
    Agreement,
    agreement_matrix,
    party_position,
    tally,
)


def test_a_party_position_is_its_members_one_choice_or_split() -> None:
    assert party_position(tally(["for", "for", "absent"])) == "for"
    assert party_position(tally(["against"])) == "against"
    assert party_position(tally(["for", "against"])) == "split"
    assert party_position(tally(["abstain", "for"])) == "split"
    assert party_position(tally(["absent", "absent"])) == "absent"
    assert party_position(tally([])) == "absent"


def test_the_matrix_counts_decisions_where_both_voted_by_hand() -> None:
    # The sample council of popolo_sample.py, positions per decision.
    decisions = [
        {"GL": "for", "VVD": "against", "SP": "for"},
        {"GL": "against", "VVD": "for", "SP": "against"},
        {"GL": "split", "VVD": "for", "SP": "absent"},
        {"GL": "for", "VVD": "for", "SP": "against"},
    ]
    matrix = agreement_matrix(decisions, ["GL", "SP", "VVD"])
    assert matrix[("GL", "VVD")] == Agreement(both_voted=4, alike=1)
    assert matrix[("GL", "SP")] == Agreement(both_voted=3, alike=2)
    assert matrix[("VVD", "SP")] == Agreement(both_voted=3, alike=0)
    assert matrix[("SP", "GL")] == matrix[("GL", "SP")]  # symmetric
    assert matrix[("GL", "SP")].share == 2 / 3
    assert matrix[("VVD", "SP")].share == 0
    # A party compared with itself: every decision it voted on.
    assert matrix[("SP", "SP")] == Agreement(3, 3)
    assert matrix[("GL", "GL")] == Agreement(4, 4)


def test_pairs_that_never_both_voted_have_no_share() -> None:
    matrix = agreement_matrix([{"A": "for", "B": "absent"}, {"C": "against"}], ["A", "B", "C"])
    assert matrix[("A", "B")] == Agreement(0, 0)
    assert matrix[("A", "B")].share is None
    assert matrix[("A", "C")].both_voted == 0
    assert matrix[("B", "B")] == Agreement(0, 0)


def test_parties_outside_the_list_are_ignored() -> None:
    matrix = agreement_matrix([{"A": "for", "B": "for", "X": "for"}], ["A", "B"])
    assert set(matrix) == {("A", "A"), ("A", "B"), ("B", "A"), ("B", "B")}
    assert matrix[("A", "B")] == Agreement(1, 1)
