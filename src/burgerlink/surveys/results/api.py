"""API endpoints of the surveys app's results area."""

from ninja import Router

router = Router(tags=["surveys"])
