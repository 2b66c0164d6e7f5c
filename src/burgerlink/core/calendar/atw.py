"""Holidays of the Algemene termijnenwet (Atw), computed from the text of the law.

Art. 3 lid 1 names New Year's Day, Easter Monday and Whit Monday, Christmas Day and Boxing Day,
Ascension Day, the day the King's (before 2014: the Queen's) birthday is celebrated, and 5 May;
lid 2 adds Good Friday. Unlike labour calendars, 5 May counts *every* year. Lid 3 lets the Crown
equate further days by decree; those are data (see ``DecreeHoliday``), seeded with the pattern the
decrees have followed (``decree_pattern``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# The range of years the platform computes holidays for. Wide enough for any real deadline and
# for the property tests over a century, narrow enough to precompute in a millisecond.
YEAR_MIN = 1900
YEAR_MAX = 2199


class Basis(StrEnum):
    """Why a day is not a working day."""

    ATW_ART3_LID1 = "atw_art3_lid1"
    ATW_ART3_LID2 = "atw_art3_lid2"
    DECREE = "decree"
    CLOSING_DAY = "closing_day"


@dataclass(frozen=True, slots=True)
class Holiday:
    """A non-working day with its names and its legal basis."""

    date: date
    code: str
    name_nl: str
    name_en: str
    basis: Basis


class CalendarRangeError(ValueError):
    """A date outside the years the platform computes holidays for."""


def check_year(year: int) -> None:
    """Raise ``CalendarRangeError`` for a year outside ``YEAR_MIN``..``YEAR_MAX``."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise CalendarRangeError(f"Year {year} is outside {YEAR_MIN}–{YEAR_MAX}.")


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    sun_correction = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - sun_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_offset = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    correction = (golden + 11 * epact + 22 * weekday_offset) // 451
    month, day = divmod(epact + weekday_offset - 7 * correction + 114, 31)
    return date(year, month, day + 1)


def royal_birthday(year: int) -> tuple[date, str, str]:
    """Return the celebrated royal birthday of a year with its Dutch and English name.

    Since 2014 King's Day is 27 April, or 26 April when the 27th is a Sunday. Queen's Day was
    30 April from 1949; a Sunday moved it to Monday 1 May until 1979 and to Saturday 29 April
    from 1980 to 2013. Before 1949 it was Queen Wilhelmina's birthday, 31 August (1 September
    when the 31st was a Sunday).
    """
    queen = ("Koninginnedag", "Queen's Day")
    if year >= 2014:
        day, names, sunday_shift = date(year, 4, 27), ("Koningsdag", "King's Day"), -1
    elif year >= 1980:
        day, names, sunday_shift = date(year, 4, 30), queen, -1
    elif year >= 1949:
        day, names, sunday_shift = date(year, 4, 30), queen, 1
    else:
        day, names, sunday_shift = date(year, 8, 31), queen, 1
    if day.weekday() == 6:
        day += timedelta(days=sunday_shift)
    return day, names[0], names[1]


def statutory_holidays(year: int) -> list[Holiday]:
    """Return the holidays of Atw art. 3 lid 1 and 2 for one year, in date order."""
    check_year(year)
    easter = easter_sunday(year)
    lid1, lid2 = Basis.ATW_ART3_LID1, Basis.ATW_ART3_LID2
    royal, royal_nl, royal_en = royal_birthday(year)
    days = [
        Holiday(date(year, 1, 1), "new_year", "Nieuwjaarsdag", "New Year's Day", lid1),
        Holiday(easter - timedelta(days=2), "good_friday", "Goede Vrijdag", "Good Friday", lid2),
        Holiday(
            easter + timedelta(days=1), "easter_monday", "Tweede Paasdag", "Easter Monday", lid1
        ),
        Holiday(royal, "kings_day", royal_nl, royal_en, lid1),
        Holiday(date(year, 5, 5), "liberation_day", "Bevrijdingsdag", "Liberation Day", lid1),
        Holiday(
            easter + timedelta(days=39), "ascension_day", "Hemelvaartsdag", "Ascension Day", lid1
        ),
        Holiday(
            easter + timedelta(days=50), "whit_monday", "Tweede Pinksterdag", "Whit Monday", lid1
        ),
        Holiday(date(year, 12, 25), "christmas_day", "Eerste Kerstdag", "Christmas Day", lid1),
        Holiday(date(year, 12, 26), "boxing_day", "Tweede Kerstdag", "Boxing Day", lid1),
    ]
    return sorted(days, key=lambda holiday: holiday.date)


def decree_pattern(year: int) -> list[Holiday]:
    """Return the days a Crown decree has typically equated with holidays in a year.

    The pattern: the Friday after Ascension Day; the Monday before New Year's Day, King's Day,
    5 May or Christmas Day when that day is a Tuesday; the Friday after one of them when it is a
    Thursday. Days that are already statutory holidays are left out.
    """
    check_year(year)
    statutory = {holiday.date for holiday in statutory_holidays(year)}
    easter = easter_sunday(year)
    found: dict[date, Holiday] = {}

    def add(day: date, code: str, name_nl: str, name_en: str) -> None:
        if day.year == year and day not in statutory and day not in found:
            found[day] = Holiday(day, code, name_nl, name_en, Basis.DECREE)

    add(
        easter + timedelta(days=40),
        "friday_after_ascension",
        "Vrijdag na Hemelvaartsdag",
        "Friday after Ascension Day",
    )
    royal, royal_nl, royal_en = royal_birthday(year)
    anchors = [
        (date(year, 1, 1), "Nieuwjaarsdag", "New Year's Day"),
        (date(year + 1, 1, 1), "Nieuwjaarsdag", "New Year's Day"),
        (royal, royal_nl, royal_en),
        (date(year, 5, 5), "Bevrijdingsdag", "Liberation Day"),
        (date(year, 12, 25), "Eerste Kerstdag", "Christmas Day"),
    ]
    for anchor, anchor_nl, anchor_en in anchors:
        if anchor.weekday() == 1:
            add(
                anchor - timedelta(days=1),
                "bridge_monday",
                f"Maandag voor {anchor_nl}",
                f"Monday before {anchor_en}",
            )
        elif anchor.weekday() == 3:
            add(
                anchor + timedelta(days=1),
                "bridge_friday",
                f"Vrijdag na {anchor_nl}",
                f"Friday after {anchor_en}",
            )
    return sorted(found.values(), key=lambda holiday: holiday.date)
