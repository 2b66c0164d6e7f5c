"""What a missed promise is worth: pure rules, no ORM.

A charter norm names a compensation kind (``CompensationKind``). Non-monetary kinds (an apology, a
gift such as a flower voucher) give a ledger entry without an amount; a refund or fixed amount is
the norm's ``compensation_amount``; a penalty per day follows the Wet dwangsom bij niet tijdig
beslissen unless the charter sets its own amount per day.

Legal source of the statutory schedule: Algemene wet bestuursrecht (Awb), article 4:17
(wetten.overheid.nl, BWBR0005537). Lid 1: a penalty for every day the body is in default, for at
most 42 days; lid 2: €23 per day for the first fourteen days, €35 per day for the next fourteen
days and €45 per day for the remaining days. So at most 14 × 23 + 14 × 35 + 14 × 45 = €1,442.

Two deliberate differences from the statute, because a charter promise is not a legal term:

* The statute counts from two weeks after the citizen's notice of default (ingebrekestelling,
  Awb 4:17 lid 3); a charter promises compensation without that notice, so days are counted from
  the deadline of the norm: ``ceil(lateness_seconds / 86400)`` (any part of a day counts as a day).
* A charter may set its own amount per day (``compensation_amount``) with its own maximum
  (``compensation_cap``); then no 42-day limit applies unless the cap makes one.
"""

from __future__ import annotations

import math
from decimal import Decimal

SECONDS_PER_DAY = 86_400

# Awb 4:17 lid 2: (number of days, euro per day), in order; days after the last band are not paid
# (lid 1: at most 42 days).
STATUTORY_BANDS: tuple[tuple[int, Decimal], ...] = (
    (14, Decimal("23")),
    (14, Decimal("35")),
    (14, Decimal("45")),
)
STATUTORY_MAX_DAYS = sum(days for days, _rate in STATUTORY_BANDS)  # 42
STATUTORY_MAX_AMOUNT = sum((days * rate for days, rate in STATUTORY_BANDS), Decimal("0"))  # 1442

NON_MONETARY_KINDS = frozenset({"none", "apology", "gift"})
MONETARY_KINDS = frozenset({"refund", "amount", "penalty_per_day"})
CENT = Decimal("0.01")


def days_late(lateness_seconds: int | None) -> int:
    """Return the days a promise was late: every started day counts (0 when not late)."""
    if not lateness_seconds or lateness_seconds <= 0:
        return 0
    return math.ceil(lateness_seconds / SECONDS_PER_DAY)


def statutory_penalty(days: int) -> Decimal:
    """Return the Wet dwangsom amount for ``days`` days late (Awb 4:17 lid 2, at most €1,442)."""
    remaining = max(0, days)
    total = Decimal("0")
    for band_days, rate in STATUTORY_BANDS:
        counted = min(remaining, band_days)
        total += counted * rate
        remaining -= counted
        if remaining == 0:
            break
    return total.quantize(CENT)


def penalty_per_day(days: int, per_day: Decimal, cap: Decimal | None) -> Decimal:
    """Return a charter's own penalty: ``per_day`` for each day late, at most ``cap`` when set."""
    total = max(0, days) * per_day
    if cap is not None:
        total = min(total, cap)
    return total.quantize(CENT)


def is_monetary(kind: str) -> bool:
    """Return whether a compensation kind is paid in money (so a bank account is needed)."""
    return kind in MONETARY_KINDS


def amount_owed(
    *,
    kind: str,
    amount: Decimal | None,
    cap: Decimal | None,
    lateness_seconds: int | None,
) -> Decimal | None:
    """Return the euro amount owed for one missed promise, or None for a non-monetary entry.

    ``kind``, ``amount`` and ``cap`` are the charter norm's ``compensation_kind``,
    ``compensation_amount`` and ``compensation_cap``. A refund or fixed amount without an amount
    set in the charter also gives None: staff settle the actual costs by hand.
    """
    if kind in NON_MONETARY_KINDS:
        return None
    if kind in ("refund", "amount"):
        return None if amount is None else Decimal(amount).quantize(CENT)
    if kind == "penalty_per_day":
        days = days_late(lateness_seconds)
        if amount is None:
            return statutory_penalty(days)
        return penalty_per_day(days, Decimal(amount), None if cap is None else Decimal(cap))
    raise ValueError(f"unknown compensation kind: {kind!r}")
