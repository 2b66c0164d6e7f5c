"""Charters app: model norms, quality charters, service records, compliance, compensation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartersConfig(AppConfig):
    """Registers the charters' scorecard evidence, dashboard panel and demo step."""

    name = "burgerlink.charters"
    label = "charters"
    verbose_name = _("Servicekwaliteit")

    def ready(self) -> None:
        """Plug into core's registries (scorecard, dashboard, demo)."""
        from burgerlink.charters import plugins

        plugins.register()
