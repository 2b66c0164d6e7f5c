"""API endpoints of the surveys app's respond area."""

from ninja import Router

router = Router(tags=["surveys"])
