"""Shipping methods and their prices, kept in the database."""
