"""The participation app is installed, held to the import rule, and mounts its areas."""

from __future__ import annotations

from django.apps import apps
from django.urls import get_resolver

from tests.test_architecture import capability_apps


def test_the_app_is_installed_as_a_capability_app() -> None:
    config = apps.get_app_config("participation")
    assert config.name == "burgerlink.participation"
    assert "participation" in capability_apps()


def test_the_root_urlconf_includes_the_participation_namespace() -> None:
    assert "participation" in get_resolver().namespace_dict
