"""The public read endpoints of the core API: organisations, the code, catalogues, calendars.

Reference data (BurgerServiceCode 2.1, life events, channels, decree days) comes from migration
``core/0002``; organisations come from the shared fixtures. Every bad input must get a structured
4xx body ``{"message": ..., "errors": [{"field": ..., "message": ...}]}``, never a 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from burgerlink.core.models import Agency, ClosingDay, Organisation, OrganisationKind

API = "/api/v1"

HOLIDAYS_2025 = [
    ("2025-01-01", "new_year", "Nieuwjaarsdag", "New Year's Day", "atw_art3_lid1"),
    ("2025-04-18", "good_friday", "Goede Vrijdag", "Good Friday", "atw_art3_lid2"),
    ("2025-04-21", "easter_monday", "Tweede Paasdag", "Easter Monday", "atw_art3_lid1"),
    # 27 April 2025 is a Sunday, so King's Day is celebrated on Saturday the 26th.
    ("2025-04-26", "kings_day", "Koningsdag", "King's Day", "atw_art3_lid1"),
    ("2025-05-05", "liberation_day", "Bevrijdingsdag", "Liberation Day", "atw_art3_lid1"),
    ("2025-05-29", "ascension_day", "Hemelvaartsdag", "Ascension Day", "atw_art3_lid1"),
    ("2025-05-30", "decree", "Vrijdag na Hemelvaartsdag", "Friday after Ascension Day", "decree"),
    ("2025-06-09", "whit_monday", "Tweede Pinksterdag", "Whit Monday", "atw_art3_lid1"),
    ("2025-12-25", "christmas_day", "Eerste Kerstdag", "Christmas Day", "atw_art3_lid1"),
    ("2025-12-26", "boxing_day", "Tweede Kerstdag", "Boxing Day", "atw_art3_lid1"),
]
CHANNEL_CODES = [
    "counter",
    "phone",
    "email",
    "letter",
    "web_form",
    "website",
    "social_media",
    "chat",
    "public_space_report",
]


def get(path: str, **params: Any) -> HttpResponse:
    """GET an API path anonymously with query parameters."""
    return Client().get(f"{API}{path}", params)


def assert_error(response: HttpResponse, status: int, field: str | None = None) -> dict[str, Any]:
    """Assert a structured error body with ``status`` (naming ``field`` when given)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str)
    assert body["message"]
    for error in body["errors"]:
        assert set(error) == {"field", "message"}
        assert error["message"]
    if field is not None:
        assert field in [error["field"] for error in body["errors"]], body
    return body


@pytest.fixture
def brugdag(amstelstad: Organisation) -> ClosingDay:
    """Amstelstad closes on the Friday between King's Day and Liberation Day 2025."""
    return ClosingDay.objects.create(organisation=amstelstad, date="2025-05-02", reason="Brugdag")


# --- organisations ------------------------------------------------------------------------


def test_organisations_lists_active_organisations_by_name(
    amstelstad: Organisation, heidedorp: Organisation
) -> None:
    Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY,
        name="Gemeente Opgeheven",
        slug="opgeheven",
        is_active=False,
    )
    response = get("/organisations")
    assert response.status_code == 200
    body = response.json()
    assert [o["slug"] for o in body] == ["amstelstad", "heidedorp"]
    assert body[0] == {
        "slug": "amstelstad",
        "name": "Gemeente Amstelstad",
        "kind": "municipality",
        "official_code": "GM9901",
        "inhabitants": 152_000,
        "size_class": "xl",
        "website": "",
        "chain_role": None,
    }
    assert body[1]["size_class"] == "xs"


def test_organisation_detail_with_chain_role(amstelstad: Organisation) -> None:
    amstelstad.agency = Agency.objects.get(code="gemeente")
    amstelstad.save()
    response = get("/organisations/amstelstad")
    assert response.status_code == 200
    assert response.json()["name"] == "Gemeente Amstelstad"
    assert response.json()["chain_role"] == "gemeente"


def test_unknown_or_inactive_organisation_is_404(db: None) -> None:
    Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY,
        name="Gemeente Opgeheven",
        slug="opgeheven",
        is_active=False,
    )
    body = assert_error(get("/organisations/bestaat-niet"), 404)
    assert "bestaat-niet" in body["message"]
    assert body["errors"] == []
    assert_error(get("/organisations/opgeheven"), 404)


# --- the BurgerServiceCode ----------------------------------------------------------------


def test_norms_are_the_ten_of_version_2_1_in_both_languages(db: None) -> None:
    response = get("/norms")
    assert response.status_code == 200
    norms = response.json()
    assert [n["number"] for n in norms] == list(range(1, 11))
    assert {n["version"] for n in norms} == {"2.1"}
    for norm in norms:
        for field in ("name", "right", "duty"):
            assert norm[f"{field}_nl"].strip()
            assert norm[f"{field}_en"].strip()
            assert norm[f"{field}_nl"] != norm[f"{field}_en"]
        assert [item["position"] for item in norm["checklist"]] == [1, 2, 3]
        assert all(item["text_nl"] and item["text_en"] for item in norm["checklist"])
    assert norms[0]["name_nl"] == "Keuzevrijheid contactkanaal"
    assert norms[0]["name_en"] == "Choice of channel"


def test_norm_by_number(db: None) -> None:
    response = get("/norms/10")
    assert response.status_code == 200
    assert response.json()["number"] == 10
    assert response.json()["code"] == "betrokken-burgerschap"
    assert response.json()["category"] == "participation"


@pytest.mark.parametrize("number", ["11", "0", "-1"])
def test_norm_that_does_not_exist_is_404(db: None, number: str) -> None:
    body = assert_error(get(f"/norms/{number}"), 404)
    assert number in body["message"]


def test_norm_number_must_be_a_number(db: None) -> None:
    assert_error(get("/norms/abc"), 422, "path.number")


def test_scorecard_has_a_card_per_norm(amstelstad: Organisation) -> None:
    response = get("/organisations/amstelstad/scorecard")
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == "amstelstad"
    assert body["version"] == "2.1"
    assert [card["number"] for card in body["norms"]] == list(range(1, 11))
    for card in body["norms"]:
        assert card["score"] is None or 0 <= card["score"] <= 1
        assert isinstance(card["evidence"], list)


# --- catalogues ---------------------------------------------------------------------------


def test_life_events_with_themes_and_chains(db: None) -> None:
    response = get("/life-events")
    assert response.status_code == 200
    events = response.json()
    assert len(events) >= 40
    assert len({e["code"] for e in events}) == len(events)
    assert len({e["theme"] for e in events}) == 7
    for event in events:
        assert event["name_nl"]
        assert event["name_en"]
        assert event["theme_nl"]
        assert event["theme_en"]
        assert event["chain"], event["code"]
    moving = next(e for e in events if e["code"] == "verhuizen")
    assert moving["theme"] == "wonen"
    assert moving["name_en"] == "Moving house"
    assert [link["code"] for link in moving["chain"]] == [
        "gemeente",
        "belastingdienst",
        "toeslagen",
        "waterschap",
    ]
    assert moving["chain"][0]["name_nl"]


def test_channels_are_the_nine_codes(db: None) -> None:
    response = get("/channels")
    assert response.status_code == 200
    channels = response.json()
    assert [c["code"] for c in channels] == CHANNEL_CODES
    assert all(c["name_nl"] and c["name_en"] for c in channels)
    counter = channels[0]
    assert (counter["name_nl"], counter["name_en"]) == ("Balie", "Counter")


# --- legal calendar -----------------------------------------------------------------------


def test_legal_holidays_2025(db: None) -> None:
    response = get("/calendars/legal/holidays", year=2025)
    assert response.status_code == 200
    body = response.json()
    assert body["calendar"] == "legal"
    assert body["year"] == 2025
    assert [
        (h["date"], h["code"], h["name_nl"], h["name_en"], h["basis"]) for h in body["holidays"]
    ] == HOLIDAYS_2025


def test_legal_holidays_before_2014_have_queens_day(db: None) -> None:
    holidays = get("/calendars/legal/holidays", year=2013).json()["holidays"]
    royal = next(h for h in holidays if h["code"] == "kings_day")
    assert (royal["date"], royal["name_nl"], royal["name_en"]) == (
        "2013-04-30",
        "Koninginnedag",
        "Queen's Day",
    )


def test_legal_holidays_do_not_contain_closing_days(brugdag: ClosingDay) -> None:
    dates = [h["date"] for h in get("/calendars/legal/holidays", year=2025).json()["holidays"]]
    assert "2025-05-02" not in dates


@pytest.mark.parametrize(
    ("start", "amount", "unit", "nominal", "deadline", "skipped"),
    [
        # Two weeks from a Saturday end on a Saturday: Atw art. 1 moves the end to Monday.
        ("2025-01-04", 2, "weeks", "2025-01-18", "2025-01-20", []),
        # Six weeks end on Easter Saturday: past Sunday and Easter Monday to Tuesday.
        ("2025-03-08", 6, "weeks", "2025-04-19", "2025-04-22", ["easter_monday"]),
        # Three days end on Good Friday.
        (
            "2025-04-15",
            3,
            "calendar_days",
            "2025-04-18",
            "2025-04-22",
            ["good_friday", "easter_monday"],
        ),
        # Art. 2: a term of three days or more must hold two working days (here 29 and 30 Dec).
        ("2025-12-24", 3, "calendar_days", "2025-12-27", "2025-12-30", []),
        # A Monday plus one week is a Monday: nothing moves.
        ("2025-01-06", 1, "weeks", "2025-01-13", "2025-01-13", []),
    ],
)
def test_legal_deadline_rolls_forward(
    db: None,
    start: str,
    amount: int,
    unit: str,
    nominal: str,
    deadline: str,
    skipped: list[str],
) -> None:
    response = get("/calendars/legal/deadline", start=start, amount=amount, unit=unit)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["calendar"] == "legal"
    assert (body["start"], body["amount"], body["unit"]) == (start, amount, unit)
    assert body["nominal_end"] == nominal
    assert body["deadline"] == deadline
    assert body["rolled_forward"] is (nominal != deadline)
    assert [h["code"] for h in body["skipped"]] == skipped


def test_legal_deadline_in_working_days(db: None) -> None:
    # After Thursday 17 April 2025: Good Friday, the weekend and Easter Monday do not count.
    body = get("/calendars/legal/deadline", start="2025-04-17", amount=2, unit="working_days")
    assert body.status_code == 200
    assert body.json()["deadline"] == "2025-04-23"
    assert body.json()["nominal_end"] == "2025-04-23"
    assert body.json()["rolled_forward"] is False


def test_zero_working_days_from_a_saturday_roll_to_monday(db: None) -> None:
    body = get("/calendars/legal/deadline", start="2025-01-04", amount=0, unit="working_days")
    assert body.status_code == 200
    assert body.json()["nominal_end"] == "2025-01-04"
    assert body.json()["deadline"] == "2025-01-06"
    assert body.json()["rolled_forward"] is True


def test_legal_working_days_in_january_2025(db: None) -> None:
    response = get("/calendars/legal/working-days", start="2025-01-01", end="2025-01-31")
    assert response.status_code == 200
    body = response.json()
    assert body["calendar"] == "legal"
    # 23 weekdays from 1 to 31 January; 1 January is not counted (the start) and a holiday.
    assert body["working_days"] == 22
    assert [h["code"] for h in body["non_working_days"]] == ["new_year"]


def test_working_days_over_an_empty_range(db: None) -> None:
    response = get("/calendars/legal/working-days", start="2025-03-03", end="2025-03-03")
    assert response.status_code == 200
    assert response.json()["working_days"] == 0


# --- an organisation's calendar -----------------------------------------------------------


def test_organisation_holidays_include_its_closing_days(
    brugdag: ClosingDay, heidedorp: Organisation
) -> None:
    body = get("/organisations/amstelstad/calendar/holidays", year=2025).json()
    assert body["calendar"] == "organisation"
    assert body["year"] == 2025
    closing = [h for h in body["holidays"] if h["date"] == "2025-05-02"]
    assert closing == [
        {
            "date": "2025-05-02",
            "code": "closing_day",
            "name_nl": "Brugdag",
            "name_en": "Brugdag",
            "basis": "closing_day",
        }
    ]
    assert len(body["holidays"]) == len(HOLIDAYS_2025) + 1
    other = get("/organisations/heidedorp/calendar/holidays", year=2025).json()
    assert "2025-05-02" not in [h["date"] for h in other["holidays"]]


def test_closing_day_without_reason_gets_a_name(amstelstad: Organisation) -> None:
    ClosingDay.objects.create(organisation=amstelstad, date="2025-11-14")
    body = get("/organisations/amstelstad/calendar/holidays", year=2025).json()
    day = next(h for h in body["holidays"] if h["date"] == "2025-11-14")
    assert (day["name_nl"], day["name_en"]) == ("Sluitingsdag", "Closing day")


def test_organisation_deadline_skips_its_closing_day(brugdag: ClosingDay) -> None:
    params = {"start": "2025-04-25", "amount": 1, "unit": "weeks"}
    own = get("/organisations/amstelstad/calendar/deadline", **params).json()
    assert own["calendar"] == "organisation"
    assert own["nominal_end"] == "2025-05-02"
    assert own["deadline"] == "2025-05-06"
    assert [h["code"] for h in own["skipped"]] == ["closing_day", "liberation_day"]
    legal = get("/calendars/legal/deadline", **params).json()
    assert legal["deadline"] == "2025-05-02"
    assert legal["rolled_forward"] is False


def test_organisation_working_days_exclude_its_closing_day(brugdag: ClosingDay) -> None:
    params = {"start": "2025-04-28", "end": "2025-05-09"}
    own = get("/organisations/amstelstad/calendar/working-days", **params).json()
    legal = get("/calendars/legal/working-days", **params).json()
    assert legal["working_days"] == 8
    assert own["working_days"] == 7
    assert [h["code"] for h in own["non_working_days"]] == ["closing_day", "liberation_day"]


# --- bad input: structured 4xx, never 500 -------------------------------------------------

DEADLINE = "/calendars/legal/deadline"
RANGE = "/calendars/legal/working-days"


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/calendars/legal/holidays", {"year": "abc"}, "query.year"),
        ("/calendars/legal/holidays", {"year": "3000"}, "query.year"),
        ("/calendars/legal/holidays", {"year": "1899"}, "query.year"),
        ("/calendars/legal/holidays", {}, "query.year"),
        ("/organisations/amstelstad/calendar/holidays", {"year": "abc"}, "query.year"),
        (DEADLINE, {}, "query.start"),
        (DEADLINE, {"amount": "2", "unit": "weeks"}, "query.start"),
        (DEADLINE, {"start": "2025-01-04", "unit": "weeks"}, "query.amount"),
        (DEADLINE, {"start": "2025-01-04", "amount": "2"}, "query.unit"),
        (DEADLINE, {"start": "2025-01-04", "amount": "2", "unit": "months"}, "query.unit"),
        (DEADLINE, {"start": "2025-01-04", "amount": "-1", "unit": "weeks"}, "query.amount"),
        (DEADLINE, {"start": "2025-01-04", "amount": "two", "unit": "weeks"}, "query.amount"),
        (DEADLINE, {"start": "2025-02-30", "amount": "2", "unit": "weeks"}, "query.start"),
        (DEADLINE, {"start": "gisteren", "amount": "2", "unit": "weeks"}, "query.start"),
        (RANGE, {"start": "2025-02-01", "end": "2025-01-01"}, "query.end"),
        (RANGE, {"start": "2000-01-01", "end": "2030-01-01"}, "query.end"),
        (RANGE, {"start": "2025-02-30", "end": "2025-03-01"}, "query.start"),
        (RANGE, {"start": "2025-01-01"}, "query.end"),
        ("/organisations/amstelstad/calendar/working-days", {"end": "2025-01-01"}, "query.start"),
        ("/organisations/amstelstad/calendar/deadline", {"unit": "days"}, "query.unit"),
    ],
)
def test_invalid_query_is_422_naming_the_field(
    amstelstad: Organisation, path: str, params: dict[str, str], field: str
) -> None:
    assert_error(get(path, **params), 422, field)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        # Dates the calendar does not cover, or a term that ends beyond them.
        (DEADLINE, {"start": "1850-01-01", "amount": "1", "unit": "weeks"}),
        (DEADLINE, {"start": "2199-12-20", "amount": "52", "unit": "weeks"}),
        (DEADLINE, {"start": "2199-12-30", "amount": "3000", "unit": "working_days"}),
        (DEADLINE, {"start": "9999-12-31", "amount": "3650", "unit": "weeks"}),
        (RANGE, {"start": "0001-01-01", "end": "0001-01-31"}),
        (
            "/organisations/amstelstad/calendar/deadline",
            {"start": "2199-12-31", "amount": "1", "unit": "calendar_days"},
        ),
    ],
)
def test_dates_outside_the_calendar_are_422(
    amstelstad: Organisation, path: str, params: dict[str, str]
) -> None:
    body = assert_error(get(path, **params), 422)
    assert "1900" in body["message"]
    assert "2199" in body["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/nergens",
        "/organisations/nergens/scorecard",
        "/organisations/nergens/calendar/holidays?year=2025",
        "/organisations/nergens/calendar/deadline?start=2025-01-04&amount=2&unit=weeks",
        "/organisations/nergens/calendar/working-days?start=2025-01-01&end=2025-01-31",
        # Not a slug at all: a NUL byte must not reach the database (PostgreSQL refuses it).
        "/organisations/a%00b",
        "/organisations/a%00b/calendar/holidays?year=2025",
        "/organisations/%C3%A9t%C3%A9/scorecard",
        "/organisations/" + "x" * 300,
    ],
)
def test_unknown_organisation_is_404_on_every_endpoint(amstelstad: Organisation, path: str) -> None:
    assert_error(Client().get(f"{API}{path}"), 404)
