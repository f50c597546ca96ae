"""The cart: what a visitor is about to buy, and its conversion to a pricing cart."""
