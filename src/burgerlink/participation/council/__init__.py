"""The council voting records area of the participation app (issue 11 §3)."""
