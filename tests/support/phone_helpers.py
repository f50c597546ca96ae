"""Driving the phone order page as staff do (the posts its forms make), for the integration tests."""

import re

from shop.extensions import db
from shop.orders.models import Order
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import csrf_token, log_in, soup

NEW = "/backoffice/phone/new"
ADDRESS = {"ship_name": "Pat Caller", "ship_line1": "12 Harbor Street", "ship_city": "Portland", "ship_region": "ME",
           "ship_postal_code": "04101", "ship_country": "US"}


def staff_client(app, email="staff@example.com"):
    staff = UserFactory(role="staff", email=email, full_name="Sam Staff")
    client = app.test_client()
    log_in(client, staff.email, DEFAULT_PASSWORD)
    return client, staff


class PhoneDesk:
    """One staff member keying one phone order in."""

    def __init__(self, client):
        self.client = client
        self.draft = ""
        self.token = csrf_token(client.get(NEW).get_data(as_text=True))

    def page(self, **args):
        query = {"draft": self.draft, **args} if self.draft else args
        return self.client.get(NEW, query_string=query)

    def post(self, path, data=None, json=False, **kwargs):
        fields = {"csrf_token": self.token, "draft": self.draft, **(data or {})}
        headers = {"Accept": "application/json"} if json else {}
        response = self.client.post(f"/backoffice/phone{path}", data=fields, headers=headers, **kwargs)
        found = re.search(r"draft=(phone-[0-9a-f]+)", response.headers.get("Location", ""))
        if found:
            self.draft = found.group(1)
        return response

    def find(self, query):
        return self.page(q=query).get_data(as_text=True)

    def use_first_caller(self, query):
        key = soup(self.find(query)).find("input", attrs={"name": "key", "value": True})
        assert key, f"no caller found for {query!r}"
        return self.post("/draft/caller", {"key": key["value"]})

    def add(self, item, quantity=1):
        return self.post("/draft/items", {"item": item, "quantity": str(quantity)})

    def details(self, shipping="us-media-mail", **extra):
        return {**ADDRESS, "shipping_method": shipping, "caller_phone": "207 555 0142",
                "call_notes": "Wants it before the seminar.", **extra}

    def place(self, payment, payment_method_id="", json=None, **extra):
        data = {**self.details(**extra), "payment": payment, "payment_method_id": payment_method_id}
        return self.post("/draft/place", data, json=payment == "card" if json is None else json)

    def order(self):
        from shop.cart.models import Cart

        cart = db.session.execute(db.select(Cart).filter_by(token=self.draft)).scalar_one_or_none()
        if cart is not None:
            return db.session.execute(db.select(Order).filter_by(cart_id=cart.id).order_by(Order.id.desc())
                                      ).scalars().first()
        return db.session.execute(db.select(Order).order_by(Order.id.desc())).scalars().first()
