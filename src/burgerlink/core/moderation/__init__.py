"""Moderation of anything citizens post: a registry of kinds, decisions, and one queue.

An app makes a model moderated by inheriting ``ModeratedMixin`` and registering a
``ModerationSource`` in its plug-ins; staff judge the items of every kind in one queue
(``/medewerkers/<slug>/moderatie/``). See ``docs/architecture.md``.
"""

from burgerlink.core.moderation.models import ModeratedMixin, ModerationAction, ModerationState
from burgerlink.core.moderation.registry import (
    ModerationSource,
    UnknownKindError,
    register,
    source,
    source_for,
    sources,
)

__all__ = [
    "ModeratedMixin",
    "ModerationAction",
    "ModerationSource",
    "ModerationState",
    "UnknownKindError",
    "register",
    "source",
    "source_for",
    "sources",
]
