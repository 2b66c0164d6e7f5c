"""E-mail addresses compared the way mail providers deliver them."""

from __future__ import annotations

import pytest

from burgerlink.participation.petitions import addresses


@pytest.mark.parametrize(
    ("given", "mailbox"),
    [
        ("Anna@Example.org", "anna@example.org"),
        ("  anna@example.org ", "anna@example.org"),
        ("Anna.de.Vries+petitie@GoogleMail.com", "annadevries@gmail.com"),
        ("a.n.n.a@gmail.com", "anna@gmail.com"),
        ("anna+zebrapad@outlook.com", "anna@outlook.com"),
        ("anna.de.vries@outlook.com", "anna.de.vries@outlook.com"),
        ("anna+tag@example.org", "anna+tag@example.org"),
        ("a.nna@example.org", "a.nna@example.org"),
        ("ANNA@ICLOUD.COM", "anna@icloud.com"),
    ],
)
def test_addresses_are_read_as_their_provider_delivers_them(given: str, mailbox: str) -> None:
    assert addresses.normalise(given) == mailbox


@pytest.mark.parametrize("bad", ["", "anna", "anna@", "@gmail.com", "+tag@gmail.com", "a b@c.nl"])
def test_what_is_no_address_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        addresses.normalise(bad)


def test_disposable_domains_come_from_the_data_file_with_their_subdomains() -> None:
    assert "mailinator.com" in addresses.disposable_domains()
    assert addresses.is_disposable("mailinator.com")
    assert addresses.is_disposable("eu.mailinator.com")
    assert not addresses.is_disposable("example.org")
    assert not addresses.is_disposable("gmail.com")
