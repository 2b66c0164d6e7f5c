"""The pure rules: what a missed promise is worth (Awb 4:17 schedule) and IBAN checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from burgerlink.charters.compensation.iban import format_iban, is_valid_iban, normalise_iban
from burgerlink.charters.compensation.rules import (
    STATUTORY_MAX_AMOUNT,
    STATUTORY_MAX_DAYS,
    amount_owed,
    days_late,
    is_monetary,
    penalty_per_day,
    statutory_penalty,
)

DAY = 86_400


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "0.00"),
        (1, "23.00"),  # first band: €23 a day
        (14, "322.00"),  # 14 × 23, end of the first band
        (15, "357.00"),  # 322 + 35: the second band starts
        (28, "812.00"),  # 322 + 14 × 35
        (29, "857.00"),  # 812 + 45: the third band starts
        (42, "1442.00"),  # 812 + 14 × 45: the maximum
        (60, "1442.00"),  # no more than 42 days are paid
    ],
)
def test_statutory_penalty_follows_the_three_bands_of_awb_4_17(days: int, expected: str) -> None:
    assert statutory_penalty(days) == Decimal(expected)


def test_statutory_maximum_is_42_days_and_1442_euro() -> None:
    maximum = STATUTORY_MAX_AMOUNT
    assert STATUTORY_MAX_DAYS == 42
    assert maximum == Decimal("1442")
    assert statutory_penalty(STATUTORY_MAX_DAYS) == maximum


@pytest.mark.parametrize(
    ("seconds", "days"),
    [
        (None, 0),
        (0, 0),
        (-5, 0),
        (1, 1),
        (DAY, 1),
        (DAY + 1, 2),
        (14 * DAY, 14),
        (14 * DAY + 1, 15),
    ],
)
def test_every_started_day_counts_as_a_day_late(seconds: int | None, days: int) -> None:
    assert days_late(seconds) == days


@pytest.mark.parametrize("kind", ["none", "apology", "gift"])
def test_non_monetary_kinds_owe_no_amount(kind: str) -> None:
    assert amount_owed(kind=kind, amount=Decimal("10"), cap=None, lateness_seconds=DAY) is None
    assert not is_monetary(kind)


@pytest.mark.parametrize("kind", ["refund", "amount"])
def test_refund_and_fixed_amount_owe_the_charter_amount(kind: str) -> None:
    owed = amount_owed(kind=kind, amount=Decimal("25"), cap=None, lateness_seconds=40 * DAY)
    assert owed == Decimal("25.00")
    assert is_monetary(kind)
    # Without an amount in the charter, staff settle the actual costs.
    assert amount_owed(kind=kind, amount=None, cap=None, lateness_seconds=DAY) is None


@pytest.mark.parametrize(
    ("days", "expected"), [(1, "23.00"), (15, "357.00"), (29, "857.00"), (60, "1442.00")]
)
def test_penalty_without_own_amount_is_the_wet_dwangsom(days: int, expected: str) -> None:
    owed = amount_owed(
        kind="penalty_per_day", amount=None, cap=None, lateness_seconds=days * DAY - 3600
    )
    assert owed == Decimal(expected)
    assert is_monetary("penalty_per_day")


def test_own_amount_per_day_is_capped_by_the_charter() -> None:
    def owed(days: int, cap: Decimal | None) -> Decimal | None:
        return amount_owed(
            kind="penalty_per_day", amount=Decimal("10"), cap=cap, lateness_seconds=days * DAY
        )

    assert owed(3, Decimal("50")) == Decimal("30.00")
    assert owed(5, Decimal("50")) == Decimal("50.00")
    assert owed(10, Decimal("50")) == Decimal("50.00")
    assert owed(60, None) == Decimal("600.00")  # no statutory 42-day limit on own amounts
    assert penalty_per_day(0, Decimal("10"), None) == Decimal("0.00")


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown compensation kind"):
        amount_owed(kind="coffee", amount=None, cap=None, lateness_seconds=DAY)


@pytest.mark.parametrize(
    "iban",
    [
        "NL91ABNA0417164300",
        "nl91 abna 0417 1643 00",
        "NL91-ABNA-0417-1643-00",
        "BE68539007547034",
        "DE89370400440532013000",
        "GB82WEST12345698765432",
    ],
)
def test_valid_ibans_pass(iban: str) -> None:
    assert is_valid_iban(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "",
        "NL91ABNA0417164301",  # one digit off: checksum fails
        "NL19ABNA0417164300",  # swapped check digits
        "NL91ABNA041716430",  # too short for the Netherlands
        "NL91ABNA04171643000",  # too long for the Netherlands
        "1234567890",
        "NL91 ABNA 0417 1643 0!",
    ],
)
def test_invalid_ibans_fail(iban: str) -> None:
    assert not is_valid_iban(iban)


def test_iban_is_normalised_and_formatted() -> None:
    assert normalise_iban(" nl91 abna 0417 1643 00 ") == "NL91ABNA0417164300"
    assert format_iban("NL91ABNA0417164300") == "NL91 ABNA 0417 1643 00"
