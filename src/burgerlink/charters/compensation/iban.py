"""IBAN checks (ISO 13616): normalise and verify the mod-97 check digits; pure, no ORM."""

from __future__ import annotations

import re

# Lengths per country for the countries citizens of a Dutch organisation are likely to use; an
# IBAN from another country is accepted on its checksum alone (15 to 34 characters).
COUNTRY_LENGTHS = {
    "NL": 18,
    "BE": 16,
    "DE": 22,
    "LU": 20,
    "FR": 27,
    "ES": 24,
    "IT": 27,
    "PT": 25,
    "AT": 20,
    "PL": 28,
    "GB": 22,
    "IE": 22,
}
_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def normalise_iban(value: str) -> str:
    """Return ``value`` in electronic format: upper case without spaces or dashes."""
    return re.sub(r"[\s-]+", "", value).upper()


def is_valid_iban(value: str) -> bool:
    """Return whether ``value`` (any spacing or case) is a well-formed IBAN with valid checksum."""
    iban = normalise_iban(value)
    if not _SHAPE.match(iban):
        return False
    expected = COUNTRY_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    # Move the country code and check digits to the end, turn letters into 10..35, mod 97 == 1.
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def format_iban(value: str) -> str:
    """Return an IBAN in groups of four for display (``NL91 ABNA 0417 1643 00``)."""
    iban = normalise_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
