"""Participation app: petitions and the official voice (issue 11), consultations, council votes,
panels, ideas, budgets and neighbourhood reports to come; one sub-package per area."""
