"""API endpoints of the charters app's compensation area."""

from ninja import Router

router = Router(tags=["service quality"])
