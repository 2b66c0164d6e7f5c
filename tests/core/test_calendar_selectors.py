"""The database-backed calendars: ``legal_calendar`` and ``organisation_calendar``.

Decree days come from migration 0002 (the decree pattern for 1990–2100); organisations add their
closing days and opening hours.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from burgerlink.core.calendar import Basis, TermUnit, decree_pattern, statutory_holidays
from burgerlink.core.models import ClosingDay, DecreeHoliday, OpeningHours, Organisation
from burgerlink.core.selectors import legal_calendar, organisation_calendar

pytestmark = pytest.mark.django_db

SEED_YEARS = range(1990, 2101)


def test_migration_seeds_the_decree_pattern_for_every_year() -> None:
    seeded = set(DecreeHoliday.objects.values_list("date", flat=True))
    expected = {holiday.date for year in SEED_YEARS for holiday in decree_pattern(year)}
    assert seeded == expected
    assert DecreeHoliday.objects.filter(date=date(2026, 5, 15)).get().name_en == (
        "Friday after Ascension Day"
    )


def test_legal_calendar_contains_statutory_and_seeded_decree_days() -> None:
    calendar = legal_calendar()
    assert calendar.kind == "legal"
    assert calendar.statutory
    for year in SEED_YEARS:
        for holiday in decree_pattern(year):
            assert calendar.holidays[holiday.date].basis is Basis.DECREE, holiday
            assert not calendar.is_working_day(holiday.date), holiday
        for holiday in statutory_holidays(year):
            assert not calendar.is_working_day(holiday.date), holiday
    assert [h.date for h in calendar.holidays_in_year(2026) if h.basis is Basis.DECREE] == [
        date(2026, 1, 2),
        date(2026, 5, 4),
        date(2026, 5, 15),
    ]


def test_legal_calendar_follows_the_decree_data_not_the_pattern() -> None:
    # An operator corrects the data: one pattern day was not decreed, another day was.
    DecreeHoliday.objects.filter(date=date(2026, 5, 4)).delete()
    DecreeHoliday.objects.create(
        date=date(2026, 12, 24), name_nl="Kerstavond", name_en="Christmas Eve", reference="Stb."
    )
    calendar = legal_calendar()
    assert calendar.is_working_day(date(2026, 5, 4))
    assert not calendar.is_working_day(date(2026, 12, 24))
    assert calendar.holidays[date(2026, 12, 24)].name_en == "Christmas Eve"


def test_legal_calendar_applies_atw_art_2() -> None:
    calendar = legal_calendar()
    # Thursday 2 April 2026 + 3 days: Good Friday, weekend and Easter Monday follow.
    assert calendar.term_end(date(2026, 4, 2), 3, TermUnit.CALENDAR_DAYS) == date(2026, 4, 8)
    # Two weeks from 19 December 2025 is 2 January 2026, a seeded decree day.
    assert calendar.term_end(date(2025, 12, 19), 2, TermUnit.WEEKS) == date(2026, 1, 5)


def test_organisation_without_opening_hours_works_monday_to_friday(
    amstelstad: Organisation,
) -> None:
    calendar = organisation_calendar(amstelstad)
    assert calendar.kind == "organisation"
    assert not calendar.statutory
    assert calendar.weekmask == (True, True, True, True, True, False, False)
    assert calendar.is_working_day(date(2026, 6, 1))  # Monday
    assert calendar.is_working_day(date(2026, 6, 5))  # Friday
    assert not calendar.is_working_day(date(2026, 6, 6))  # Saturday
    assert not calendar.is_working_day(date(2026, 4, 27))  # King's Day
    assert not calendar.is_working_day(date(2026, 5, 15))  # decree day
    # Not statutory: only the roll-forward, no art. 2 extension.
    assert calendar.term_end(date(2026, 4, 2), 3, TermUnit.CALENDAR_DAYS) == date(2026, 4, 7)


def test_organisation_calendar_includes_its_closing_days(
    amstelstad: Organisation, heidedorp: Organisation
) -> None:
    ClosingDay.objects.create(organisation=amstelstad, date=date(2025, 12, 29), reason="Brugdag")
    ClosingDay.objects.create(organisation=amstelstad, date=date(2026, 4, 28))
    ClosingDay.objects.create(organisation=heidedorp, date=date(2026, 6, 2), reason="Heidefeest")
    calendar = organisation_calendar(amstelstad)

    bridge = calendar.holidays[date(2025, 12, 29)]
    assert (bridge.basis, bridge.name_nl, bridge.name_en) == (
        Basis.CLOSING_DAY,
        "Brugdag",
        "Brugdag",
    )
    unnamed = calendar.holidays[date(2026, 4, 28)]
    assert (unnamed.name_nl, unnamed.name_en) == ("Sluitingsdag", "Closing day")
    assert not calendar.is_working_day(date(2025, 12, 29))
    assert not calendar.is_working_day(date(2026, 4, 28))
    # Another organisation's closing day is not ours, nor part of the legal calendar.
    assert calendar.is_working_day(date(2026, 6, 2))
    assert not organisation_calendar(heidedorp).is_working_day(date(2026, 6, 2))
    assert legal_calendar().is_working_day(date(2025, 12, 29))
    # Wednesday 24 December 2025 + 3 days: Christmas, Saturday, Sunday, then the closing day.
    assert calendar.term_end(date(2025, 12, 24), 3, TermUnit.CALENDAR_DAYS) == date(2025, 12, 30)
    # Friday 24 April 2026 + 1: weekend, King's Day, closing day.
    assert calendar.term_end(date(2026, 4, 24), 1, TermUnit.CALENDAR_DAYS) == date(2026, 4, 29)
    assert calendar.working_days_between(date(2026, 4, 24), date(2026, 4, 30)) == 2


def test_closing_day_on_a_holiday_keeps_the_statutory_basis(amstelstad: Organisation) -> None:
    ClosingDay.objects.create(organisation=amstelstad, date=date(2026, 12, 25), reason="Kerst")
    calendar = organisation_calendar(amstelstad)
    assert calendar.holidays[date(2026, 12, 25)].basis is Basis.ATW_ART3_LID1
    assert not calendar.is_working_day(date(2026, 12, 25))


def test_weekdays_without_opening_hours_are_not_working_days(amstelstad: Organisation) -> None:
    for weekday in (0, 1, 2, 3):  # Monday to Thursday
        OpeningHours.objects.create(
            organisation=amstelstad, weekday=weekday, opens=time(8, 30), closes=time(17)
        )
    OpeningHours.objects.create(organisation=amstelstad, weekday=5, opens=time(10), closes=time(13))
    calendar = organisation_calendar(amstelstad)

    assert calendar.weekmask == (True, True, True, True, False, True, False)
    assert calendar.is_working_day(date(2026, 6, 4))  # Thursday
    assert not calendar.is_working_day(date(2026, 6, 5))  # Friday: no opening hours
    assert calendar.is_working_day(date(2026, 6, 6))  # Saturday: open in the morning
    assert not calendar.is_working_day(date(2026, 6, 7))  # Sunday
    assert not calendar.is_working_day(date(2026, 4, 27))  # King's Day, a Monday
    assert calendar.opening_on(date(2026, 6, 1)) == (time(8, 30), time(17))
    assert calendar.opening_on(date(2026, 6, 6)) == (time(10), time(13))
    assert calendar.opening_on(date(2026, 6, 5)) is None
    # Thursday 4 June 2026 + 1 day is Friday (closed): the next working day is Saturday.
    assert calendar.term_end(date(2026, 6, 4), 1, TermUnit.CALENDAR_DAYS) == date(2026, 6, 6)
    assert calendar.add_working_days(date(2026, 6, 4), 2) == date(2026, 6, 8)
    # The legal calendar ignores an organisation's hours.
    assert legal_calendar().is_working_day(date(2026, 6, 5))
    assert not legal_calendar().is_working_day(date(2026, 6, 6))


def test_a_single_opening_day_makes_every_other_weekday_closed(amstelstad: Organisation) -> None:
    OpeningHours.objects.create(organisation=amstelstad, weekday=2, opens=time(9), closes=time(12))
    calendar = organisation_calendar(amstelstad)
    assert calendar.weekmask == (False, False, True, False, False, False, False)
    assert calendar.next_working_day(date(2026, 6, 1)) == date(2026, 6, 3)
    assert calendar.working_days_between(date(2026, 5, 31), date(2026, 6, 30)) == 4
