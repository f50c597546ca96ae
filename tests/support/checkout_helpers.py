"""Driving the shop as a customer does: cart, checkout page, place order (as checkout.js posts it)."""

import threading

from shop.extensions import db
from shop.shipping import services as shipping
from tests.support.forms import csrf_token, input_value, soup

ADDRESS = {"ship_line1": "12 Elm Street", "ship_city": "Springfield", "ship_region": "IL",
           "ship_postal_code": "62701", "ship_country": "US"}


def add_to_cart(client, product, quantity=1):
    token = csrf_token(client.get(f"/products/{product.slug}").get_data(as_text=True))
    return client.post("/cart/add", data={"csrf_token": token, "product_id": product.id, "quantity": quantity})


def checkout_page(client):
    html = client.get("/checkout").get_data(as_text=True)
    page = soup(html)
    return {"csrf_token": csrf_token(page), "checkout_token": input_value(page, "checkout_token")}, html


def place(client, payment_method_id, form=None, email="buyer@example.com", shipping_code="us-media-mail", **extra):
    if form is None:
        form, _ = checkout_page(client)
    data = {**form, "email": email, "full_name": "Pat Buyer", "payment_method_id": payment_method_id,
            "shipping_method": shipping_code, **ADDRESS, **extra}
    return client.post("/checkout/place", data=data, headers={"Accept": "application/json"})


def seed_shipping():
    shipping.seed_defaults()
    db.session.commit()


def place_all_at_once(prepared):
    """Each (client, form, payment method, email) places its order at the same moment, one thread each,
    released together by a barrier. Returns [(status code, outcome)] in the same order."""
    barrier = threading.Barrier(len(prepared))
    results = [None] * len(prepared)

    def buy(index):
        client, form, pm, email = prepared[index]
        barrier.wait()
        response = place(client, pm, form=form, email=email)
        results[index] = (response.status_code, (response.get_json() or {}).get("status"))

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(len(prepared))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results
