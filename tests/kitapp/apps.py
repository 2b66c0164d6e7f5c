"""The test-only app's configuration: it registers its kind in core's moderation registry."""

from django.apps import AppConfig


class KitAppConfig(AppConfig):
    """Registers ``kitapp.remark`` with the moderation kit, as an app's plug-ins would."""

    name = "tests.kitapp"
    label = "kitapp"
    verbose_name = "Kit test app"

    def ready(self) -> None:
        """Register the remark kind."""
        from tests.kitapp import plugins

        plugins.register()
