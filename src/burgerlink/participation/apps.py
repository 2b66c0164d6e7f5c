"""Participation app: citizens' input and the organisation's answer to it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Registers each participation area's links, panels, demo steps and other plug-ins."""

    name = "burgerlink.participation"
    label = "participation"
    verbose_name = _("Participatie")

    def ready(self) -> None:
        """Plug every area into core's registries (dashboard, demo, moderation, ...)."""
        from burgerlink.participation import plugins

        plugins.register()
