"""core.numbers: one rounding rule (half away from zero) and numbers written per language."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from burgerlink.core.numbers import (
    axis_formatter,
    decimals_for,
    format_euros,
    format_number,
    format_percent,
    format_percentage,
    round_half_away,
    rounded,
)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.5, 0, "1"),  # Python's round(0.5) is 0
        (1.5, 0, "2"),
        (2.5, 0, "3"),  # round(2.5) is 2
        (-2.5, 0, "-3"),
        (2.675, 2, "2.68"),  # round(2.675, 2) is 2.67: the binary value is below the half
        (74.45, 1, "74.5"),
        (74.44999, 1, "74.4"),
        (-0.4, 0, "0"),  # no "-0"
        (Decimal("0.125"), 2, "0.13"),
        (7, 0, "7"),
        (1234.5, 0, "1235"),
    ],
)
def test_rounding_is_half_away_from_zero_on_the_decimal_value(
    value: float, digits: int, expected: str
) -> None:
    assert str(rounded(value, digits)) == expected
    assert round_half_away(value, digits) == float(expected)


def test_rounding_differs_from_pythons_round_where_readers_would_notice() -> None:
    assert round(0.5) == 0 and round_half_away(0.5) == 1.0
    assert round(2.675, 2) == 2.67 and round_half_away(2.675, 2) == 2.68


def test_rounding_refuses_what_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="cannot round"):
        rounded(math.nan)


@pytest.mark.parametrize(
    ("language", "value", "digits", "expected"),
    [
        ("nl", 1234567.891, 2, "1.234.567,89"),
        ("en", 1234567.891, 2, "1,234,567.89"),
        ("nl", 2884, 0, "2.884"),  # four digits are grouped too
        ("en", 2884, 0, "2,884"),
        ("nl", 7.25, 1, "7,3"),
        ("en", 7.25, 1, "7.3"),
        ("nl", 74.6, 0, "75"),  # Django's number_format would write "74"
        ("nl", -1234.5, 0, "-1.235"),
        ("nl", 0, 2, "0,00"),
        ("nl", None, 1, "–"),
        ("nl", math.nan, 1, "–"),
        ("nl", math.inf, 1, "–"),
    ],
)
def test_numbers_are_written_in_the_language_of_the_page(
    language: str, value: float | None, digits: int, expected: str
) -> None:
    with translation.override(language):
        assert format_number(value, digits) == expected


def test_a_difference_carries_its_sign() -> None:
    with translation.override("nl"):
        assert format_number(0.125, 2, signed=True) == "+0,13"
        assert format_number(-0.125, 2, signed=True) == "-0,13"
        assert format_number(0.001, 2, signed=True) == "0,00"


@pytest.mark.parametrize(
    ("language", "share", "digits", "expected"),
    [
        ("nl", 0.85, 0, "85%"),
        ("en", 0.85, 0, "85%"),
        ("nl", 0.855, 1, "85,5%"),
        ("en", 0.855, 1, "85.5%"),
        # 0.745 * 100 is 74.49999999999999 in binary; the reader's 74,5 rounds up to 75.
        ("nl", 0.745, 0, "75%"),
        ("nl", 0.285, 0, "29%"),
        ("nl", 1, 0, "100%"),
        ("nl", 12.5, 0, "1.250%"),
        ("nl", None, 0, "–"),
    ],
)
def test_percentages(language: str, share: float | None, digits: int, expected: str) -> None:
    with translation.override(language):
        assert format_percent(share, digits) == expected


def test_percentage_on_the_hundred_scale() -> None:
    with translation.override("nl"):
        assert format_percentage(85.45, 1) == "85,5%"
        assert format_percentage(None) == "–"


def test_euros() -> None:
    with translation.override("nl"):
        assert format_euros(1442) == "€ 1.442"
        assert format_euros(Decimal("7.5")) == "€ 7,50"
        assert format_euros(1442, cents=True) == "€ 1.442,00"
        assert format_euros(None) == "–"
    with translation.override("en"):
        assert format_euros(Decimal("1234.5")) == "€ 1,234.50"


def test_decimals_for_axis_ticks() -> None:
    assert decimals_for([0, 20, 40]) == 0
    assert decimals_for([0, 0.5, 1]) == 1
    assert decimals_for([0.25, 0.3]) == 2
    assert decimals_for([1 / 3]) == 3  # capped


def test_chart_axis_labels_follow_the_language() -> None:
    formatter = axis_formatter()
    with translation.override("nl"):
        assert formatter.format_ticks([0.0, 0.1, 0.30000000000000004]) == ["0,0", "0,1", "0,3"]
        assert formatter.format_ticks([1000.0, 2000.0]) == ["1.000", "2.000"]
    with translation.override("en"):
        assert formatter.format_ticks([0.0, 0.5]) == ["0.0", "0.5"]
    percent = axis_formatter(percent=True)
    with translation.override("nl"):
        assert percent.format_ticks([0.0, 50.0, 100.0]) == ["0%", "50%", "100%"]


def test_template_filters_use_the_same_rules() -> None:
    template = Template(
        "{% load web_tags %}{{ n|number }} {{ x|number:1 }} {{ s|percent }} {{ s|percent:1 }}"
        " {{ d|signed_number:2 }} {{ e|euros }} {{ missing|number }}"
    )
    context = {"n": 2884, "x": 7.25, "s": 0.745, "d": 0.5, "e": Decimal("12.5"), "missing": None}
    with translation.override("nl"):
        assert template.render(Context(context)) == "2.884 7,3 75% 74,5% +0,50 € 12,50 –"
    with translation.override("en"):
        assert template.render(Context(context)) == "2,884 7.3 75% 74.5% +0.50 € 12.50 –"
