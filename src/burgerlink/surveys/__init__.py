"""Surveys app: satisfaction measurement around life events."""
