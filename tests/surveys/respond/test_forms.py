"""Form building for every question type (groups, legends, labels) and the checks on answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from burgerlink.surveys.definition import parse
from burgerlink.surveys.respond.forms import AnswerForm, PaperEntryForm, page_form
from tests.surveys.respond.factories import MUNICIPALITIES, definition
from tests.surveys.respond.html import Node
from tests.surveys.respond.html import parse as parse_html

DEFINITION = parse(definition())


def render_all(language: str = "nl") -> Node:
    """Every question of the questionnaire as the respondent's page renders it."""
    with translation.override(language):
        form = AnswerForm(
            definition=DEFINITION,
            questions=DEFINITION.questions(),
            language=language,
            routing=False,
        )
        html = "".join(
            render_to_string("surveys/respond/_question.html", {"block": block})
            for block in form.blocks()
        )
    return parse_html(html)


def radios(group: Node) -> list[Node]:
    return group.find_all("input", type="radio")


def test_a_grade_is_a_fieldset_of_ten_labelled_radios_plus_dont_know() -> None:
    page = render_all()
    group = page.by_id("vraag-OVERALL")
    assert group.tag == "fieldset"
    assert group.find("legend").text == (
        "Welk rapportcijfer geeft u de overheid als geheel? (verplicht)"
    )
    buttons = radios(group)
    assert [b.attrs["value"] for b in buttons] == [*map(str, range(1, 11)), "98"]
    assert [page.label_of(b) for b in buttons] == [*map(str, range(1, 11)), "Weet ik niet"]
    assert {b.attrs["name"] for b in buttons} == {"OVERALL"}
    # The hint says how grades work and is linked to the group.
    assert group.attrs["aria-describedby"] == "OVERALL-hint"
    assert "1 is heel slecht, 10 is uitstekend" in page.by_id("OVERALL-hint").text
    # Without dont_know there is no 98, and an optional question is not marked required.
    chain = page.by_id("vraag-CHAIN")
    assert [b.attrs["value"] for b in radios(chain)] == [str(n) for n in range(1, 11)]
    assert "verplicht" not in chain.find("legend").text


def test_yes_no_is_a_pair_of_radios() -> None:
    page = render_all()
    group = page.by_id("vraag-CONTACT")
    assert group.tag == "fieldset"
    assert [(b.attrs["value"], page.label_of(b)) for b in radios(group)] == [
        ("1", "Ja"),
        ("0", "Nee"),
    ]


def test_a_matrix_is_one_fieldset_with_a_nested_fieldset_per_row() -> None:
    page = render_all()
    matrix = page.by_id("vraag-ASPECTS")
    assert matrix.tag == "fieldset"
    assert matrix.find("legend").text == "Hoe beoordeelt u deze onderdelen? (verplicht)"
    rows = matrix.find_all("fieldset")
    assert [row.find("legend").text for row in rows] == ["De snelheid", "De duidelijkheid"]
    for row, code in zip(rows, ["ASPECT_SPEED", "ASPECT_CLEAR"], strict=True):
        buttons = radios(row)
        assert {b.attrs["name"] for b in buttons} == {code}
        assert [page.label_of(b) for b in buttons] == [
            "Heel slecht",
            "Slecht",
            "Redelijk",
            "Goed",
            "Heel goed",
            "Niet van toepassing",
        ]
        assert [b.attrs["value"] for b in buttons] == ["1", "2", "3", "4", "5", "99"]
    assert not matrix.find_all("table")


def test_multiple_choice_is_a_fieldset_of_checkboxes() -> None:
    page = render_all()
    group = page.by_id("vraag-CHANNELS")
    assert group.tag == "fieldset"
    assert group.find("legend").text == "Hoe had u contact?"
    boxes = group.find_all("input", type="checkbox")
    assert [page.label_of(b) for b in boxes] == [
        "Aan de balie",
        "Telefoon",
        "Website",
        "E-mail",
        "Weet ik niet",
    ]
    assert "meer dan één antwoord" in page.by_id("CHANNELS-hint").text


def test_number_date_text_and_a_long_single_choice_have_labelled_controls() -> None:
    page = render_all()
    number = page.find("input", name="WAIT_DAYS")
    assert number.attrs["type"] == "text" and number.attrs["inputmode"] == "decimal"
    assert page.label_of(number) == "Hoeveel dagen duurde het voor u antwoord kreeg?"
    assert "van 0 tot en met 365" in page.by_id("WAIT_DAYS-hint").text
    assert number.attrs["aria-describedby"] == "WAIT_DAYS-hint"

    day = page.find("input", name="CONTACT_DATE")
    assert day.attrs["type"] == "date" and "pattern" in day.attrs
    assert page.label_of(day) == "Wanneer was het contact?"

    improve = page.find("textarea", name="IMPROVE")
    assert page.label_of(improve) == "Wat kan de gemeente beter doen?"
    assert improve.attrs["maxlength"] == "5000"

    # More than 12 options: a drop-down list with an empty first choice.
    select = page.find("select", name="MUNICIPALITY")
    assert page.label_of(select) == "In welke gemeente woont u?"
    options = select.find_all("option")
    assert options[0].attrs["value"] == ""
    assert [o.text for o in options[1:]] == MUNICIPALITIES


def test_english_texts_come_from_the_definition() -> None:
    page = render_all("en")
    assert (
        page.by_id("vraag-OVERALL")
        .find("legend")
        .text.startswith("What grade do you give the government as a whole?")
    )
    assert [r.find("legend").text for r in page.by_id("vraag-ASPECTS").find_all("fieldset")] == [
        "The speed",
        "The clarity",
    ]
    assert page.label_of(page.find("input", name="CHANNELS", value="1")) == "At the desk"


def form_for(page_key: str, data: dict[str, Any], **kwargs: Any) -> AnswerForm:
    return page_form(
        data, definition=DEFINITION, page_key=page_key, language="nl", stored={}, **kwargs
    )


def test_required_questions_get_a_message_that_names_the_question() -> None:
    form = form_for("cijfers", {"CHAIN": "6"})
    assert not form.is_valid()
    assert form.errors["OVERALL"] == [
        "Kies een antwoord bij ‘Welk rapportcijfer geeft u de overheid als geheel?’."
    ]
    assert set(form.errors) == {"OVERALL", "CONTACT"}
    # Going back does not insist on required answers.
    assert form_for("cijfers", {"CHAIN": "6"}, enforce=False).is_valid()


def test_valid_answers_become_typed_values() -> None:
    form = form_for("cijfers", {"OVERALL": "98", "CONTACT": "0"})
    assert form.is_valid(), form.errors
    assert form.answers() == {"OVERALL": 98, "CHAIN": None, "CONTACT": 0}
    form = form_for("aspecten", {"ASPECT_SPEED": "5", "ASPECT_CLEAR": "99", "CHANNELS": ["3", "1"]})
    assert form.is_valid(), form.errors
    assert form.answers() == {"ASPECT_SPEED": 5, "ASPECT_CLEAR": 99, "CHANNELS": [1, 3]}
    form = form_for(
        "contact",
        {"CONTACT_GRADE": "8", "WAIT_DAYS": " 3,5 ", "CONTACT_DATE": "31-12-2025"},
    )
    assert form.is_valid(), form.errors
    assert form.answers() == {"CONTACT_GRADE": 8, "WAIT_DAYS": 3.5, "CONTACT_DATE": "2025-12-31"}


@pytest.mark.parametrize(
    ("page_key", "data", "field", "message"),
    [
        ("cijfers", {"OVERALL": "11", "CONTACT": "1"}, "OVERALL", "een van de antwoorden"),
        ("cijfers", {"OVERALL": "7; DROP", "CONTACT": "1"}, "OVERALL", "een van de antwoorden"),
        ("cijfers", {"OVERALL": "7", "CONTACT": "2"}, "CONTACT", "een van de antwoorden"),
        (
            "aspecten",
            {"ASPECT_SPEED": "98", "ASPECT_CLEAR": "1"},
            "ASPECT_SPEED",
            "‘De snelheid’ een van de antwoorden",
        ),
        (
            "aspecten",
            {"ASPECT_SPEED": "1", "ASPECT_CLEAR": "1", "CHANNELS": ["1", "98"]},
            "CHANNELS",
            "niet samen met een ander antwoord",
        ),
        (
            "aspecten",
            {"ASPECT_SPEED": "1", "ASPECT_CLEAR": "1", "CHANNELS": ["7"]},
            "CHANNELS",
            "alleen antwoorden uit de lijst",
        ),
        (
            "contact",
            {"CONTACT_GRADE": "8", "WAIT_DAYS": "400"},
            "WAIT_DAYS",
            "Een getal van 0 tot en met 365.",
        ),
        ("contact", {"CONTACT_GRADE": "8", "WAIT_DAYS": "-1"}, "WAIT_DAYS", "0 tot en met 365"),
        ("contact", {"CONTACT_GRADE": "8", "WAIT_DAYS": "veel"}, "WAIT_DAYS", "een getal in"),
        ("contact", {"CONTACT_GRADE": "8", "WAIT_DAYS": "nan"}, "WAIT_DAYS", "een getal in"),
        (
            "contact",
            {"CONTACT_GRADE": "8", "CONTACT_DATE": "31-02-2025"},
            "CONTACT_DATE",
            "dag-maand-jaar",
        ),
        ("slot", {"MUNICIPALITY": "14"}, "MUNICIPALITY", "een van de antwoorden"),
        ("slot", {"IMPROVE": "x" * 5001}, "IMPROVE", "te lang: hoogstens 5000 tekens"),
    ],
)
def test_out_of_range_and_tampered_values_are_errors(
    page_key: str, data: dict[str, Any], field: str, message: str
) -> None:
    form = form_for(page_key, data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_an_answer_to_a_question_of_another_page_is_refused() -> None:
    form = form_for("cijfers", {"OVERALL": "7", "CONTACT": "1", "IMPROVE": "injected"})
    assert not form.is_valid()
    assert "niet op deze pagina" in form.non_field_errors()[0]
    # Fields that are no variable codes (the CSRF token, our hidden fields) are fine.
    assert form_for("cijfers", {"OVERALL": "7", "CONTACT": "1", "revision": "3"}).is_valid()


def test_a_percent_sign_in_a_question_does_not_break_its_messages() -> None:
    data = definition()
    data["pages"][0]["questions"][0]["text"]["nl"] = "Hoeveel % tevreden bent u?"
    form = page_form(
        {"OVERALL": "12", "CONTACT": "1"},
        definition=parse(data),
        page_key="cijfers",
        language="nl",
        stored={},
    )
    assert not form.is_valid()
    assert form.errors["OVERALL"] == [
        "Kies bij ‘Hoeveel % tevreden bent u?’ een van de antwoorden uit de lijst."
    ]


def test_same_page_routing_shows_a_question_once_its_condition_holds() -> None:
    data = definition()
    data["pages"][0]["questions"][1]["condition"] = {"var": "OVERALL", "op": "lte", "value": 5}
    routed = parse(data)
    form = page_form(
        {"OVERALL": "4", "CONTACT": "1"},
        definition=routed,
        page_key="cijfers",
        language="nl",
        stored={},
        seen={"OVERALL", "CONTACT"},
    )
    assert form.is_valid()
    assert [q.code for q in form.revealed()] == ["CHAIN"]
    # A hidden question's value (a stale form) is dropped rather than stored.
    form = page_form(
        {"OVERALL": "9", "CHAIN": "55", "CONTACT": "1"},
        definition=routed,
        page_key="cijfers",
        language="nl",
        stored={},
        seen={"OVERALL", "CHAIN", "CONTACT"},
    )
    assert form.is_valid(), form.errors
    assert form.answers() == {"OVERALL": 9, "CONTACT": 1}


def test_the_paper_form_holds_every_question_and_requires_none() -> None:
    form = PaperEntryForm(
        {"CONTACT_GRADE": "7", "IMPROVE": "Sneller"}, definition=DEFINITION, entry_key="k"
    )
    assert form.is_valid(), form.errors
    assert form.answers() == {"CONTACT_GRADE": 7, "IMPROVE": "Sneller"}
    assert [block.code for block in form.blocks()] == [q.code for q in DEFINITION.questions()]
