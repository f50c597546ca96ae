"""Fulfilment: the pick list, packing slips, partial shipments with carrier and tracking, the customer e-mailed."""

import re

from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.models import Order, Shipment
from tests.support.desk_helpers import DESK, form_value, logged_in, page, page_fields, post_page_form, quick_order
from tests.support.forms import csrf_token

ADDRESS = {"ship_name": "Pat Buyer", "ship_line1": "1 Elm Street", "ship_city": "Springfield", "ship_region": "IL",
           "ship_postal_code": "62701", "ship_country": "US", "shipping_method_name": "Media Mail"}


def book_order(**fields):
    return quick_order(lines=[{"kind": "book", "title": "Soft Tissue Release", "sku": "STR-BOOK", "quantity": 3,
                               "unit_price_cents": 4995, "is_physical": True},
                              {"kind": "combo", "title": "Release kit", "sku": "KIT", "quantity": 1,
                               "unit_price_cents": 15000, "is_physical": True},
                              {"kind": "course", "title": "Online course", "sku": "CE-1", "quantity": 1,
                               "unit_price_cents": 9900, "is_physical": False}], **ADDRESS, **fields)


def lines_of(order):
    return {line.sku: line for line in db.session.get(Order, order.id).lines}


def test_pick_list_has_paid_unshipped_physical_lines_and_totals(app):
    client, _ = logged_in(app)
    first, second = book_order(), book_order()
    unpaid = book_order(paid=False)
    html = page(client, f"{DESK}/pick-list")
    assert first.number in html and second.number in html and unpaid.number not in html
    assert "Online course" not in html  # nothing to pick for online courses
    totals = re.search(r'id="totals-heading".*?</table>', html, re.S).group(0)
    assert re.search(r"STR-BOOK</td><th[^>]*>Soft Tissue Release</th><td class=\"num\">6<", totals)
    assert "Print" in html


def test_partial_then_complete_shipment_e_mails_the_customer_each_time(app):
    client, staff = logged_in(app)
    order = book_order(email="pat@example.com")
    lines = lines_of(order)
    ship = f"{DESK}/{order.number}/ship"
    form = page(client, ship)
    assert form_value(form, f"qty-{lines['STR-BOOK'].id}") == "3"  # everything left is filled in

    response = post_page_form(client, ship, {"carrier": "USPS", "tracking_number": "9400 1000 0000 0000 0001",
                                             f"qty-{lines['STR-BOOK'].id}": "2", f"qty-{lines['KIT'].id}": "0"})
    assert response.status_code == 303
    order = db.session.get(Order, order.id)
    assert order.fulfilment_status == "partially_shipped"
    mail = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.order_id == order.id))
    shipment = db.session.scalar(db.select(Shipment).where(Shipment.order_id == order.id))
    assert mail.dedupe_key == f"shipment:{shipment.id}" and mail.to_address == "pat@example.com"
    assert "partly shipped" in mail.subject
    assert "USPS" in mail.text_body and "9400 1000 0000 0000 0001" in mail.text_body
    assert "2 x Soft Tissue Release" in mail.text_body and "Release kit" not in mail.text_body
    assert "tools.usps.com" in mail.html_body

    slip = page(client, f"{DESK}/{order.number}/packing-slip")
    assert "Packing slip" in slip and "$49.95" not in slip  # no prices unless asked
    assert "$49.95" in page(client, f"{DESK}/{order.number}/packing-slip?prices=1")

    response = post_page_form(client, ship, {"carrier": "UPS", "tracking_number": "1Z999"})  # the rest
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Order, order.id).fulfilment_status == "shipped"
    mails = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.order_id == order.id)
                               .order_by(OutboxMessage.id)).all()
    assert len(mails) == 2 and "has shipped" in mails[1].subject and "1 x Soft Tissue Release" in mails[1].text_body
    html = page(client, f"{DESK}/{order.number}")
    assert "Partly shipped: 2 items by USPS" in html and "Shipped: 2 items by UPS" in html
    assert order.number not in page(client, f"{DESK}/pick-list")


def test_shipping_more_than_is_left_or_nothing_is_refused(app):
    client, _ = logged_in(app)
    order = book_order()
    lines = lines_of(order)
    ship = f"{DESK}/{order.number}/ship"
    too_many = post_page_form(client, ship, {"carrier": "USPS", f"qty-{lines['STR-BOOK'].id}": "4"})
    assert too_many.status_code == 422 and "ship between 0 and 3" in too_many.get_data(as_text=True)
    nothing = post_page_form(client, ship, {"carrier": "USPS", f"qty-{lines['STR-BOOK'].id}": "0",
                                            f"qty-{lines['KIT'].id}": "0"})
    assert nothing.status_code == 422 and "Choose at least one copy" in nothing.get_data(as_text=True)
    no_carrier = post_page_form(client, ship, {"carrier": ""})
    assert no_carrier.status_code == 422 and "Enter the carrier" in no_carrier.get_data(as_text=True)
    junk = post_page_form(client, ship, {"carrier": "USPS", f"qty-{lines['STR-BOOK'].id}": "two"})
    assert junk.status_code == 422 and "whole number" in junk.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Shipment.id))) == 0


def test_two_staff_shipping_from_the_same_page_ship_once(app):
    order = book_order()
    first, _ = logged_in(app)
    second, _ = logged_in(app)
    ship = f"{DESK}/{order.number}/ship"
    pages = [page(first, ship), page(second, ship)]
    answers = [client.post(ship, data={**page_fields(html), "carrier": "USPS"})
               for client, html in zip((first, second), pages, strict=True)]
    assert [a.status_code for a in answers] == [303, 409]
    assert "changed by someone else" in answers[1].get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Shipment.id))) == 1


def test_unpaid_orders_are_not_shipped(app):
    client, _ = logged_in(app)
    order = book_order(paid=False)
    html = page(client, f"{DESK}/{order.number}/ship")
    assert "only paid orders are shipped" in html
    response = client.post(f"{DESK}/{order.number}/ship", data={
        "csrf_token": csrf_token(html), "version": "1", "carrier": "USPS"})
    assert response.status_code == 409
