"""What a moderated model carries: its state, the moderator's reason, who and when, flags.

``ModeratedMixin`` is abstract: an app's model inherits it next to its own fields (its
``organisation`` foreign key and creation time included) and registers a ``ModerationSource``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationState(models.TextChoices):
    """Where an item stands: waiting, public, refused before publication, or taken down."""

    PENDING = "pending", _("Wacht op beoordeling")
    PUBLISHED = "published", _("Gepubliceerd")
    REJECTED = "rejected", _("Afgewezen")
    HIDDEN = "hidden", _("Verborgen")


class ModerationAction(models.TextChoices):
    """What a moderator can do to an item."""

    PUBLISH = "publish", _("Publiceren")
    REJECT = "reject", _("Afwijzen")
    HIDE = "hide", _("Verbergen")
    RESTORE = "restore", _("Terugzetten")
    DISMISS_FLAGS = "dismiss_flags", _("Meldingen afhandelen (zichtbaar laten)")


class ModeratedMixin(models.Model):
    """Fields of anything citizens post that staff moderate (petitions, ideas, comments, ...).

    New items start ``pending`` (pre-moderation); an app that moderates afterwards creates
    them ``published``. Citizens' flags count up in ``flag_count`` until a moderator acts.
    """

    moderation_state = models.CharField(
        _("moderatiestatus"),
        max_length=12,
        choices=ModerationState.choices,
        default=ModerationState.PENDING,
        db_index=True,
        help_text=_("Wacht op beoordeling, gepubliceerd, afgewezen of verborgen."),
    )
    moderation_reason = models.TextField(
        _("reden van de moderator"),
        blank=True,
        help_text=_(
            "Waarom het is afgewezen of verborgen; de schrijver krijgt deze reden te zien."
        ),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemodereerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De medewerker die het laatst over dit bericht besliste."),
    )
    moderated_at = models.DateTimeField(
        _("gemodereerd op"),
        null=True,
        blank=True,
        help_text=_("Wanneer de laatste beslissing van een moderator viel."),
    )
    flag_count = models.PositiveIntegerField(
        _("meldingen"),
        default=0,
        help_text=_("Hoe vaak bezoekers dit als ongepast meldden sinds de laatste beslissing."),
    )
    flagged_at = models.DateTimeField(
        _("eerste melding"),
        null=True,
        blank=True,
        help_text=_("Wanneer het eerst gemeld werd sinds de laatste beslissing."),
    )

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        """Whether the public may see the item."""
        return self.moderation_state == ModerationState.PUBLISHED
