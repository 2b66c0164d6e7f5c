"""API endpoints of the surveys app's questionnaires area."""

from ninja import Router

router = Router(tags=["surveys"])
