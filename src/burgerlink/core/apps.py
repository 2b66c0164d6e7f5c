"""Core app: organisations, people and roles, the BurgerServiceCode, catalogues and calendars."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Registers the core app and its own evidence source for the scorecard."""

    name = "burgerlink.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        """Connect signal handlers, register the self-assessment as evidence, watch tasks."""
        from burgerlink.core import privacy_core, schedule_jobs, scorecard, signals  # noqa: F401
        from burgerlink.core.observability import tasks as observed_tasks

        scorecard.register_source(scorecard.SelfAssessmentSource())
        observed_tasks.connect()
        schedule_jobs.register()
        privacy_core.register()
