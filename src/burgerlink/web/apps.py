"""Web app: public pages, the staff area, base templates and static assets."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Holds templates, static files and the page views."""

    name = "burgerlink.web"
    label = "web"
    verbose_name = _("Website")
