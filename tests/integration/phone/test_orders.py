"""Phone orders keyed in by staff: caller, items held while the call lasts, phone promotions and codes, then
payment by card (localstripe, MOTO), or by check recorded later."""

from datetime import timedelta

import pytest
import stripe

from shop.accounts.models import User
from shop.cart.models import Cart
from shop.catalogue.models import Product
from shop.core.models import AuditEntry
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders import services as orders
from shop.orders.models import Order, Payment
from shop.phone.models import CallLogEntry
from shop.promotions import loader
from shop.promotions.models import Promotion, PromotionCode
from tests.factories import DEFAULT_PASSWORD, BookFactory, ProductFactory, UserFactory
from tests.support import forms
from tests.support import stripe_server as ls
from tests.support.checkout_helpers import seed_shipping
from tests.support.forms import log_in, post_form
from tests.support.phone_helpers import PhoneDesk, staff_client


@pytest.fixture
def shop(app):
    seed_shipping()
    book = BookFactory(title="Soft Tissue Release", sku="STR-BOOK", slug="str-book", price_cents=4995, stock=5)
    course = ProductFactory(title="Trigger Point Course", sku="CE-TPT", slug="tp-course", price_cents=11900)
    caller = UserFactory(email="pat@example.com", full_name="Pat Caller", phone="(207) 555-0142")
    client, staff = staff_client(app)
    return {"book": book, "course": course, "caller": caller, "client": client, "staff": staff}


def _stock(product):
    return db.session.execute(db.select(Product.stock).filter_by(id=product.id)).scalar_one()


def _desk_with_books(shop, quantity=2):
    desk = PhoneDesk(shop["client"])
    assert desk.use_first_caller("pat@example.com").status_code == 303
    assert desk.add("str-book", quantity).status_code == 303
    return desk


def test_a_phone_order_paid_by_card_is_a_phone_order_with_its_staff_caller_and_notes(shop, payments_on, monkeypatch):
    sent = []
    create = stripe.PaymentIntent.create
    monkeypatch.setattr(stripe.PaymentIntent, "create", lambda **kw: sent.append(kw) or create(**kw))
    desk = _desk_with_books(shop, 2)
    assert desk.add("CE-TPT").status_code == 303
    response = desk.place("card", ls.card_payment_method(payments_on))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "paid"
    order = db.session.execute(db.select(Order)).scalar_one()
    assert body["redirect"] == f"/backoffice/phone/orders/{order.number}"
    assert (order.channel, order.status, order.payment_method) == ("phone", "paid", "card")
    assert order.staff_id == shop["staff"].id and order.user_id == shop["caller"].id
    assert (order.caller_phone, order.call_notes) == ("207 555 0142", "Wants it before the seminar.")
    assert order.total_cents == 2 * 4995 + 11900  # free media mail over $75
    assert sent[0]["payment_method_options"] == {"card": {"moto": True}} and sent[0]["amount"] == order.total_cents
    assert _stock(shop["book"]) == 3
    [mail] = db.session.execute(db.select(OutboxMessage)).scalars().all()
    assert mail.to_address == "pat@example.com" and order.number in mail.subject  # the web order's e-mail
    call = db.session.execute(db.select(CallLogEntry)).scalar_one()
    assert (call.outcome, call.order_id, call.staff_id) == ("order", order.id, shop["staff"].id)
    assert db.session.execute(db.select(Cart)).scalars().all() == []  # the draft is gone
    assert db.session.execute(db.select(AuditEntry.action).filter_by(entity_id=str(order.id))).scalars().all() == [
        "phone_order_placed"]
    page = shop["client"].get(body["redirect"]).get_data(as_text=True)
    assert "Paid" in page and "Phone order" in page and "Wants it before the seminar." in page


def test_a_declined_card_keeps_the_draft_and_another_card_pays(shop, payments_on):
    desk = _desk_with_books(shop, 1)
    declined = desk.place("card", ls.card_payment_method(payments_on, ls.CARD_DECLINED))
    assert declined.status_code == 402 and declined.get_json()["status"] == "declined"
    assert desk.page().status_code == 200  # still a draft, copies still held
    assert _stock(shop["book"]) == 4
    assert desk.place("card", ls.card_payment_method(payments_on)).get_json()["status"] == "paid"
    assert [o.status for o in db.session.execute(db.select(Order)).scalars()] == ["paid"]


def test_card_details_are_needed_and_never_come_from_the_form(shop, payments_on):
    desk = _desk_with_books(shop, 1)
    response = desk.place("card", "")
    assert response.status_code == 422 and response.get_json()["errors"] == {"payment": "Key in the card details."}
    response = desk.place("card", "", json=False, total_cents="1")
    assert response.status_code == 422 and "Key in the card details." in response.get_data(as_text=True)


def test_a_check_order_waits_then_staff_record_the_check(app, shop):
    desk = _desk_with_books(shop, 2)
    response = desk.place("check")
    assert response.status_code == 303
    order = db.session.execute(db.select(Order)).scalar_one()
    assert response.headers["Location"] == f"/backoffice/phone/orders/{order.number}"
    assert (order.status, order.payment_method, order.channel) == ("pending_payment", "check", "phone")
    assert order.reservation_expires_at > utcnow() + timedelta(days=13)  # held while the check is in the post
    assert _stock(shop["book"]) == 3
    assert orders.expire_unpaid(utcnow() + timedelta(days=1)) == []
    page = f"/backoffice/phone/orders/{order.number}"
    assert "Record the check" in shop["client"].get(page).get_data(as_text=True)

    wrong = post_form(shop["client"], f"{page}/check", {"amount": "90.00", "reference": "1042"}, page=page)
    assert wrong.status_code == 422 and "only a payment of exactly the total" in wrong.get_data(as_text=True)
    nonsense = post_form(shop["client"], f"{page}/check", {"amount": "lots", "reference": "1042"}, page=page)
    assert nonsense.status_code == 422 and "Enter the amount on the check" in nonsense.get_data(as_text=True)
    customer = app.test_client()
    log_in(customer, "pat@example.com", DEFAULT_PASSWORD)
    assert post_form(customer, f"{page}/check", {"amount": "99.90", "reference": "1042"},
                     page="/account").status_code == 403
    db.session.refresh(order)
    assert order.status == "pending_payment" and db.session.execute(db.select(Payment)).scalars().all() == []

    paid = post_form(shop["client"], f"{page}/check", {"amount": "$99.90", "reference": " MO 1042 "}, page=page)
    assert paid.status_code == 303
    db.session.refresh(order)
    assert order.status == "paid" and order.paid_at is not None
    [payment] = db.session.execute(db.select(Payment)).scalars().all()
    assert (payment.provider, payment.amount_cents, payment.reference, payment.recorded_by_id, payment.status) == (
        "check", 9990, "MO 1042", shop["staff"].id, "succeeded")
    assert _stock(shop["book"]) == 3
    mails = db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert [(m.to_address, m.dedupe_key) for m in mails] == [
        ("pat@example.com", f"order-confirmation:{order.id}"), ("pat@example.com", f"payment-received:{payment.id}")]
    assert "MO 1042" in mails[1].text_body and "$99.90" in mails[1].text_body
    again = post_form(shop["client"], f"{page}/check", {"amount": "99.90", "reference": "1043"}, page=page)
    assert again.status_code == 409 and "already paid" in again.get_data(as_text=True)
    assert "check_recorded" in db.session.execute(db.select(AuditEntry.action)).scalars().all()


def test_the_copies_are_held_during_the_call_and_released_when_it_is_abandoned(shop):
    desk = _desk_with_books(shop, 2)
    draft = desk.order()
    assert draft.status == "pending_payment" and draft.channel == "phone" and draft.staff_id == shop["staff"].id
    assert _stock(shop["book"]) == 3  # held for the caller
    book = shop["book"]
    assert desk.post(f"/draft/items/{book.id}", {"quantity": "4"}).status_code == 303
    assert _stock(shop["book"]) == 1
    too_many = desk.post(f"/draft/items/{book.id}", {"quantity": "6"})
    assert too_many.status_code == 422 and "Only 5 copies" in too_many.get_data(as_text=True)
    assert _stock(shop["book"]) == 1
    assert desk.post(f"/draft/items/{book.id}", {"quantity": "1"}).status_code == 303
    assert _stock(shop["book"]) == 4

    # nobody touches the draft for longer than PHONE_HOLD_MINUTES: the expiry job gives the copy back
    assert orders.expire_unpaid(utcnow() + timedelta(minutes=19)) == []
    [expired] = orders.expire_unpaid(utcnow() + timedelta(minutes=21))
    assert expired.id == draft.id and _stock(shop["book"]) == 5
    assert "no longer held" in desk.page().get_data(as_text=True)
    # staff come back to it: the next change holds the copies again, as a new order
    assert desk.add("CE-TPT").status_code == 303
    revived = desk.order()
    assert revived.id != draft.id and revived.status == "pending_payment" and _stock(shop["book"]) == 4
    assert revived.email == "pat@example.com"

    discarded = desk.post("/draft/discard")
    assert discarded.status_code == 303 and "/backoffice/phone/calls?" in discarded.headers["Location"]
    calls = shop["client"].get(discarded.headers["Location"]).get_data(as_text=True)
    assert forms.input_value(calls, "caller_email") == "pat@example.com"  # the call log's form, filled in
    assert _stock(shop["book"]) == 5
    assert db.session.get(Order, revived.id).status == "expired"


def test_a_caller_cannot_be_sold_a_course_they_own_or_more_copies_than_exist(shop):
    from shop.courses.models import CourseAccess

    db.session.add(CourseAccess(email="pat@example.com", user_id=shop["caller"].id, product_id=shop["course"].id))
    db.session.commit()
    desk = _desk_with_books(shop, 1)
    owned = desk.add("CE-TPT")
    assert owned.status_code == 422 and "already own" in owned.get_data(as_text=True)
    other = PhoneDesk(shop["client"])
    assert other.add("STR-BOOK", 4).status_code == 303  # another call took the other four copies
    sold_out = desk.post(f"/draft/items/{shop['book'].id}", {"quantity": "2"})
    assert sold_out.status_code == 422 and "Only 1 copy" in sold_out.get_data(as_text=True)


def _promotion(name, channel_web=True, channel_phone=True, code=None, **values):
    promotion = Promotion(name=name, state="active", channel_web=channel_web, channel_phone=channel_phone,
                          benefit_kind=values.pop("benefit_kind", "percent"), requires_code=code is not None,
                          applies_to_everything=True, **values)
    db.session.add(promotion)
    db.session.flush()
    if code:
        db.session.add(PromotionCode(promotion_id=promotion.id, code=code))
    db.session.commit()
    loader.forget()
    return promotion


def test_phone_channel_promotions_apply_and_web_only_ones_do_not(shop):
    _promotion("Web week", channel_phone=False, benefit_kind="amount", amount_cents=500)
    _promotion("Order line special", channel_web=False, basis_points=1000)
    _promotion("Seminar code", code="SEMINAR5", benefit_kind="amount", amount_cents=500)
    desk = _desk_with_books(shop, 1)
    order = desk.order()
    assert order.discount_cents == 500  # 10 % of 49.95, to the cent (not the web's $5 off)
    page = desk.page().get_data(as_text=True)
    assert "Order line special" in page and "Web week: not available for phone orders" in page
    assert desk.post("/draft/code", {"code": "seminar5"}).status_code == 303
    db.session.refresh(order)
    assert order.discount_cents == 500 + 500
    assert desk.post("/draft/code", {"code": "NOPE"}).status_code == 422
    response = desk.place("check")
    assert response.status_code == 303
    db.session.refresh(order)
    assert order.total_cents == 4995 + 595 - 1000
    codes = [a["code"] for a in order.pricing_snapshot["adjustments"]]
    assert sorted(codes) == ["", "SEMINAR5"]
    counts = dict(db.session.execute(db.select(Promotion.name, Promotion.redemption_count)).all())
    assert counts == {"Web week": 0, "Order line special": 1, "Seminar code": 1}


def test_find_callers_by_phone_name_email_past_orders_and_call_log_or_create_one(shop):
    client = shop["client"]
    db.session.add(Order(email="guest@example.com", customer_name="Gina Guest", phone="415-555-0199",
                         number="STR-900001", status="paid", ship_line1="1 Bay St", ship_city="Oakland",
                         ship_region="CA", ship_postal_code="94607", ship_country="US"))
    db.session.add(CallLogEntry(caller_name="Carl Caller", caller_phone="312 555 0100", notes="asked about CE"))
    db.session.commit()
    desk = PhoneDesk(client)
    assert "Pat Caller" in desk.find("2075550142") and "Pat Caller" in desk.find("pat caller")
    assert "Gina Guest" in desk.find("(415) 555-0199") and "Web order STR-900001" in desk.find("gina")
    assert "Carl Caller" in desk.find("555 0100")
    assert "Nobody matches" in desk.find("zzz-nobody")
    assert desk.use_first_caller("gina").status_code == 303
    order = desk.order()
    assert (order.email, order.user_id, order.ship_city) == ("guest@example.com", None, "Oakland")

    new = {"new_name": "Nora New", "new_email": "Nora@Example.com", "new_phone": "555 0101", "new_line1": "9 Elm",
           "new_city": "Salem", "new_region": "OR", "new_postal_code": "97301", "new_country": "US"}
    assert desk.post("/draft/customer", new).status_code == 303
    user = db.session.execute(db.select(User).filter_by(email="nora@example.com")).scalar_one()
    assert user.role == "customer" and user.password_hash is None and user.addresses[0].city == "Salem"
    db.session.refresh(order)
    assert (order.user_id, order.ship_line1, order.customer_name) == (user.id, "9 Elm", "Nora New")
    again = desk.post("/draft/customer", new)
    assert again.status_code == 409 and "exists already" in again.get_data(as_text=True)
    half = desk.post("/draft/customer", {**new, "new_email": "half@example.com", "new_city": ""})
    assert half.status_code == 422 and "City is needed" in half.get_data(as_text=True)


def test_the_page_is_for_staff_only_and_odd_input_is_a_clear_4xx(app, shop):
    customer = app.test_client()
    log_in(customer, "pat@example.com", DEFAULT_PASSWORD)
    assert customer.get("/backoffice/phone/new").status_code == 403
    assert app.test_client().get("/backoffice/phone/new").status_code == 302
    desk = PhoneDesk(shop["client"])
    assert desk.page(draft="phone-nope").status_code == 404
    assert desk.post("/draft/items", {"draft": "x" * 300, "item": "STR-BOOK", "quantity": "1"}).status_code == 404
    for bad in ("0", "-1", "100", "x", ""):
        assert desk.post("/draft/items", {"item": "STR-BOOK", "quantity": bad}).status_code == 422
    missing = desk.add("NO-SUCH-THING")
    assert missing.status_code == 404 and "No product has the SKU or title" in missing.get_data(as_text=True)
    assert desk.place("bitcoin").status_code == 422
    assert desk.place("check").status_code == 422  # no caller yet
    assert desk.post("/draft/caller", {"key": "user:999999"}).status_code == 404
    assert desk.post("/draft/caller", {"key": "../etc"}).status_code == 404
    ProductFactory(title="Trigger Point Course, Part Two", sku="CE-TPT-2", slug="tp-course-2")
    many = desk.add("trigger point", 1)
    assert many.status_code == 200 and "Products matching “trigger point”" in many.get_data(as_text=True)
    assert shop["client"].get("/backoffice/phone/orders/STR-0").status_code == 404


def test_a_card_asking_for_3d_secure_is_settled_by_asking_the_processor(shop, payments_on):
    desk = _desk_with_books(shop, 1)
    first = desk.place("card", ls.card_payment_method(payments_on, ls.CARD_3DS)).get_json()
    assert first["status"] == "requires_action" and first["confirm_url"] == "/backoffice/phone/draft/confirm"
    intent_id = ls.authenticate_3ds(payments_on, first["client_secret"])
    assert desk.post("/draft/confirm", {"payment_intent": ""}, json=True).status_code == 400
    done = desk.post("/draft/confirm", {"payment_intent": intent_id}, json=True)
    assert done.status_code == 200 and done.get_json()["status"] == "paid"
    order = db.session.execute(db.select(Order)).scalar_one()
    assert order.status == "paid" and order.channel == "phone"
    assert db.session.execute(db.select(Cart)).scalars().all() == []
    again = desk.post("/draft/confirm", {"payment_intent": intent_id}, json=True)  # the draft is gone
    assert again.status_code == 404


ODD = ["", "-1", "0", "99999999999999999999", "x" * 5000, "../../etc/passwd", "é", "<script>", "1e9", "\x00",
       "user:1", "phone-" + "0" * 32]
FIELDS = ("draft", "key", "item", "quantity", "product_id", "code", "remove", "payment", "payment_method_id",
          "shipping_method", "ship_country", "ship_line1", "caller_phone", "call_notes", "new_name", "new_email",
          "new_country", "payment_intent", "amount", "reference", "outcome", "callback_due", "order_number", "notes",
          "next_focus")


def test_no_phone_route_answers_odd_input_with_a_server_error(app, shop):
    desk = _desk_with_books(shop, 1)
    desk.place("check")
    number = db.session.execute(db.select(Order.number)).scalar_one()
    paths = ["/draft/caller", "/draft/customer", "/draft/items", f"/draft/items/{shop['book'].id}",
             f"/draft/items/{shop['book'].id}/remove", "/draft/code", "/draft/details", "/draft/place",
             "/draft/confirm", "/draft/discard", f"/orders/{number}/check", f"/orders/{number}/link", "/calls"]
    failures = []
    for index, value in enumerate(ODD):
        for path in paths:
            data = {name: value for name in FIELDS}
            response = shop["client"].post(f"/backoffice/phone{path}", data={**data, "csrf_token": desk.token},
                                           headers={"Accept": "application/json"} if index % 2 else {})
            if response.status_code >= 500:
                failures.append(f"POST {path} {value[:20]!r} -> {response.status_code}")
        for query in ("q", "item_q", "draft", "focus", "page", "outcome"):
            for page in ("/new", "/calls", f"/orders/{number}"):
                response = shop["client"].get(f"/backoffice/phone{page}", query_string={query: value})
                if response.status_code >= 500:
                    failures.append(f"GET {page}?{query}={value[:20]!r} -> {response.status_code}")
    # one odd field at a time, on a live draft (placing and discarding last, as they close it)
    desk = _desk_with_books(shop, 1)
    for path in paths[:-4] + ["/draft/place", "/draft/discard"]:
        for name in FIELDS[1:]:
            for value in ("\x00", "x" * 5000):
                response = shop["client"].post(f"/backoffice/phone{path}", data={
                    "csrf_token": desk.token, "draft": desk.draft, "quantity": "1", "payment": "check", name: value})
                if response.status_code >= 500:
                    failures.append(f"POST {path} {name}={value[:20]!r} -> {response.status_code}")
    assert failures == []


def test_a_refused_first_step_leaves_no_draft_and_the_page_starts_afresh(app, shop):
    desk = PhoneDesk(shop["client"])
    missing = desk.add("NO-SUCH-THING")
    assert missing.status_code == 404
    html = missing.get_data(as_text=True)
    assert not [tag for tag in forms.soup(html).find_all("input", attrs={"name": "draft"}) if tag.get("value")]
    assert db.session.execute(db.select(db.func.count()).select_from(Cart)).scalar() == 0
    assert desk.add("STR-BOOK").status_code in (302, 303)  # the next step begins the order as usual
