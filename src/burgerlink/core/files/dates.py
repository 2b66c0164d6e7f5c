"""Dates and moments as people write them in files: Dutch (7-12-2026, 07-12-2026 14:30) or ISO
8601 (2026-12-07, 2026-12-07T14:30:00+01:00).

A moment without an offset is Dutch local time (what Excel exports); one with an offset or ``Z``
is taken as given. The format lists are the one definition of what an import accepts: the
records import's vectorised parser (pyarrow ``strptime``) uses them too.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from burgerlink.core.calendar.localtime import AMSTERDAM

# strptime patterns, tried in this order. ``%d`` and ``%m`` accept one digit as well as two.
OFFSET_FORMATS = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M%z"]
LOCAL_FORMATS = [
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y",
    "%d/%m/%Y",
    "%Y-%m-%d",
]
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
_FRACTION = re.compile(r"(\d\d:\d\d:\d\d)[.,]\d+")
_COLON_OFFSET = re.compile(r"([+-]\d\d):(\d\d)$")


def parse_date(value: object) -> date:
    """A day from a date, a datetime or text (2026-12-07, 7-12-2026, 07/12/2026).

    Raises ``ValueError`` for anything else, including days that do not exist (31-02-2026).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a day, no moment
        except ValueError:
            continue
    raise ValueError(f"not a date: {text[:40]!r}")


def parse_datetime(value: object) -> datetime:
    """An aware moment from a datetime, a date (midnight) or text in an accepted format.

    Without an offset the moment is Dutch local time. Raises ``ValueError`` for anything else.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=AMSTERDAM)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=AMSTERDAM)
    text = _FRACTION.sub(r"\1", str(value).strip())
    if text.endswith("Z"):
        text = text[:-1] + "+0000"
    text = _COLON_OFFSET.sub(r"\1\2", text)
    for fmt in OFFSET_FORMATS:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 - every format has %z
        except ValueError:
            continue
    for fmt in LOCAL_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=AMSTERDAM)  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"not a date or moment: {text[:40]!r}")
