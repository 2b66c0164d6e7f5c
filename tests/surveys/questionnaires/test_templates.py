"""The platform templates: valid definitions, the roles the analysis needs, and their routing."""

from __future__ import annotations

from typing import Any

import pytest

from burgerlink.surveys.definition import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Definition,
    check_answer,
    parse,
    visible_pages,
    visible_questions,
)
from burgerlink.surveys.models import QuestionnaireVersion
from burgerlink.surveys.questionnaires.templates import (
    AgencyData,
    Catalogue,
    ChannelData,
    EventData,
    NormData,
    burgerpeiling_definition,
    contact_definition,
    life_event_definition,
    variable_for,
)

pytestmark = pytest.mark.django_db


def shown(definition: Definition, answers: dict[str, Any]) -> list[str]:
    """The variable codes routing shows for these answers, in order."""
    return [
        question.code
        for page in visible_pages(definition, answers)
        for question in visible_questions(page, answers)
    ]


def roles(definition: Definition) -> dict[str, list[tuple[str, str]]]:
    """(code, key) per role, matrix rows included."""
    found: dict[str, list[tuple[str, str]]] = {}
    for question in definition.questions():
        if question.role:
            found.setdefault(question.role, []).append((question.code, question.key))
        for row in question.rows:
            if row.role:
                found.setdefault(row.role, []).append((row.code, row.key))
    return found


def option_code(definition: Definition, code: str, key: str) -> int:
    """The answer code of the option with ``key``."""
    question = definition.question(code)
    assert question is not None
    return next(option.code for option in question.options if option.key == key)


# --- (a) life events --------------------------------------------------------------------------


def test_life_event_template_has_every_role_the_analysis_needs(
    life_event_template: QuestionnaireVersion, catalogue: Catalogue
) -> None:
    definition = parse(life_event_template.definition)
    found = roles(definition)
    assert found["overall"] == [("GRADE_GOV", "")]
    assert found["chain"] == [("GRADE_CHAIN", "")]
    assert found["screening"] == [("SCREEN_EVENT", "")]
    chain_agencies = {code for event in catalogue.events for code in event.chain}
    assert {key for _code, key in found["organisation"]} == chain_agencies
    assert {key for _code, key in found["contact"]} == chain_agencies
    assert ("GRADE_ORG_UWV", "uwv") in found["organisation"]
    assert ("CONTACT_GEMEENTE", "gemeente") in found["contact"]
    assert found["bsc"] == [(f"BSC_{number}", str(number)) for number in range(1, 11)]
    assert len(found["aspect"]) >= 4
    assert {"GOT_NEEDED", "CHOICE", "COOPERATION"} <= {code for code, _key in found["aspect"]}
    assert dict(found["background"]) == {
        "BG_AGE_GROUP": "age_group",
        "BG_SEX": "sex",
        "BG_EDUCATION": "education",
    }
    assert {code for code, _key in found["open"]} == {"OPEN_GOOD", "OPEN_IMPROVE"}
    # Every text has an English translation.
    for question in definition.questions():
        assert question.text.en, question.code
        assert all(option.label.en for option in question.options), question.code


def test_life_event_template_items(life_event_template: QuestionnaireVersion) -> None:
    definition = parse(life_event_template.definition)
    screen = definition.question("SCREEN_EVENT")
    assert screen is not None and screen.type == "single"
    assert [option.code for option in screen.options] == list(range(1, len(screen.options) + 1))
    assert "verhuizen" in {option.key for option in screen.options}
    bsc = definition.question("BSC")
    assert bsc is not None and bsc.type == "matrix"
    assert [(o.code, o.label.nl) for o in bsc.options] == [(1, "Goed"), (0, "Niet goed")]
    assert bsc.not_applicable and NOT_APPLICABLE in bsc.answer_codes()
    assert bsc.rows[0].label.nl.startswith("Keuzevrijheid contactkanaal: ")
    throughput = definition.question("THROUGHPUT_WEEKS")
    assert throughput is not None
    assert (throughput.type, throughput.minimum, throughput.maximum) == ("number", 0, 520)
    assert check_answer(throughput, 521) == "above the maximum"
    grade = definition.question("GRADE_ORG_GEMEENTE")
    assert grade is not None and grade.dont_know and DONT_KNOW in grade.answer_codes()
    channels = definition.question("CHANNELS")
    assert channels is not None and channels.type == "multiple"
    assert {"counter", "phone", "email"} <= {option.key for option in channels.options}
    assert definition.question("CHOICE") is not None
    assert definition.question("CHOICE").type == "scale5"  # type: ignore[union-attr]
    age = definition.question("BG_AGE_GROUP")
    assert age is not None
    assert [option.key for option in age.options] == ["18-34", "35-54", "55-74", "75+"]


def test_moving_house_asks_only_about_the_agencies_of_its_chain(
    life_event_template: QuestionnaireVersion, catalogue: Catalogue
) -> None:
    definition = parse(life_event_template.definition)
    moving = next(event for event in catalogue.events if event.code == "verhuizen")
    answers: dict[str, Any] = {
        "SCREEN_EVENT": option_code(definition, "SCREEN_EVENT", "verhuizen"),
        "SCREEN_CONTACT": 1,
    }
    contacts = [code for code in shown(definition, answers) if code.startswith("CONTACT_")]
    assert contacts == [
        variable_for("CONTACT_", agency.code)
        for agency in catalogue.agencies
        if agency.code in moving.chain
    ]
    assert "CONTACT_UWV" not in contacts  # UWV is not in the chain of moving house
    # No organisation grade before a "yes" on contact; then only that organisation's grade.
    assert not any(code.startswith("GRADE_ORG_") for code in shown(definition, answers))
    answers.update({code: 0 for code in contacts} | {"CONTACT_GEMEENTE": 1})
    grades = [code for code in shown(definition, answers) if code.startswith("GRADE_ORG_")]
    assert grades == ["GRADE_ORG_GEMEENTE"]
    pages = [page.key for page in visible_pages(definition, answers)]
    assert "cijfers-organisaties" in pages
    assert "geen-contact" not in pages
    codes = shown(definition, answers)
    for code in ("GRADE_CHAIN", "GRADE_GOV", "BSC", "GOT_NEEDED", "OPEN_GOOD", "BG_SEX"):
        assert code in codes


def test_the_grade_page_is_skipped_without_any_contact(
    life_event_template: QuestionnaireVersion,
) -> None:
    definition = parse(life_event_template.definition)
    answers: dict[str, Any] = {
        "SCREEN_EVENT": option_code(definition, "SCREEN_EVENT", "verhuizen"),
        "SCREEN_CONTACT": 1,
    }
    for code in shown(definition, answers):
        if code.startswith("CONTACT_"):
            answers[code] = 0
    assert "cijfers-organisaties" not in [page.key for page in visible_pages(definition, answers)]


def test_no_government_contact_ends_the_survey_short(
    life_event_template: QuestionnaireVersion,
) -> None:
    definition = parse(life_event_template.definition)
    answers = {"SCREEN_EVENT": 1, "SCREEN_CONTACT": 0}
    assert [page.key for page in visible_pages(definition, answers)] == [
        "screening",
        "geen-contact",
    ]
    # Before the screening is answered, only the screening page can be shown.
    assert [page.key for page in visible_pages(definition, {})] == ["screening"]


def test_the_builder_follows_the_catalogue_it_is_given() -> None:
    events = [
        EventData("verhuizen", "Verhuizen", "Moving house", ("gemeente", "belastingdienst")),
        EventData("werkloos", "Werkloos worden", "Becoming unemployed", ("uwv", "gemeente")),
    ]
    agencies = [
        AgencyData("belastingdienst", "Belastingdienst", "Tax Administration"),
        AgencyData("gemeente", "Gemeente", "Municipality"),
        AgencyData("rdw", "RDW", "Vehicle Authority"),
        AgencyData("uwv", "UWV", "Employee Insurance Agency"),
    ]
    norms = [NormData(n, f"Norm {n}", f"Norm {n}", "Recht", "Right") for n in range(1, 11)]
    channels = [
        ChannelData("counter", "Balie", "Counter"),
        ChannelData("phone", "Telefoon", "Phone"),
    ]
    definition = parse(life_event_definition(events, agencies, norms, channels))
    found = roles(definition)
    assert [key for _code, key in found["contact"]] == ["belastingdienst", "gemeente", "uwv"]
    contact = definition.question("CONTACT_GEMEENTE")
    assert contact is not None and contact.condition is not None
    assert contact.condition.var == "SCREEN_EVENT"
    assert contact.condition.value == [1, 2]  # both chains hold the municipality
    uwv = definition.question("CONTACT_UWV")
    assert uwv is not None and uwv.condition is not None and uwv.condition.value == [2]
    with pytest.raises(ValueError, match="not given"):
        life_event_definition(events, agencies[:2], norms, channels)
    with pytest.raises(ValueError, match="at least one life event"):
        life_event_definition([], agencies, norms, channels)


# --- (b) after a contact ----------------------------------------------------------------------


def test_contact_template_routes_channel_specific_questions(
    contact_template: QuestionnaireVersion,
) -> None:
    definition = parse(contact_template.definition)
    found = roles(definition)
    assert found["overall"] == [("GRADE_CONTACT", "")]
    assert {code for code, _key in found["aspect"]} >= {
        "GOT_NEEDED",
        "SPEED",
        "FRIENDLY",
        "CLARITY",
    }
    assert found["open"] == [("OPEN_REMARK", "")]
    phone = option_code(definition, "CONTACT_CHANNEL", "phone")
    email = option_code(definition, "CONTACT_CHANNEL", "email")
    assert "WAIT_MINUTES" in shown(definition, {"CONTACT_CHANNEL": phone})
    assert "ANSWER_DAYS" not in shown(definition, {"CONTACT_CHANNEL": phone})
    assert "ANSWER_DAYS" in shown(definition, {"CONTACT_CHANNEL": email})
    assert "WAIT_MINUTES" not in shown(definition, {"CONTACT_CHANNEL": email})


def test_contact_survey_for_one_channel() -> None:
    definition = parse(contact_definition([ChannelData("phone", "Telefoon", "Phone")]))
    channel = definition.question("CONTACT_CHANNEL")
    assert channel is not None and [option.key for option in channel.options] == ["phone"]
    assert definition.question("WAIT_MINUTES") is not None
    assert definition.question("ANSWER_DAYS") is None  # no written channel in this survey


# --- (c) Burgerpeiling ------------------------------------------------------------------------


def test_burgerpeiling_has_the_four_themes(burgerpeiling_template: QuestionnaireVersion) -> None:
    definition = parse(burgerpeiling_template.definition)
    assert definition == parse(burgerpeiling_definition())
    keys = [page.key for page in definition.pages]
    assert keys[:4] == [
        "woon-en-leefomgeving",
        "relatie-burger-gemeente",
        "dienstverlening",
        "zorg-en-welzijn",
    ]
    for page in definition.pages[:4]:
        types = {question.type for question in page.questions}
        assert "scale5" in types, page.key
    assert definition.question("GRADE_LIVING") is not None
    assert definition.question("GRADE_SERVICE") is not None
    found = roles(definition)
    assert found["overall"] == [("GRADE_GOV", "")]
    assert len(found["aspect"]) >= 4
    assert {key for _code, key in found["background"]} == {"age_group", "sex", "education"}
    assert "GRADE_SERVICE" not in shown(definition, {"SERVICE_CONTACT": 0})
    assert "GRADE_SERVICE" in shown(definition, {"SERVICE_CONTACT": 1})
