"""The customer's pages: the catalogue and product pages, special offers, the cart, checkout, a payment
link's page, My account and the information pages.

Pages that show several domains at once live here, above them (a product page shows the catalogue and
live promotions; the cart page prices with shop.quote; My account lists orders and courses), so that no
domain package has to import another one above it. Each module is one blueprint; they read a form, call
the domains' services and render or redirect.
"""
