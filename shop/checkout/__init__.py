"""Checkout: the place-order pipeline, its form and views, and the Stripe webhook route."""
