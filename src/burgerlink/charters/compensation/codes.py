"""References and claim codes the platform issues: random, unambiguous, with a check character.

Pure: no ORM. Both are drawn from an alphabet of 31 characters without the look-alikes 0/O,
1/I/L, so a citizen reading a letter aloud or typing it from a receipt cannot confuse them. The
last character is a check character: a weighted sum modulo 31 (a prime) over every position,
with weights 1, 2, …, n, is zero for a valid string. Because 31 is prime and every weight lies
between 1 and 30, each single wrong character and each swap of two neighbours changes the sum,
so such typing errors are always caught before anything is looked up.

* A **reference** (kenmerk) names a contact or case: 9 random characters and a check character,
  shown as ``XXXXX-XXXXX`` (44 bits of chance: not sequential, not guessable from another one).
* A **claim code** (claimcode) goes with a reference on the organisation's receipt, letter or
  e-mail and proves that the person claiming holds it: 7 random characters and a check
  character, shown as ``XXXX-XXXX``. Only a keyed hash of it is stored (``code_digest``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 31, a prime
VALUES = {character: value for value, character in enumerate(ALPHABET)}
REFERENCE_RANDOM = 9
CLAIM_CODE_RANDOM = 7
# Characters people put between groups, or around a code they copy from an e-mail.
SEPARATORS = str.maketrans("", "", " -._\u00a0\t")


def _check_character(body: str) -> str:
    """Return the character that makes the weighted sum of ``body`` + it zero modulo 31."""
    total = sum((position + 1) * VALUES[character] for position, character in enumerate(body))
    weight = len(body) + 1
    # Solve total + weight * c ≡ 0 (mod 31); the inverse exists because 31 is prime.
    value = (-total * pow(weight, -1, BASE)) % BASE
    return ALPHABET[value]


def has_valid_check(compact: str) -> bool:
    """Return whether a compact string (no separators, upper case) ends in its check character."""
    if len(compact) < 2 or len(compact) >= BASE or any(c not in VALUES for c in compact):
        return False
    total = sum((position + 1) * VALUES[character] for position, character in enumerate(compact))
    return total % BASE == 0


def _random_with_check(length: int) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return body + _check_character(body)


def _grouped(compact: str, size: int) -> str:
    return "-".join(compact[i : i + size] for i in range(0, len(compact), size))


def compact(text: str) -> str:
    """Return ``text`` without separators, in upper case: the form in which codes are compared."""
    return text.translate(SEPARATORS).upper()


def new_reference() -> str:
    """Return a new random reference with a check character, as ``XXXXX-XXXXX``."""
    return _grouped(_random_with_check(REFERENCE_RANDOM), 5)


def new_claim_code() -> str:
    """Return a new random claim code with a check character, as ``XXXX-XXXX``."""
    return _grouped(_random_with_check(CLAIM_CODE_RANDOM), 4)


def looks_like_claim_code(text: str) -> bool:
    """Return whether ``text`` has the shape and check character of a claim code."""
    code = compact(text)
    return len(code) == CLAIM_CODE_RANDOM + 1 and has_valid_check(code)


def code_digest(*, key: bytes, organisation_id: int, reference: str, code: str) -> str:
    """Return the keyed hash under which a claim code is stored for one reference.

    The organisation and the reference are part of the message, so a code is only valid with
    the reference it was issued for, and a stolen table of digests is useless without the key.
    """
    message = f"{organisation_id}\x1f{reference}\x1f{compact(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
