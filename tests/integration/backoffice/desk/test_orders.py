"""The order desk's list (filters, search, keyset pages), an order's detail and timeline, notes, and
two staff editing one order at once (the second save is refused, 409)."""

import re
from datetime import timedelta

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail.outbox import enqueue
from shop.orders import services
from shop.orders.models import Order
from shop.promotions.models import PromotionRedemption
from tests.factories import BookFactory, PromotionFactory, UserFactory
from tests.support import forms
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form, quick_order
from tests.support.forms import csrf_token


def numbers(html):
    """Order numbers in the list's rows, in page order."""
    return re.findall(r'<th scope="row"><a href="/backoffice/orders/(STR-\d+)"', html)


def test_list_filters_by_status_channel_date_product_promotion_and_staff(app):
    client, _ = logged_in(app)
    phone_staff = UserFactory(role="staff", full_name="Maria Phone")
    book = BookFactory()
    old_web = quick_order(placed_days_ago=40, channel="web")
    phone = quick_order(placed_days_ago=2, channel="phone", staff_id=phone_staff.id)
    unpaid = quick_order(placed_days_ago=1, paid=False)
    with_book = quick_order(lines=[{"kind": "book", "product_id": book.id, "is_physical": True,
                                    "unit_price_cents": 4995}])
    promotion = PromotionFactory(name="Spring sale")
    db.session.add(PromotionRedemption(promotion_id=promotion.id, order_id=phone.id, email=phone.email,
                                       channel="phone", discount_cents=500, status="confirmed"))
    db.session.commit()

    everything = numbers(page(client, DESK))
    assert everything == [with_book.number, unpaid.number, phone.number, old_web.number]  # newest first
    assert numbers(page(client, f"{DESK}?status=pending_payment")) == [unpaid.number]
    assert numbers(page(client, f"{DESK}?channel=phone")) == [phone.number]
    since = (utcnow() - timedelta(days=10)).date().isoformat()
    assert old_web.number not in numbers(page(client, f"{DESK}?date_from={since}"))
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    assert numbers(page(client, f"{DESK}?date_to={until}")) == [old_web.number]
    assert numbers(page(client, f"{DESK}?product={book.sku.lower()}")) == [with_book.number]
    assert with_book.fulfilment_status == "unfulfilled" and old_web.fulfilment_status == "unfulfilled"
    assert numbers(page(client, f"{DESK}?product=NO-SUCH-SKU")) == []
    assert numbers(page(client, f"{DESK}?promotion={promotion.id}")) == [phone.number]
    assert numbers(page(client, f"{DESK}?staff={phone_staff.id}")) == [phone.number]
    partly = quick_order(lines=[("book", 4995, 2, True)], fulfilment_status="partially_shipped")
    assert numbers(page(client, f"{DESK}?fulfilment=unfulfilled")) == [with_book.number]  # not the course orders
    assert numbers(page(client, f"{DESK}?fulfilment=to_ship")) == [partly.number, with_book.number]
    assert partly.number not in numbers(page(client, f"{DESK}?fulfilment=not_needed"))
    html = page(client, f"{DESK}?status=paid&channel=phone&date_from={since}")
    assert numbers(html) == [phone.number]
    assert "Maria Phone" in html


def test_search_by_number_email_and_name(app):
    client, _ = logged_in(app)
    ann = quick_order(email="ann.lindqvist@physio.org", customer_name="Ann Lindqvist")
    bob = quick_order(email="bob@clinic.example", customer_name="Robert O'Hara")
    assert numbers(page(client, f"{DESK}?q={ann.number}")) == [ann.number]
    assert numbers(page(client, f"{DESK}?q={ann.number.split('-')[1]}")) == [ann.number]  # digits only
    assert numbers(page(client, f"{DESK}?q=LINDQ")) == [ann.number]  # name or e-mail fragment, any case
    assert numbers(page(client, f"{DESK}?q=clinic.ex")) == [bob.number]
    assert numbers(page(client, f"{DESK}?q=o'hara")) == [bob.number]
    assert numbers(page(client, f"{DESK}?q=100%25")) == []  # % is a literal character, not a wildcard


def test_bad_filters_answer_422_with_a_message(app, client):
    client, _ = logged_in(app)
    for query, message in (("date_from=31-12-2026", "YYYY-MM-DD"), ("status=lost", "Choose a status"),
                           ("q=ab", "at least 3"), ("staff=abc", "staff member"),
                           ("date_from=2026-05-02&date_to=2026-05-01", "before the start date")):
        response = client.get(f"{DESK}?{query}")
        assert response.status_code == 422, query
        assert message in response.get_data(as_text=True), query


def test_keyset_pages_walk_forward_and_back_without_gaps(app):
    client, _ = logged_in(app)
    made = [quick_order(placed_days_ago=0) for _ in range(3)]
    same_time = made[0].placed_at
    for order in made:  # equal timestamps: the id breaks the tie
        order.placed_at = same_time
    made += [quick_order(placed_days_ago=n) for n in range(1, 60)]
    db.session.commit()
    expected = [o.number for o in sorted(made, key=lambda o: (o.placed_at, o.id), reverse=True)]
    seen, url, pages = [], DESK, []
    while url:
        html = page(client, url)
        pages.append(html)
        seen += numbers(html)
        older = re.search(r'rel="next" href="([^"]+)"', html)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert seen == expected
    assert len(pages) == 3 and "Page 3" in pages[-1]
    newer = re.search(r'rel="prev" href="([^"]+)"', pages[-1]).group(1).replace("&amp;", "&")
    back = page(client, newer)
    assert numbers(back) == expected[25:50]
    assert "Page 2" in back


def test_detail_shows_lines_discounts_payments_timeline_and_e_mails(app):
    client, staff = logged_in(app, name="Desk Dana")
    order = quick_order(lines=[{"title": "Trigger Point Therapy", "unit_price_cents": 11900, "discount_cents": 1190,
                                "quantity": 1}], channel="phone", caller_phone="207 555 0142",
                        call_notes="Wants a receipt by mail.", staff_id=staff.id)
    services.record(order, "placed", "Order placed on the phone channel.")
    services.record(order, "paid", "Paid (check).")
    enqueue(order.email, f"Your order {order.number}", "text", order_id=order.id)
    db.session.commit()
    html = page(client, f"{DESK}/{order.number}")
    for text in ("Trigger Point Therapy", "−$11.90", "$107.10", "207 555 0142", "Wants a receipt by mail.",
                 "Desk Dana", "Placed", "Paid (check).", "E-mail waiting", f"Your order {order.number}"):
        assert text in html, text
    assert client.get(f"{DESK}/STR-999").status_code == 404
    assert client.get(f"{DESK}/{'x' * 300}").status_code == 404


def test_a_note_goes_on_the_timeline_with_its_author(app):
    client, staff = logged_in(app)
    order = quick_order()
    url = f"{DESK}/{order.number}"
    response = post_page_form(client, f"{url}/notes", {"note": "Customer called: address is fine."}, page_url=url)
    assert response.status_code == 303
    html = page(client, url)
    assert "Customer called: address is fine." in html and staff.email in html
    empty = post_page_form(client, f"{url}/notes", {"note": "   "}, page_url=url)
    assert empty.status_code == 422 and "Write the note first." in empty.get_data(as_text=True)


ADDRESS = {"customer_name": "Pat Buyer", "phone": "", "ship_name": "Pat Buyer", "ship_line1": "1 Elm Street",
           "ship_line2": "", "ship_city": "Springfield", "ship_region": "IL", "ship_postal_code": "62701",
           "ship_country": "US", "call_notes": ""}


def test_two_staff_editing_one_order_the_second_save_is_refused(app):
    order = quick_order(lines=[("book", 4995, 1, True)], **{k: v for k, v in ADDRESS.items() if k != "call_notes"})
    first, _ = logged_in(app)
    second, _ = logged_in(app)
    edit = f"{DESK}/{order.number}/edit"
    first_page, second_page = page(first, edit), page(second, edit)  # both open the form
    version = forms.input_value(first_page, "version")
    assert version.isdigit()

    saved = first.post(edit, data={**ADDRESS, "ship_line1": "99 Oak Avenue", "version": version,
                                   "csrf_token": csrf_token(first_page)})
    assert saved.status_code == 303
    refused = second.post(edit, data={**ADDRESS, "call_notes": "Leave at the back door.", "version": version,
                                      "csrf_token": csrf_token(second_page)})
    assert refused.status_code == 409
    assert "This order was changed by someone else while you were editing. Reload to see the changes." in \
        refused.get_data(as_text=True)
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.ship_line1 == "99 Oak Avenue" and order.call_notes == ""  # nothing overwritten
    again = post_page_form(second, edit, {**ADDRESS, "ship_line1": "99 Oak Avenue",
                                          "call_notes": "Leave at the back door."})
    assert again.status_code == 303  # after a reload the second person's change goes in
    db.session.expire_all()
    assert db.session.get(Order, order.id).call_notes == "Leave at the back door."
    assert "street address" in page(first, f"{DESK}/{order.number}")  # on the timeline and in the history


def test_edit_refuses_an_empty_street_and_keeps_the_address_of_digital_orders_out(app):
    client, _ = logged_in(app)
    book_order = quick_order(lines=[("book", 4995, 1, True)], **{k: v for k, v in ADDRESS.items()
                                                                  if k != "call_notes"})
    edit = f"{DESK}/{book_order.number}/edit"
    response = post_page_form(client, edit, {**ADDRESS, "ship_line1": ""})
    assert response.status_code == 422 and "Enter the street address." in response.get_data(as_text=True)
    course_order = quick_order()
    html = page(client, f"{DESK}/{course_order.number}/edit")
    assert not forms.has_field(html, "ship_line1") and forms.has_field(html, "customer_name")


def test_who_may_open_the_desk(app):
    order = quick_order()
    marketing, _ = logged_in(app, role="marketing")
    assert marketing.get(DESK).status_code == 403
    assert marketing.get(f"{DESK}/{order.number}").status_code == 403
    assert marketing.get(f"{DESK}/sales").status_code == 200
    customer, _ = logged_in(app, role="customer")
    assert customer.get(f"{DESK}/sales").status_code == 403
    admin, _ = logged_in(app, role="admin")
    assert admin.get(f"{DESK}/{order.number}").status_code == 200
    anonymous = app.test_client()
    assert anonymous.get(DESK).status_code == 302


ODD = ["-1", "99999999999999999999", "x" * 300, "é", "1.5", "<script>", "9999-12-31", "0001-01-01", ""]


def test_odd_input_to_every_desk_page_never_answers_500(app):
    client, _ = logged_in(app, role="admin")
    order = quick_order(lines=[("book", 4995, 2, True)], **{k: v for k, v in ADDRESS.items() if k != "call_notes"})
    line_id = order.lines[0].id
    base = f"{DESK}/{order.number}"
    failures = []
    for value in ODD:
        for name in ("q", "status", "channel", "fulfilment", "date_from", "date_to", "product", "promotion", "staff",
                     "after", "before", "page"):
            response = client.get(DESK, query_string={name: value})
            if response.status_code >= 500:
                failures.append(f"GET ?{name}={value[:20]} -> {response.status_code}")
        for path in ("/sales", "/sales.csv", "/pick-list", ""):
            response = client.get(f"{DESK}{path}", query_string={"days": value})
            if response.status_code >= 500:
                failures.append(f"GET {path}?days={value[:20]} -> {response.status_code}")
        assert client.get(f"{base}/packing-slip", query_string={"prices": value}).status_code == 200
        for path, fields in (("/notes", ("note",)), ("/edit", tuple(ADDRESS) + ("version",)),
                             ("/ship", ("carrier", "tracking_number", "version", f"qty-{line_id}")),
                             ("/refund", ("amount", "reason", "mode", "refund_key", f"refund-qty-{line_id}")),
                             ("/cancel", ("reason", "version"))):
            page_url = base if path == "/notes" else base + path
            response = post_page_form(client, base + path, dict.fromkeys(fields, value), page_url=page_url)
            if response.status_code >= 500:
                failures.append(f"POST {path} {value[:20]} -> {response.status_code}")
    assert failures == []
