"""API endpoints of the charters app's charter area."""

from ninja import Router

router = Router(tags=["service quality"])
