"""Routing and navigation between pages, on the pure rules (no database)."""

from __future__ import annotations

from burgerlink.surveys.definition import parse, visible_pages
from burgerlink.surveys.respond import logic
from tests.surveys.respond.factories import definition

DEFINITION = parse(definition())
ALL = ["cijfers", "aspecten", "contact", "slot"]
WITHOUT_CONTACT = ["cijfers", "aspecten", "slot"]


def keys(pages: list) -> list[str]:
    return [page.key for page in pages]


def test_the_routed_page_shows_only_after_contact() -> None:
    assert keys(logic.visible_page_list(DEFINITION, {})) == WITHOUT_CONTACT
    assert keys(logic.visible_page_list(DEFINITION, {"CONTACT": 0})) == WITHOUT_CONTACT
    assert keys(logic.visible_page_list(DEFINITION, {"CONTACT": 1})) == ALL
    # The same as the definition's own visible_pages.
    assert keys(visible_pages(DEFINITION, {"CONTACT": 1})) == ALL


def test_next_and_previous_follow_routing() -> None:
    yes, no = {"CONTACT": 1}, {"CONTACT": 0}
    assert logic.next_page(DEFINITION, yes, "aspecten").key == "contact"  # type: ignore[union-attr]
    assert logic.next_page(DEFINITION, no, "aspecten").key == "slot"  # type: ignore[union-attr]
    assert logic.next_page(DEFINITION, yes, "slot") is None
    assert logic.previous_page(DEFINITION, yes, "slot").key == "contact"  # type: ignore[union-attr]
    assert logic.previous_page(DEFINITION, no, "slot").key == "aspecten"  # type: ignore[union-attr]
    assert logic.previous_page(DEFINITION, no, "cijfers") is None


def test_progress_counts_the_visible_pages() -> None:
    assert logic.progress(DEFINITION, {"CONTACT": 1}, "slot") == logic.Progress(4, 4)
    assert logic.progress(DEFINITION, {"CONTACT": 0}, "slot") == logic.Progress(3, 3)
    assert logic.progress(DEFINITION, {}, "aspecten") == logic.Progress(2, 3)
    assert logic.progress(DEFINITION, {}, "slot").is_last


def test_prune_drops_answers_that_routing_now_hides() -> None:
    answers = {"OVERALL": 7, "CONTACT": 0, "CONTACT_GRADE": 8, "WAIT_DAYS": 3, "IMPROVE": "x"}
    assert logic.prune(DEFINITION, answers) == {"OVERALL": 7, "CONTACT": 0, "IMPROVE": "x"}
    answers["CONTACT"] = 1
    assert logic.prune(DEFINITION, answers) == answers


def test_missing_required_lists_visible_questions_only() -> None:
    missing = logic.missing_required(DEFINITION, {"OVERALL": 7, "CONTACT": 0})
    assert [(m.page.key, m.question.code) for m in missing] == [("aspecten", "ASPECTS")]
    complete_matrix = {"OVERALL": 7, "CONTACT": 1, "ASPECT_SPEED": 4, "ASPECT_CLEAR": 99}
    missing = logic.missing_required(DEFINITION, complete_matrix)
    assert [m.question.code for m in missing] == ["CONTACT_GRADE"]
    # A matrix counts as answered only when every row is.
    half = {"OVERALL": 7, "CONTACT": 0, "ASPECT_SPEED": 4}
    assert [m.question.code for m in logic.missing_required(DEFINITION, half)] == ["ASPECTS"]


def test_nobody_skips_ahead_past_a_required_question() -> None:
    assert logic.is_reachable(DEFINITION, {}, "cijfers")
    assert not logic.is_reachable(DEFINITION, {}, "aspecten")
    done_first = {"OVERALL": 98, "CONTACT": 0}
    assert logic.is_reachable(DEFINITION, done_first, "aspecten")
    assert not logic.is_reachable(DEFINITION, done_first, "slot")
    assert not logic.is_reachable(DEFINITION, done_first, "contact")  # routed away
    assert not logic.is_reachable(DEFINITION, done_first, "nope")


def test_resume_goes_to_the_stored_page_or_the_first_unfinished_one() -> None:
    answers = {"OVERALL": 6, "CONTACT": 1, "ASPECT_SPEED": 3, "ASPECT_CLEAR": 3}
    assert logic.resume_page(DEFINITION, answers, "contact").key == "contact"
    assert logic.resume_page(DEFINITION, answers, "slot").key == "contact"  # not reachable yet
    assert logic.resume_page(DEFINITION, {}, "").key == "cijfers"
    answers["CONTACT_GRADE"] = 8
    assert logic.resume_page(DEFINITION, answers, "").key == "slot"


def test_stored_columns_round_trip() -> None:
    grade = DEFINITION.question("OVERALL")
    channels = DEFINITION.question("CHANNELS")
    improve = DEFINITION.question("IMPROVE")
    assert grade and channels and improve
    assert logic.row_from_value(grade, 7) == {"number": 7.0, "text": "", "choices": None}
    assert logic.value_from_row(grade, 7.0, "", None) == 7
    assert logic.value_from_row(channels, None, "", [1, 3]) == [1, 3]
    assert logic.row_from_value(channels, [2]) == {"number": None, "text": "", "choices": [2]}
    assert logic.value_from_row(improve, None, "Sneller", None) == "Sneller"


def test_same_page_routing_reads_earlier_answers_on_that_page() -> None:
    data = definition()
    data["pages"][0]["questions"][1]["condition"] = {"var": "OVERALL", "op": "lte", "value": 5}
    routed = parse(data)
    page = routed.pages[0]
    assert [q.code for q in logic.shown_questions(page, {"OVERALL": 8})] == ["OVERALL", "CONTACT"]
    assert [q.code for q in logic.shown_questions(page, {"OVERALL": 4})] == [
        "OVERALL",
        "CHAIN",
        "CONTACT",
    ]
    assert logic.prune(routed, {"OVERALL": 8, "CHAIN": 3}) == {"OVERALL": 8}
