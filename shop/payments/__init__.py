"""Payments: a small provider interface; stripe_gateway.py is the only module importing stripe."""
