"""Reads of the moderation kit: the queue of one organisation across every registered kind."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from burgerlink.core.models import Organisation
from burgerlink.core.moderation import registry
from burgerlink.core.moderation.models import ModeratedMixin, ModerationAction, ModerationState
from burgerlink.core.moderation.services import TRANSITIONS, action_fits, item_key

# The queue's default view: what waits for a moderator (pending, or public and flagged).
OPEN = "open"
VIEWS: list[tuple[str, Any]] = [(OPEN, _("Te beoordelen")), *ModerationState.choices]
TEXT_LIMIT = 400


@dataclass(frozen=True)
class QueueItem:
    """One row of the queue: a posted item and what the moderator needs to judge it."""

    source: registry.ModerationSource[Any]
    item: ModeratedMixin
    created_at: datetime

    @property
    def key(self) -> str:
        """The item's key in a selection (``<kind>:<id>``)."""
        return item_key(self.source.code, self.item.pk)

    @property
    def text(self) -> str:
        """What the item says, shortened for the queue."""
        text = " ".join(self.source.text(self.item).split())
        return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"

    @property
    def author(self) -> str:
        """Who posted it, as the app shows it ("" when the app names no one)."""
        return self.source.author(self.item) if self.source.author else ""

    @property
    def url(self) -> str | None:
        """The item's public page, when the app has one."""
        return self.source.url(self.item) if self.source.url else None

    @property
    def state_label(self) -> str:
        """The item's state in words."""
        return str(ModerationState(self.item.moderation_state).label)

    @property
    def actions(self) -> list[ModerationAction]:
        """The actions that fit the item now."""
        return [action for action in TRANSITIONS if action_fits(self.item, action)]


@dataclass(frozen=True)
class QueuePage:
    """A page of the queue and the number of items in the whole view."""

    items: list[QueueItem]
    total: int


def _in_view(view: str) -> Q:
    if view == OPEN:
        return Q(moderation_state=ModerationState.PENDING) | Q(
            moderation_state=ModerationState.PUBLISHED, flag_count__gt=0
        )
    return Q(moderation_state=ModerationState(view))


def _rows(
    source: registry.ModerationSource[Any], organisation: Organisation, view: str
) -> QuerySet[ModeratedMixin]:
    model: type[ModeratedMixin] = source.model
    return model._default_manager.filter(
        _in_view(view), **{source.organisation_field: organisation}
    )


def queue(
    organisation: Organisation,
    *,
    kinds: Collection[str] = (),
    view: str = OPEN,
    offset: int = 0,
    limit: int = 50,
) -> QueuePage:
    """Return one page of ``organisation``'s queue over the chosen kinds (all when empty).

    Waiting items come oldest first (first in, first judged); the other views newest first.
    Each kind is asked for at most ``offset + limit`` rows and the rows are merged in order.
    """
    chosen = [source for source in registry.sources() if not kinds or source.code in kinds]
    newest_first = view != OPEN and view != ModerationState.PENDING
    total = 0
    streams: list[Iterator[QueueItem]] = []
    for source in chosen:
        rows = _rows(source, organisation, view)
        total += rows.count()
        order = f"-{source.created_field}" if newest_first else source.created_field
        fetched = rows.select_related("moderated_by", *source.select_related).order_by(
            order, "-pk" if newest_first else "pk"
        )[: offset + limit]
        streams.append(_stream(source, fetched))
    merged = heapq.merge(
        *streams,
        key=lambda row: (row.created_at, row.source.code, row.item.pk),
        reverse=newest_first,
    )
    return QueuePage(items=list(itertools.islice(merged, offset, offset + limit)), total=total)


def _stream(
    source: registry.ModerationSource[Any], rows: QuerySet[ModeratedMixin]
) -> Iterator[QueueItem]:
    for item in rows:
        yield QueueItem(source, item, _created(item, source.created_field))


def _created(item: ModeratedMixin, path: str) -> datetime:
    value: Any = item
    for part in path.split("__"):
        value = getattr(value, part)
    if not isinstance(value, datetime):
        raise TypeError(f"{path} is no date and time")
    return value


def open_counts(organisation: Organisation) -> dict[str, int]:
    """Return how many items wait for a moderator, per kind code."""
    return {source.code: _rows(source, organisation, OPEN).count() for source in registry.sources()}
