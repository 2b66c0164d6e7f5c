"""Models of the test-only app: moderated remarks and replies, located spots."""

from __future__ import annotations

from django.db import models

from burgerlink.core.geo.models import Located
from burgerlink.core.moderation import ModeratedMixin


class Remark(ModeratedMixin):
    """Something a citizen posted to an organisation."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", help_text="Addressee."
    )
    body = models.TextField(help_text="What the citizen wrote.")
    author_name = models.CharField(max_length=80, blank=True, help_text="Name shown.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was posted.")

    def __str__(self) -> str:
        return self.body[:40]


class Reply(ModeratedMixin):
    """A reply to a remark: its organisation is the remark's (a path, not a field of its own)."""

    remark = models.ForeignKey(
        Remark, on_delete=models.CASCADE, related_name="replies", help_text="Replied to."
    )
    body = models.TextField(help_text="What the citizen wrote.")
    posted_at = models.DateTimeField(help_text="When it was posted.")

    def __str__(self) -> str:
        return self.body[:40]


class Spot(Located):
    """A named place of an organisation (a bench, a lamp post)."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", help_text="Owner."
    )
    name = models.CharField(max_length=80, help_text="What is there.")

    def __str__(self) -> str:
        return self.name
