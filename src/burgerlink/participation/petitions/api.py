"""API endpoints of the participation app's petitions area."""

from ninja import Router

router = Router(tags=["participation"])
