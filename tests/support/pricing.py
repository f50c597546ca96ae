"""Pricing test data shared by the unit tests: one fixed moment, so offers' schedules never depend on the clock."""

from datetime import datetime

NOW = datetime(2026, 11, 24, 12, 0)
