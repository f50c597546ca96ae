"""The order list's exports (its filters as CSV, per order or per line), the day book of payments and refunds,
and work on ticked orders: their packing slips together, "shipped" with one carrier, or exported."""

import csv
import io

from sqlalchemy import func, select

from shop.core.timeutil import to_shop_time
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.models import Order, OrderLine, Payment, Refund, Shipment
from tests.support.desk_helpers import DESK, logged_in, page, quick_order
from tests.support.forms import csrf_token, soup

ADDRESS = {"ship_name": "Pat Buyer", "ship_line1": "1 Elm Street", "ship_city": "Columbus", "ship_region": "OH",
           "ship_postal_code": "43004", "ship_country": "US", "shipping_method_name": "Media Mail"}
BOOK = {"kind": "book", "title": "Soft Tissue Release", "sku": "STR-BOOK", "quantity": 2, "unit_price_cents": 4995,
        "is_physical": True}
COURSE = {"kind": "course", "title": "Myofascial release", "sku": "CE-MFR", "quantity": 1, "unit_price_cents": 9900,
          "is_physical": False}


def book_order(**fields):
    return quick_order(lines=[dict(BOOK), dict(COURSE)], **ADDRESS, **fields)


def rows_of(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def cents(text):
    dollars, rest = text.split(".")
    return int(dollars) * 100 + (int(rest) if not dollars.startswith("-") else -int(rest))


def list_form(client, url=DESK):
    """The bulk form's token and its 'back' field, as the list page shows them."""
    html = page(client, url)
    tree = soup(html)
    return {"csrf_token": csrf_token(tree), "back": tree.find("input", attrs={"name": "back"})["value"]}, html


def choice(order):
    order = db.session.get(Order, order.id)
    return f"{order.number}:{order.version_id}"


# ---- the list's filters as CSV ----------------------------------------------------------------------------

def test_export_holds_every_matching_order_with_totals_matching_the_database(app):
    client, _ = logged_in(app)
    web = [book_order(channel="web") for _ in range(3)]
    phone = book_order(channel="phone")
    unpaid = book_order(paid=False)
    rows = rows_of(client.get(f"{DESK}/export.csv?status=paid&channel=web&rows=order"))
    assert sorted(r["order"] for r in rows) == sorted(o.number for o in web)
    assert phone.number not in {r["order"] for r in rows} and unpaid.number not in {r["order"] for r in rows}
    expected = db.session.scalar(select(func.sum(Order.total_cents)).where(Order.status == "paid",
                                                                          Order.channel == "web"))
    assert sum(cents(r["total"]) for r in rows) == expected
    assert {r["status"] for r in rows} == {"Paid"} and {r["channel"] for r in rows} == {"Web"}


def test_export_per_line_has_one_row_per_order_line_and_their_sum_is_the_orders_subtotal(app):
    client, _ = logged_in(app)
    orders = [book_order() for _ in range(2)]
    rows = rows_of(client.get(f"{DESK}/export.csv?rows=line"))
    assert len(rows) == db.session.scalar(select(func.count(OrderLine.id))) == 4
    for order in orders:
        mine = [r for r in rows if r["order"] == order.number]
        assert {r["sku"] for r in mine} == {"STR-BOOK", "CE-MFR"}
        assert sum(cents(r["line_total"]) for r in mine) == db.session.get(Order, order.id).subtotal_cents
    assert {r["quantity"] for r in rows if r["sku"] == "STR-BOOK"} == {"2"}


def test_export_reaches_beyond_the_page_shown(app):
    client, _ = logged_in(app)
    for days in range(30):  # more than one page of 25
        quick_order(placed_days_ago=days)
    assert len(rows_of(client.get(f"{DESK}/export.csv"))) == 30


def test_export_neutralises_formulas_typed_into_names(app):
    client, _ = logged_in(app)
    quick_order(customer_name="=HYPERLINK(\"http://evil.test\")")
    (row,) = rows_of(client.get(f"{DESK}/export.csv"))
    assert row["customer"].startswith("'=")


def test_export_with_bad_filters_answers_422_with_the_message_not_a_file(app):
    client, _ = logged_in(app)
    response = client.get(f"{DESK}/export.csv?date_from=yesterday")
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert "YYYY-MM-DD" in response.get_data(as_text=True)
    assert client.get(f"{DESK}/export.csv?rows=everything").status_code == 422


def test_the_list_links_its_exports_with_its_filters(app):
    client, _ = logged_in(app)
    quick_order()
    html = page(client, f"{DESK}?status=paid")
    links = [a["href"] for a in soup(html).select(".desk-export a")]
    assert len(links) == 2 and all("status=paid" in link for link in links)
    assert any("rows=line" in link for link in links)


# ---- the day book ---------------------------------------------------------------------------------------

def test_day_book_lists_the_days_card_and_check_payments_and_refunds_and_nets_stripe(app):
    client, _ = logged_in(app)
    card = quick_order(payment_method="card")
    db.session.add(Payment(order_id=card.id, idempotency_key="k-card", intent_id="pi_card_1",
                           amount_cents=card.total_cents, status="succeeded", provider="stripe"))
    check = quick_order(payment_method="check")
    db.session.add(Payment(order_id=check.id, idempotency_key="k-check", amount_cents=check.total_cents,
                           status="succeeded", provider="check", reference="Check 1042"))
    db.session.add(Refund(order_id=card.id, amount_cents=2500, reason="Damaged cover", method="stripe",
                          provider_refund_id="re_1", idempotency_key="r-1", status="succeeded"))
    old = quick_order(placed_days_ago=3)
    db.session.add(Payment(order_id=old.id, idempotency_key="k-old", intent_id="pi_old", amount_cents=old.total_cents,
                           status="succeeded", provider="stripe"))
    db.session.commit()

    rows = rows_of(client.get(f"{DESK}/day-book.csv"))
    assert {(r["type"], r["order"]) for r in rows} == {("payment", card.number), ("payment", check.number),
                                                       ("refund", card.number)}
    refund = next(r for r in rows if r["type"] == "refund")
    assert refund["stripe_refund"] == "re_1" and refund["payment_intent"] == "pi_card_1"
    assert cents(refund["amount"]) == -2500 and refund["stripe_fee"] == ""
    assert next(r for r in rows if r["order"] == check.number)["reference"] == "Check 1042"

    html = page(client, f"{DESK}/day-book")
    net = card.total_cents - 2500
    assert f"${net // 100}.{net % 100:02d}" in html and "pi_card_1" in html and "re_1" in html
    day = to_shop_time(old.placed_at, app.config["SHOP_TIMEZONE"]).date().isoformat()  # the shop's day, not UTC's
    assert "pi_old" in page(client, f"{DESK}/day-book?day={day}")


def test_day_book_refuses_a_bad_day_with_a_message(app):
    client, _ = logged_in(app)
    response = client.get(f"{DESK}/day-book?day=31/12/2026")
    assert response.status_code == 422 and "YYYY-MM-DD" in response.get_data(as_text=True)
    assert client.get(f"{DESK}/day-book.csv?day=not-a-day").status_code == 422


def test_the_day_book_is_reached_from_the_order_list(app):
    client, _ = logged_in(app)
    assert f'href="{DESK}/day-book"' in page(client, DESK)


# ---- ticked orders -----------------------------------------------------------------------------------------

def test_packing_slips_of_ticked_orders_print_together_leaving_out_orders_with_nothing_to_ship(app):
    client, _ = logged_in(app)
    first, second = book_order(), book_order()
    online = quick_order()
    fields, _ = list_form(client)
    response = client.post(f"{DESK}/bulk", data={**fields, "action": "slips",
                                                 "order": [choice(first), choice(second), choice(online)]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    slips = soup(html).select("article.packing-slip")
    assert len(slips) == 2
    assert {first.number, second.number} <= set(html.split()) | {s.find("strong").text for s in slips}
    assert online.number not in html.split("packing-slips", 1)[1]
    assert "1 of the 3 ticked orders ship nothing" in html and "data-print" in html


def test_mark_ticked_orders_shipped_with_one_carrier_e_mails_each_and_reports_those_refused(app):
    client, _ = logged_in(app)
    first, second = book_order(email="one@example.com"), book_order(email="two@example.com")
    unpaid = book_order(paid=False)
    fields, _ = list_form(client)
    response = client.post(f"{DESK}/bulk", data={**fields, "action": "ship", "carrier": "USPS",
                                                 "order": [choice(first), choice(second), choice(unpaid)]})
    assert response.status_code == 303
    for order in (first, second):
        order = db.session.get(Order, order.id)
        assert order.fulfilment_status == "shipped"
        (shipment,) = db.session.scalars(select(Shipment).where(Shipment.order_id == order.id)).all()
        assert shipment.carrier == "USPS" and sum(line.quantity for line in shipment.lines) == 2
        assert db.session.scalar(select(func.count(OutboxMessage.id))
                                 .where(OutboxMessage.dedupe_key == f"shipment:{shipment.id}")) == 1
    assert db.session.get(Order, unpaid.id).fulfilment_status == "unfulfilled"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{first.number}, {second.number}" in html or f"{second.number}, {first.number}" in html
    assert f"Not shipped: {unpaid.number}" in html and "only paid orders are shipped" in html


def test_an_order_changed_after_the_list_was_shown_is_not_shipped_over_the_change(app):
    client, _ = logged_in(app)
    order = book_order()
    seen = choice(order)
    fields, _ = list_form(client)
    db.session.get(Order, order.id).version_id += 1  # someone edited it meanwhile
    db.session.commit()
    response = client.post(f"{DESK}/bulk", data={**fields, "action": "ship", "carrier": "UPS", "order": [seen]})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(Shipment.id))) == 0
    assert "Not shipped" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_shipping_twice_ships_nothing_more(app):
    client, _ = logged_in(app)
    order = book_order()
    fields, _ = list_form(client)
    client.post(f"{DESK}/bulk", data={**fields, "action": "ship", "carrier": "USPS", "order": [choice(order)]})
    response = client.post(f"{DESK}/bulk", data={**fields, "action": "ship", "carrier": "USPS",
                                                 "order": [choice(order)]})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(Shipment.id))) == 1
    assert "shipped already" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_export_of_ticked_orders_holds_just_those(app):
    client, _ = logged_in(app)
    chosen, other = book_order(), book_order()
    fields, _ = list_form(client)
    rows = rows_of(client.post(f"{DESK}/bulk", data={**fields, "action": "export", "order": [choice(chosen)]}))
    assert [r["order"] for r in rows] == [chosen.number]
    assert other.number not in {r["order"] for r in rows}


def test_bulk_refusals_answer_with_the_list_and_a_message(app):
    client, _ = logged_in(app)
    order = book_order()
    fields, _ = list_form(client, f"{DESK}?status=paid")
    cases = [
        ({"action": "ship", "carrier": "USPS"}, 422, "Tick at least one order"),
        ({"action": "ship", "carrier": " ", "order": [choice(order)]}, 422, "Enter the carrier"),
        ({"action": "slips", "order": ["<script>"]}, 422, "reload the page"),
        ({"action": "burn", "order": [choice(order)]}, 422, "Choose what to do"),
    ]
    for data, status, message in cases:
        response = client.post(f"{DESK}/bulk", data={**fields, **data})
        html = response.get_data(as_text=True)
        assert response.status_code == status and message in html, (data, response.status_code)
        assert 'value="paid" selected' in html  # the list comes back with its filters
    assert db.session.scalar(select(func.count(Shipment.id))) == 0
    assert client.post(f"{DESK}/bulk", data={"action": "ship", "order": [choice(order)]}).status_code in (400, 422)
