"""The registry through which apps say what citizens can post: one ``ModerationSource`` per kind.

An app registers its kinds in its ``AppConfig.ready`` (through its plug-ins); core never imports
the app. The moderation queue lists the items of every registered kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.utils.functional import Promise

from burgerlink.core.moderation.models import ModeratedMixin, ModerationAction

M = TypeVar("M", bound=ModeratedMixin)


@dataclass(frozen=True)
class ModerationSource(Generic[M]):
    """One kind of posted item: its model and how the queue shows it.

    ``code`` names the kind (``<app>.<what>``, e.g. ``participation.petition``) in URLs, forms
    and the audit log. ``text`` gives what a moderator reads (title and body, shortened by the
    queue); ``author`` the name shown for who posted it (a pseudonym is fine); ``url`` the public
    page of the item. ``on_moderated(item, action)`` runs inside the moderation's transaction
    after each change, for the app's own follow-up: telling the author the reason (mail through
    ``core.notify``, which sends after commit), updating a count. ``organisation_field`` and
    ``created_field`` are paths the queue filters and orders on.
    """

    code: str
    label: str | Promise
    model: type[M]
    text: Callable[[M], str]
    author: Callable[[M], str] | None = None
    url: Callable[[M], str | None] | None = None
    on_moderated: Callable[[M, ModerationAction], None] | None = None
    organisation_field: str = "organisation"
    created_field: str = "created_at"
    select_related: tuple[str, ...] = ()


_SOURCES: dict[str, ModerationSource[Any]] = {}


class UnknownKindError(KeyError):
    """No source is registered under this code."""


def register(source: ModerationSource[Any]) -> None:
    """Add (or replace, by code) a kind of moderated item."""
    if ":" in source.code:
        raise ValueError("A moderation kind's code may not contain ':' (it separates the id).")
    _SOURCES[source.code] = source


def sources() -> list[ModerationSource[Any]]:
    """Return every registered kind, in registration order."""
    return list(_SOURCES.values())


def source(code: str) -> ModerationSource[Any]:
    """Return the kind registered under ``code``; ``UnknownKindError`` when there is none."""
    try:
        return _SOURCES[code]
    except KeyError:
        raise UnknownKindError(code) from None


def source_for(item: ModeratedMixin) -> ModerationSource[Any]:
    """Return the kind whose model ``item`` is an instance of."""
    for candidate in _SOURCES.values():
        if isinstance(item, candidate.model):
            return candidate
    raise UnknownKindError(type(item).__name__)
