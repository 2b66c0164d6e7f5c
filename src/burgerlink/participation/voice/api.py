"""API endpoints of the participation app's voice area."""

from ninja import Router

router = Router(tags=["participation"])
