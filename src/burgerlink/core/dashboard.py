"""Panels on an organisation's staff dashboard, contributed by each capability.

An app registers a ``Panel`` in its ``AppConfig.ready``; the dashboard shows every panel the
member's permissions allow, in registration order. Like the scorecard registry, this keeps
``core`` and ``web`` free of imports from the capability apps.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm


@dataclass(frozen=True)
class Panel:
    """A block on the dashboard: a template and the context it needs."""

    code: str
    title: str | Promise
    template: str
    context: Callable[[Organisation], dict[str, Any]]
    perm: Perm = Perm.VIEW_DASHBOARD


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Add (or replace, by code) a dashboard panel."""
    _PANELS[panel.code] = panel


def panels_for(perms: AbstractSet[Perm]) -> list[Panel]:
    """Return the panels a member with ``perms`` may see."""
    return [panel for panel in _PANELS.values() if panel.perm in perms]


@dataclass(frozen=True)
class Link:
    """A link a capability adds to the staff menu or to an organisation's public page.

    ``url_name`` is reversed with the organisation's slug as its only argument.
    """

    code: str
    label: str | Promise
    url_name: str
    perm: Perm = Perm.VIEW_DASHBOARD


_STAFF_LINKS: dict[str, Link] = {}
_PUBLIC_LINKS: dict[str, Link] = {}


def register_staff_link(link: Link) -> None:
    """Add an item to the staff menu of every organisation (shown with ``link.perm``)."""
    _STAFF_LINKS[link.code] = link


def register_public_link(link: Link) -> None:
    """Add a link to every organisation's public page."""
    _PUBLIC_LINKS[link.code] = link


def staff_links_for(perms: AbstractSet[Perm]) -> list[Link]:
    """Return the staff menu items a member with ``perms`` may use."""
    return [link for link in _STAFF_LINKS.values() if link.perm in perms]


def public_links() -> list[Link]:
    """Return the links for organisations' public pages."""
    return list(_PUBLIC_LINKS.values())
