"""What the test-only app registers: the remark kind, with a hook that records its calls."""

from __future__ import annotations

from burgerlink.core import moderation
from burgerlink.core.moderation import ModerationAction
from tests.kitapp.models import Remark, Reply

# (remark id, action) per call of the hook, so tests see that apps hear of each decision.
HEARD: list[tuple[int, str]] = []


def heard(remark: Remark, action: ModerationAction) -> None:
    """Remember that the app heard of a decision."""
    HEARD.append((remark.pk, str(action)))


def register() -> None:
    """Register remarks and replies as moderated kinds."""
    moderation.register(
        moderation.ModerationSource(
            code="kitapp.remark",
            label="Opmerking",
            model=Remark,
            text=lambda remark: remark.body,
            author=lambda remark: remark.author_name,
            url=lambda remark: f"/opmerkingen/{remark.pk}/",
            on_moderated=heard,
        )
    )
    moderation.register(
        moderation.ModerationSource(
            code="kitapp.reply",
            label="Reactie",
            model=Reply,
            text=lambda reply: reply.body,
            organisation_field="remark__organisation",
            created_field="posted_at",
            select_related=("remark",),
        )
    )
