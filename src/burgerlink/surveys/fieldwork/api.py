"""API endpoints of the surveys app's fieldwork area."""

from ninja import Router

router = Router(tags=["surveys"])
