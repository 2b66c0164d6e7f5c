"""The voice area of the participation app."""
