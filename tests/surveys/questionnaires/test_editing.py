"""The pure editing rules: insert, replace, remove, move, tailor, code history, routing text."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from burgerlink.surveys.definition import parse
from burgerlink.surveys.questionnaires import editing

JSON = dict[str, Any]


def q(code: str, kind: str = "yesno", **extra: Any) -> JSON:
    """A question."""
    return {"code": code, "type": kind, "text": {"nl": f"Vraag {code}"}, **extra}


def small() -> JSON:
    """Two pages: A, B (routed on A) on the first; C on the second."""
    return {
        "title": {"nl": "Test"},
        "pages": [
            {
                "key": "een",
                "title": {"nl": "Een"},
                "questions": [q("A"), q("B", condition={"var": "A", "op": "eq", "value": 1})],
            },
            {"key": "twee", "title": {"nl": "Twee"}, "questions": [q("C", "grade")]},
        ],
    }


def codes(definition: JSON) -> list[str]:
    return editing.all_codes(definition)


def test_insert_on_a_page_and_on_a_new_page() -> None:
    result = editing.insert_question(small(), q("D", "text"), page_key="een")
    assert codes(result) == ["A", "B", "D", "C"]
    result = editing.insert_question(
        result, q("E", "number"), page_key="", page_title={"nl": "Eigen vragen"}
    )
    assert result["pages"][-1]["key"] == "eigen-vragen"
    assert codes(result) == ["A", "B", "D", "C", "E"]
    assert codes(small()) == ["A", "B", "C"]  # the input is never changed


def test_insert_refuses_clashing_and_invalid_codes_in_dutch() -> None:
    with pytest.raises(ValidationError, match="De code A wordt al gebruikt"):
        editing.insert_question(small(), q("A", "text"), page_key="een")
    matrix = q(
        "M",
        "matrix",
        options=[{"code": 1, "label": {"nl": "Goed"}}],
        rows=[{"code": "C", "label": {"nl": "Rij"}}],
    )
    with pytest.raises(ValidationError, match="De code C wordt al gebruikt"):
        editing.insert_question(small(), matrix, page_key="een")
    with pytest.raises(ValidationError, match="begint met een hoofdletter"):
        editing.insert_question(small(), q("kleine_letters"), page_key="een")
    with pytest.raises(ValidationError, match="antwoordopties nodig"):
        editing.insert_question(small(), q("S", "single"), page_key="een")
    reserved = q("S", "single", options=[{"code": 98, "label": {"nl": "Weet niet"}}])
    with pytest.raises(ValidationError, match="gereserveerd"):
        editing.insert_question(small(), reserved, page_key="een")
    with pytest.raises(ValidationError, match="Kies een pagina"):
        editing.insert_question(small(), q("D"), page_key="bestaat-niet")
    later = q("D", condition={"var": "C", "op": "eq", "value": 1})
    with pytest.raises(ValidationError, match="eerder in de vragenlijst"):
        editing.insert_question(small(), later, page_key="een")


def test_remove_refuses_a_question_others_route_on() -> None:
    with pytest.raises(ValidationError, match="de routering van B gebruikt deze vraag"):
        editing.remove_question(small(), "A")
    result = editing.remove_question(editing.remove_question(small(), "B"), "A")
    assert [page["key"] for page in result["pages"]] == ["twee"]  # the empty page went too
    with pytest.raises(ValidationError, match="minstens één vraag"):
        editing.remove_question(result, "C")
    with pytest.raises(ValidationError, match="staat niet in deze versie"):
        editing.remove_question(small(), "X")


def test_move_within_and_across_pages_keeps_routing_valid() -> None:
    result = editing.move_question(small(), "C", "up")
    assert codes(result) == ["A", "B", "C"]
    assert [page["key"] for page in result["pages"]] == ["een"]
    with pytest.raises(ValidationError, match="pas later komt"):
        editing.move_question(small(), "B", "up")  # B would come before A, which it reads
    with pytest.raises(ValidationError, match="helemaal bovenaan"):
        editing.move_question(small(), "A", "up")
    moved = editing.move_question(small(), "B", "down")
    assert [[x["code"] for x in page["questions"]] for page in moved["pages"]] == [
        ["A"],
        ["B", "C"],
    ]
    with pytest.raises(ValidationError, match="pas later komt"):
        editing.move_page(moved, "twee", "up")
    assert [p["key"] for p in editing.move_page(small(), "twee", "up")["pages"]] == [
        "twee",
        "een",
    ]


def test_replace_keeps_the_code_and_the_routing_that_depends_on_it() -> None:
    result = editing.replace_question(small(), "C", q("C", "grade", dont_know=True))
    assert result["pages"][1]["questions"][0]["dont_know"] is True
    with pytest.raises(ValidationError, match="code van een vraag verandert niet"):
        editing.replace_question(small(), "C", q("D", "grade"))


def test_code_history_allows_the_same_question_and_refuses_another() -> None:
    first = parse(small())
    assert editing.history_problems(first, [(1, first)]) == []
    changed = parse(editing.replace_question(small(), "C", q("C", "scale5")))
    problems = editing.history_problems(changed, [(1, first)])
    assert len(problems) == 1
    assert problems[0].startswith("De code C was in versie 1 een Rapportcijfer (1–10)")
    # Adding "don't know" changes the answer codes, so that is a new question too.
    with_dont_know = parse(editing.replace_question(small(), "C", q("C", "grade", dont_know=True)))
    assert editing.history_problems(with_dont_know, [(1, first)])
    # An option code that meant something else (its key) is refused.
    old = parse(
        editing.insert_question(
            small(),
            q("S", "single", options=[{"code": 1, "label": {"nl": "Balie"}, "key": "counter"}]),
            page_key="een",
        )
    )
    new = parse(
        editing.insert_question(
            small(),
            q("S", "single", options=[{"code": 1, "label": {"nl": "Telefoon"}, "key": "phone"}]),
            page_key="een",
        )
    )
    assert "antwoordcode 1 betekende in versie 3" in editing.history_problems(new, [(3, old)])[0]


def test_tailor_drops_events_agencies_and_the_routing_that_follows() -> None:
    definition: JSON = {
        "title": {"nl": "Levensgebeurtenissen"},
        "pages": [
            {
                "key": "screening",
                "title": {"nl": "Screening"},
                "questions": [
                    q(
                        "SCREEN_EVENT",
                        "single",
                        role="screening",
                        options=[
                            {"code": 1, "label": {"nl": "Verhuizen"}, "key": "verhuizen"},
                            {"code": 2, "label": {"nl": "Werkloos"}, "key": "werkloos"},
                        ],
                    )
                ],
            },
            {
                "key": "contact",
                "title": {"nl": "Contact"},
                "questions": [
                    q(
                        "CONTACT_GEM",
                        condition={"var": "SCREEN_EVENT", "op": "in", "value": [1, 2]},
                    ),
                    q("CONTACT_UWV", condition={"var": "SCREEN_EVENT", "op": "in", "value": [2]}),
                ],
            },
            {
                "key": "cijfers",
                "title": {"nl": "Cijfers"},
                "condition": {
                    "any": [
                        {"var": "CONTACT_GEM", "op": "eq", "value": 1},
                        {"var": "CONTACT_UWV", "op": "eq", "value": 1},
                    ]
                },
                "questions": [
                    q(
                        "GRADE_GEM",
                        "grade",
                        condition={"var": "CONTACT_GEM", "op": "eq", "value": 1},
                    ),
                    q(
                        "GRADE_UWV",
                        "grade",
                        condition={"var": "CONTACT_UWV", "op": "eq", "value": 1},
                    ),
                ],
            },
            {
                "key": "alleen-uwv",
                "title": {"nl": "UWV"},
                "condition": {"var": "CONTACT_UWV", "op": "eq", "value": 1},
                "questions": [q("UWV_EXTRA")],
            },
        ],
    }
    result = editing.tailor(definition, ["verhuizen"])
    assert codes(result) == ["SCREEN_EVENT", "CONTACT_GEM", "GRADE_GEM"]
    assert result["pages"][0]["questions"][0]["options"] == [
        {"code": 1, "label": {"nl": "Verhuizen"}, "key": "verhuizen"}
    ]
    assert result["pages"][1]["questions"][0]["condition"]["value"] == [1]
    assert result["pages"][2]["condition"] == {"var": "CONTACT_GEM", "op": "eq", "value": 1}
    assert codes(editing.tailor(definition, ["werkloos"])) == codes(definition)[:1] + [
        "CONTACT_GEM",
        "CONTACT_UWV",
        "GRADE_GEM",
        "GRADE_UWV",
        "UWV_EXTRA",
    ]
    with pytest.raises(ValidationError, match="staan niet in het sjabloon: trouwen"):
        editing.tailor(definition, ["trouwen"])
    with pytest.raises(ValidationError, match="alleen bij het sjabloon voor levensgebeurtenissen"):
        editing.tailor(small(), ["verhuizen"])


def test_routing_is_described_in_words() -> None:
    definition = parse(
        editing.insert_question(
            small(),
            q(
                "S",
                "single",
                options=[{"code": 1, "label": {"nl": "Balie", "en": "Counter"}}],
                condition={
                    "any": [
                        {"var": "A", "op": "eq", "value": 1},
                        {"var": "C", "op": "gte", "value": 6},
                    ]
                },
            ),
            page_key="twee",
        )
    )
    b = definition.question("B")
    assert b is not None
    assert editing.describe(b.condition, definition) == "A is ja"
    s = definition.question("S")
    assert s is not None
    assert editing.describe(s.condition, definition) == "(A is ja) of (C is minstens 6)"
    assert editing.describe(None, definition) == ""
