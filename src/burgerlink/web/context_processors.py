"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from burgerlink.core import permissions


def platform(request: HttpRequest) -> dict[str, Any]:
    """Expose the platform name, whether the visitor is staff, and the map tile server."""
    user = getattr(request, "user", None)
    return {
        "platform_name": settings.PLATFORM_NAME,
        "is_staff_member": permissions.is_staff_member(user) if user else False,
        "is_platform_operator": permissions.is_platform_operator(user) if user else False,
        "map_tiles": {
            "url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "max_zoom": settings.MAP_TILE_MAX_ZOOM,
        },
    }
