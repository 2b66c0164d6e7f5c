"""API app: mounts each capability's ninja router under /api/v1/."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The ninja API; holds no models."""

    name = "burgerlink.api"
    label = "api"
    verbose_name = "API"
