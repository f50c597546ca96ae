"""Promotions set up by marketing: offers, codes, limits, redemptions; the bridge to pricing."""
