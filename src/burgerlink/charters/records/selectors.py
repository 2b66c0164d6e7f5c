"""Reads for the import pages: the codes an import file may use, with their labels."""

from __future__ import annotations

from dataclasses import dataclass

from burgerlink.charters.charter.display import product_label
from burgerlink.charters.models import CharterNorm
from burgerlink.core.models import Channel, Organisation


@dataclass(frozen=True)
class Code:
    """A code an import file may use and what it means."""

    code: str
    label: str


def channel_codes() -> list[Code]:
    """The channels a contact may name, in the catalogue's order, labelled in the page's language."""
    return [
        Code(channel.code, channel.name)
        for channel in Channel.objects.filter(is_active=True).order_by("position", "code")
    ]


def case_type_codes(organisation: Organisation) -> list[Code]:
    """The case types the organisation's charter has norms for (any version), by code."""
    codes = (
        CharterNorm.objects.filter(organisation=organisation)
        .exclude(case_type="")
        .values_list("case_type", flat=True)
        .distinct()
        .order_by("case_type")
    )
    return [Code(code, product_label(code)) for code in codes]
