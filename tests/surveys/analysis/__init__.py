"""Tests of the survey analysis engine (pure numpy; checked against scipy and statsmodels)."""
