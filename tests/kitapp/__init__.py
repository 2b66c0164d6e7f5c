"""A test-only app that uses core's kits (moderation, geo) the way a capability app does.

It is installed only under pytest (``settings.py``), so core's tests need no capability app.
"""
