"""Models of the participation app, one module per area (petitions, voice, consultations, ...)."""

__all__: list[str] = []
