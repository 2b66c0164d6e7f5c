"""The calendar module: the single source of every deadline in the platform.

Pure functions and the immutable ``WorkingCalendar`` live here; ``burgerlink.core.selectors``
builds the legal and organisation calendars from the database.
"""

from burgerlink.core.calendar.atw import (
    YEAR_MAX,
    YEAR_MIN,
    Basis,
    CalendarRangeError,
    Holiday,
    decree_pattern,
    easter_sunday,
    royal_birthday,
    statutory_holidays,
)
from burgerlink.core.calendar.workdays import TermUnit, WorkingCalendar, build_calendar, check_date

__all__ = [
    "YEAR_MAX",
    "YEAR_MIN",
    "Basis",
    "CalendarRangeError",
    "Holiday",
    "TermUnit",
    "WorkingCalendar",
    "build_calendar",
    "check_date",
    "decree_pattern",
    "easter_sunday",
    "royal_birthday",
    "statutory_holidays",
]
