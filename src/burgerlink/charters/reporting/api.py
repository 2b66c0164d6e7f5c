"""API endpoints of the charters app's reporting area."""

from ninja import Router

router = Router(tags=["service quality"])
