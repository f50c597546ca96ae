"""The sales-tax rates page of the back office."""

from shop.backoffice.tax import bp

__all__ = ["bp"]
