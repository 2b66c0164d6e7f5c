"""Surveys app: questionnaires, fieldwork, responses, analysis, reports and exports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Registers the surveys' scorecard evidence, dashboard panels, links and demo step."""

    name = "burgerlink.surveys"
    label = "surveys"
    verbose_name = _("Tevredenheidsmeting")

    def ready(self) -> None:
        """Plug into core's registries."""
        from burgerlink.surveys import plugins

        plugins.register()
