"""Petitions and their signatures (issue 11 §1)."""
