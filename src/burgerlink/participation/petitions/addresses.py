"""E-mail addresses as mail providers read them: one signature per mailbox, not per spelling.

Pure functions, no database. The rules (also in ``docs/participation.md``):

1. Outer whitespace is stripped; the domain is lower-cased (and an IDN domain turned into its
   ASCII form); the local part is case-folded. Strictly the local part may be case-sensitive,
   but no provider a citizen uses treats ``Anna`` and ``anna`` as two mailboxes.
2. Known providers that deliver ``name+anything`` to ``name`` (``PLUS_TAG_DOMAINS``): the ``+tag``
   is dropped.
3. Gmail (``gmail.com``, ``googlemail.com``): dots in the local part are ignored too, and
   ``googlemail.com`` is read as ``gmail.com``.
4. Any other domain: only rule 1, since elsewhere ``a.b`` and ``ab`` may be two people.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}
PLUS_TAG_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "outlook.nl",
        "hotmail.com",
        "hotmail.nl",
        "live.com",
        "live.nl",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "fastmail.com",
        "fastmail.fm",
    }
)
# Large providers many unrelated people use: a cluster of signatures from one of these says
# little, so abuse checks give them a higher limit.
LARGE_PROVIDERS = PLUS_TAG_DOMAINS | frozenset(
    {
        "yahoo.com",
        "ziggo.nl",
        "kpnmail.nl",
        "planet.nl",
        "home.nl",
        "xs4all.nl",
        "telfort.nl",
        "hetnet.nl",
        "casema.nl",
        "chello.nl",
        "upcmail.nl",
        "online.nl",
        "quicknet.nl",
        "zeelandnet.nl",
        "solcon.nl",
        "caiway.nl",
        "kpnplanet.nl",
        "tele2.nl",
        "gmx.net",
        "gmx.de",
        "web.de",
        "t-online.de",
        "skynet.be",
        "telenet.be",
    }
)


def split(address: str) -> tuple[str, str]:
    """The local part and the lower-cased ASCII domain of a valid address (``ValueError`` else)."""
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise ValueError("not an e-mail address") from error
    local, _at, domain = address.rpartition("@")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise ValueError("not an e-mail address") from error
    return local, ascii_domain.rstrip(".")


def normalise(address: str) -> str:
    """The mailbox an address reaches: ``Anna.de.Vries+petitie@GoogleMail.com`` → ``annadevries@gmail.com``."""
    local, domain = split(address)
    local = local.casefold()
    if domain in PLUS_TAG_DOMAINS:
        local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
    domain = DOMAIN_ALIASES.get(domain, domain)
    if not local:
        raise ValueError("not an e-mail address")
    return f"{local}@{domain}"


def domain_of(address: str) -> str:
    """The domain a normalised address belongs to."""
    return address.rpartition("@")[2]


@cache
def disposable_domains() -> frozenset[str]:
    """Domains of throw-away mailboxes, from ``participation/data/disposable_domains.txt``."""
    text = (
        resources.files("burgerlink.participation")
        .joinpath("data/disposable_domains.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def is_disposable(domain: str) -> bool:
    """Whether ``domain`` (or a domain it is a subdomain of) hands out throw-away mailboxes."""
    listed = disposable_domains()
    parts = domain.lower().split(".")
    return any(".".join(parts[i:]) in listed for i in range(len(parts) - 1))


def is_large_provider(domain: str) -> bool:
    """Whether many unrelated people use ``domain`` (so a cluster there says little)."""
    return domain in LARGE_PROVIDERS
