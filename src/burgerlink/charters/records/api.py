"""API endpoints of the charters app's records area."""

from ninja import Router

router = Router(tags=["service quality"])
