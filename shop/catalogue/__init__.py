"""The catalogue: products, categories, search and the storefront pages that show them."""

from shop.catalogue import derived  # noqa: F401  (keeps derived product fields right on every flush)
