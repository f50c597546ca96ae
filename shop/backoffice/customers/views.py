"""The customer pages of the back office."""

from shop.backoffice.customers import bp

__all__ = ["bp"]
