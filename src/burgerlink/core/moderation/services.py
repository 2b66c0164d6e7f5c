"""Writes of the moderation kit: a moderator's decision on a selection of items, a visitor's flag.

Every decision is one transaction over the whole selection: each item changes state, gets the
moderator and time, loses its flags, gets one audit line, and its source's ``on_moderated`` runs.
Items that the action does not fit (publishing what is already public) are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from burgerlink.core.models import Organisation, User
from burgerlink.core.moderation import registry
from burgerlink.core.moderation.models import ModeratedMixin, ModerationAction, ModerationState
from burgerlink.core.services import record_audit

State = ModerationState
Action = ModerationAction

# Which states an action applies to, and the state it leads to.
TRANSITIONS: dict[ModerationAction, tuple[frozenset[str], ModerationState]] = {
    Action.PUBLISH: (frozenset({State.PENDING, State.REJECTED}), State.PUBLISHED),
    Action.REJECT: (frozenset({State.PENDING}), State.REJECTED),
    Action.HIDE: (frozenset({State.PENDING, State.PUBLISHED}), State.HIDDEN),
    Action.RESTORE: (frozenset({State.HIDDEN}), State.PUBLISHED),
    Action.DISMISS_FLAGS: (frozenset({State.PUBLISHED}), State.PUBLISHED),
}
# The author is told why: these actions need a reason, which is stored with the item.
NEEDS_REASON = frozenset({Action.REJECT, Action.HIDE})
MAX_SELECTION = 500
_KEY = re.compile(r"^([a-z0-9_.]+):([0-9]{1,18})$")


class ModerationError(ValidationError):
    """A decision that cannot be carried out as asked; the message reads in Dutch."""


@dataclass(frozen=True)
class ModerationOutcome:
    """How many items of a selection changed, and how many the action did not fit."""

    done: int
    skipped: int


def item_key(code: str, pk: object) -> str:
    """Return the key of one item in a selection: ``<kind>:<id>``."""
    return f"{code}:{pk}"


def action_fits(item: ModeratedMixin, action: ModerationAction) -> bool:
    """Return whether ``action`` applies to ``item`` in its current state."""
    states, _target = TRANSITIONS[action]
    if action == Action.DISMISS_FLAGS and item.flag_count == 0:
        return False
    return item.moderation_state in states


def parse_selection(keys: Iterable[str]) -> dict[str, list[int]]:
    """Group selection keys by kind; ``ModerationError`` for a malformed key or unknown kind."""
    grouped: dict[str, list[int]] = {}
    for key in keys:
        match = _KEY.match(key)
        if match is None:
            raise ModerationError(_("De keuze bevat een onbekend bericht."))
        code, pk = match.group(1), int(match.group(2))
        try:
            registry.source(code)
        except registry.UnknownKindError:
            raise ModerationError(_("De keuze bevat een onbekende soort bericht.")) from None
        grouped.setdefault(code, []).append(pk)
    if sum(len(ids) for ids in grouped.values()) > MAX_SELECTION:
        raise ModerationError(
            _("Kies hoogstens %(max)d berichten tegelijk.") % {"max": MAX_SELECTION}
        )
    return grouped


def moderate(
    *,
    organisation: Organisation,
    selection: Iterable[str],
    action: ModerationAction | str,
    reason: str = "",
    by: User,
) -> ModerationOutcome:
    """Apply one moderator's ``action`` to the selected items of ``organisation``.

    ``selection`` holds keys from ``item_key``; items of other organisations are not found and
    count as skipped, like items the action does not fit.
    """
    action = ModerationAction(action)
    reason = reason.strip()
    if action in NEEDS_REASON and not reason:
        raise ModerationError(_("Geef een reden: de schrijver krijgt die te zien."))
    grouped = parse_selection(selection)
    requested = sum(len(set(ids)) for ids in grouped.values())
    if not requested:
        raise ModerationError(_("Kies eerst een of meer berichten."))
    done = 0
    now = timezone.now()
    with transaction.atomic():
        for code, ids in grouped.items():
            source = registry.source(code)
            rows = (
                source.model._default_manager.select_for_update(of=("self",))
                .filter(**{source.organisation_field: organisation, "pk__in": set(ids)})
                .order_by("pk")
            )
            for item in rows:
                if not action_fits(item, action):
                    continue
                _apply(item, action, reason=reason, by=by, at=now)
                record_audit(
                    action=f"moderation.{action.value}",
                    actor=by,
                    organisation=organisation,
                    obj=item,
                    summary=_audit_summary(source, item, reason),
                )
                if source.on_moderated is not None:
                    source.on_moderated(item, action)
                done += 1
    return ModerationOutcome(done=done, skipped=requested - done)


def _apply(
    item: ModeratedMixin, action: ModerationAction, *, reason: str, by: User, at: datetime
) -> None:
    _states, target = TRANSITIONS[action]
    item.moderation_state = target
    if action in NEEDS_REASON:
        item.moderation_reason = reason
    elif target == State.PUBLISHED:
        item.moderation_reason = ""  # a reason for refusing no longer applies once public
    item.moderated_by = by
    item.moderated_at = at
    # The moderator has seen the flags: counting starts again from this decision.
    item.flag_count = 0
    item.flagged_at = None
    item.save(
        update_fields=[
            "moderation_state",
            "moderation_reason",
            "moderated_by",
            "moderated_at",
            "flag_count",
            "flagged_at",
        ]
    )


def _audit_summary(
    source: registry.ModerationSource[ModeratedMixin], item: ModeratedMixin, reason: str
) -> str:
    text = " ".join(source.text(item).split())
    summary = f"{source.code}: {text[:160]}"
    return f"{summary} (reden: {reason})" if reason else summary


def flag_item(item: ModeratedMixin) -> None:
    """Count a visitor's report that ``item`` is inappropriate; it shows in the queue.

    One UPDATE without reading first, so simultaneous flags are all counted. Rate limits and
    who may flag are the app's concern.
    """
    type(item)._default_manager.filter(pk=item.pk).update(
        flag_count=F("flag_count") + 1,
        flagged_at=Coalesce(
            "flagged_at", Value(timezone.now(), output_field=models.DateTimeField())
        ),
    )
