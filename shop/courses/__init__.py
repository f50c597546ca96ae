"""Courses a customer owns."""
