"""Pure rules of fieldwork: weighting targets, reminder schedules, wave states, response rates.

No ORM here: values in, values (or a list of problems) out, so the rules are easy to test and
the services, forms and API all apply the same ones.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from burgerlink.surveys.analysis.weighting import WeightingError

SHARE_TOLERANCE = 0.01
MAX_REMINDERS = 5
MAX_REMINDER_DAY = 365
VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_CATEGORY_LENGTH = 60
# Column names with a fixed meaning in sample and response files; no weighting variable may use them.
RESERVED_SAMPLE_COLUMNS = frozenset({"email", "postal_address", "language", "external_id"})


def check_weighting(value: Any) -> dict[str, dict[str, float]]:
    """Return validated weighting targets: variable → category → population share.

    Variable names are lower-case identifiers (they are the sample's column names); each
    variable has at least two categories whose shares lie between 0 and 1 and add up to 1
    (within one percentage point). Raises ``WeightingError`` with a Dutch message otherwise.
    """
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise WeightingError(
            _('De weging moet een object zijn, zoals {"leeftijd": {"18-34": 0.3, ...}}.')
        )
    targets: dict[str, dict[str, float]] = {}
    for name, shares in value.items():
        if not isinstance(name, str) or not VARIABLE_NAME.match(name):
            raise WeightingError(
                _(
                    "Weegvariabele '%(name)s': gebruik kleine letters, cijfers en _ "
                    "(bijvoorbeeld age_group)."
                )
                % {"name": name}
            )
        if name in RESERVED_SAMPLE_COLUMNS:
            raise WeightingError(
                _("Weegvariabele '%(name)s': deze naam is gereserveerd.") % {"name": name}
            )
        if not isinstance(shares, Mapping) or len(shares) < 2:
            raise WeightingError(
                _("Weegvariabele '%(name)s' heeft minstens twee categorieën met aandelen nodig.")
                % {"name": name}
            )
        clean: dict[str, float] = {}
        for category, share in shares.items():
            label = str(category).strip()
            if not label or len(label) > MAX_CATEGORY_LENGTH:
                raise WeightingError(
                    _("Weegvariabele '%(name)s': een categorie heeft een naam van 1 tot 60 tekens.")
                    % {"name": name}
                )
            if (
                isinstance(share, bool)
                or not isinstance(share, int | float)
                or not math.isfinite(share)
                or not 0 <= share <= 1
            ):
                raise WeightingError(
                    _(
                        "Weegvariabele '%(name)s', categorie '%(category)s': het aandeel ligt tussen 0 en 1."
                    )
                    % {"name": name, "category": label}
                )
            clean[label] = float(share)
        total = sum(clean.values())
        if abs(total - 1) > SHARE_TOLERANCE:
            raise WeightingError(
                _("Weegvariabele '%(name)s': de aandelen tellen op tot %(total)s in plaats van 1.")
                % {"name": name, "total": f"{total:.3f}"}
            )
        targets[name] = clean
    return targets


def parse_reminder_days(value: str | Sequence[Any] | None) -> list[int]:
    """Return reminder days (days after the invitation) from "7, 14" or [7, 14].

    Days are whole numbers from 1 to 365, strictly increasing, at most five reminders. Raises
    ``ValueError`` with a Dutch message otherwise.
    """
    if value is None:
        return []
    items: Sequence[Any] = (
        [part for part in re.split(r"[\s,;]+", value) if part] if isinstance(value, str) else value
    )
    days: list[int] = []
    for item in items:
        try:
            day = int(str(item).strip())
        except ValueError as error:
            raise ValueError(
                _("'%(value)s' is geen aantal dagen.") % {"value": str(item)[:20]}
            ) from error
        if isinstance(item, float) and not item.is_integer():
            raise ValueError(_("'%(value)s' is geen heel aantal dagen.") % {"value": item})
        if not 1 <= day <= MAX_REMINDER_DAY:
            raise ValueError(_("Een herinnering gaat 1 tot 365 dagen na de uitnodiging."))
        days.append(day)
    if days != sorted(set(days)):
        raise ValueError(_("Noem de dagen oplopend en elke dag één keer, zoals 7, 14."))
    if len(days) > MAX_REMINDERS:
        raise ValueError(_("Ten hoogste vijf herinneringen."))
    return days


def reminders_due(invited_at: datetime, reminder_days: Sequence[int], now: datetime) -> int:
    """How many reminders are due by ``now`` for someone invited at ``invited_at``."""
    return sum(1 for day in reminder_days if invited_at + timedelta(days=day) <= now)


def next_reminder(
    invited_at: datetime | None, reminder_days: Sequence[int], sent: int, now: datetime
) -> int | None:
    """Return the new ``reminders_sent`` count if a reminder should go out now, else None.

    A reminder goes out when more reminders are due than were sent. When runs were missed,
    only one reminder is sent and the missed ones count as done: nobody gets two at once, and
    no reminder number is ever sent twice.
    """
    if invited_at is None:
        return None
    due = reminders_due(invited_at, reminder_days, now)
    return due if due > sent else None


class WaveState(StrEnum):
    """Where a wave stands in time."""

    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"


def wave_state(opens_at: datetime, closes_at: datetime, now: datetime) -> WaveState:
    """Planned before it opens, open until it closes, closed from then on."""
    if now < opens_at:
        return WaveState.PLANNED
    if now < closes_at:
        return WaveState.OPEN
    return WaveState.CLOSED


def retention_ends(closes_at: datetime, retention_days: int) -> datetime:
    """The moment after which a closed wave's sample must be erased."""
    return closes_at + timedelta(days=retention_days)


def response_rate(completed: int, invitees: int, bounced: int) -> float | None:
    """Completed invitees as a share of the reachable sample (bounced addresses excluded).

    None when nobody could be reached (no sample, or everyone bounced).
    """
    reachable = invitees - bounced
    if reachable <= 0:
        return None
    return completed / reachable
