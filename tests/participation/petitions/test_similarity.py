"""Similar petitions are found by their wording, not by an equal title."""

from __future__ import annotations

from burgerlink.participation.petitions.similarity import similar

DOCUMENTS = [
    (1, "Fietspaden op de Dorpsweg verbreden. De fietspaden zijn te smal voor scholieren."),
    (2, "Behoud de bibliotheek in Oudekerk, de enige ontmoetingsplek in het dorp."),
    (3, "Meer bankjes langs de Amstelkade voor ouderen."),
]


def test_a_differently_worded_petition_about_the_same_thing_is_suggested() -> None:
    matches = similar("Breder fietspad Dorpsweg voor scholieren", DOCUMENTS)
    assert [m.key for m in matches][:1] == [1]
    assert 0 < matches[0].score <= 1


def test_unrelated_petitions_are_not_suggested() -> None:
    assert similar("Hondenuitlaatveld in het Westpark", DOCUMENTS) == []


def test_the_most_alike_comes_first() -> None:
    matches = similar("Bibliotheek Oudekerk openhouden als ontmoetingsplek", DOCUMENTS)
    assert matches[0].key == 2
    assert all(a.score >= b.score for a, b in zip(matches, matches[1:], strict=False))


def test_nothing_to_compare_gives_nothing() -> None:
    assert similar("", DOCUMENTS) == []
    assert similar("fietspad", []) == []
