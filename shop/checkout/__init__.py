"""Checkout: the place-order pipeline, its form, what a browser remembers of checking out, and the Stripe
webhook route (the checkout pages themselves are shop.storefront.checkout)."""
