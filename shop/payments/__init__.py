"""The card processor, behind a small interface: shop.payments.gateway says what the shop needs from one,
and `gateway.processor()` is the one way to reach the configured one; stripe_gateway.py is the only
module that imports stripe. What a payment does to an order is shop.orders.payment."""
