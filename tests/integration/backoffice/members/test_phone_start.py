"""A membership started for a caller on the order line: find or create their account, key the card in."""

from sqlalchemy import func, select

from shop.accounts.models import User
from shop.core.models import AuditEntry
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.membership import queries
from shop.membership.models import Membership
from shop.payments.gateway import processor
from tests.factories import MemberFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.desk_helpers import logged_in, page
from tests.support.forms import csrf_token, input_value, main_of

NEW = "/backoffice/members/new"


def _start(client, caller, card):
    html = page(client, f"{NEW}?user={caller.id}")
    return client.post(f"{NEW}/start", data={"csrf_token": csrf_token(html), "user_id": input_value(html, "user_id"),
                                            "payment_method_id": card}, headers={"Accept": "application/json"})


def _subjects(to):
    return [m.subject for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to))]


def test_staff_find_the_caller_by_email_and_see_the_card_form(app, staff, plan, payments_on):
    caller = UserFactory(email="carl@example.com", full_name="Carl Caller")
    client, _ = staff
    html = page(client, f"{NEW}?email=CARL@example.com")
    main = main_of(html)
    assert "Carl Caller" in main.get_text() and input_value(html, "user_id") == str(caller.id)
    form = main.find("form", id="membership-form")
    assert form["action"] == f"{NEW}/start" and form["data-publishable-key"] == ls.PUBLISHABLE_KEY
    assert main.find(id="payment-element") is not None
    scripts = [s.get("src", "") for s in main_of(html).find_all("script")]
    assert any(src.endswith("/js/phone_membership.js") for src in scripts)
    assert all(s.get("src") for s in main_of(html).find_all("script"))  # no inline script (the CSP)
    assert "The welcome e-mail goes to carl@example.com" in " ".join(main.get_text(" ").split())


def test_a_good_card_makes_a_phone_membership_started_by_the_staff_member(app, staff, plan, payments_on):
    caller = UserFactory(email="carl@example.com")
    client, user = staff
    response = _start(client, caller, ls.card_payment_method(payments_on))
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    membership = db.session.scalar(select(Membership).where(Membership.user_id == caller.id))
    assert data == {"status": "paid", "redirect": f"/backoffice/members/{membership.id}"}
    assert membership.channel == "phone" and membership.created_by_id == user.id
    assert membership.state == "active" and queries.is_member(caller)
    assert processor().retrieve_subscription(membership.stripe_subscription_id).status == "active"
    assert sum("Welcome" in s for s in _subjects("carl@example.com")) == 1
    text = " ".join(main_of(page(client, data["redirect"])).get_text(" ").split())
    assert "carl@example.com is a member now" in text and "Phone, started by Dana Desk" in text
    assert "phone: subscription" in text  # the audit entry, by the staff member
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership started"))
    assert entry.actor_id == user.id


def test_a_declined_card_answers_402_and_no_member(app, staff, plan, payments_on):
    caller = UserFactory()
    client, _ = staff
    response = _start(client, caller, ls.card_payment_method(payments_on, ls.CARD_DECLINED))
    assert response.status_code == 402
    assert response.get_json()["status"] == "declined" and "declined" in response.get_json()["message"].lower()
    assert not queries.is_member(caller)


def test_3d_secure_then_the_server_confirms_with_stripe(app, staff, plan, payments_on):
    caller = UserFactory()
    client, _ = staff
    data = _start(client, caller, ls.card_payment_method(payments_on, ls.CARD_3DS)).get_json()
    assert data["status"] == "requires_action" and data["confirm_url"] == f"{NEW}/confirm"
    ls.authenticate_3ds(payments_on, data["client_secret"])
    token = csrf_token(page(client, f"{NEW}?user={caller.id}"))
    confirmed = client.post(data["confirm_url"], data={"csrf_token": token, "membership_id": data["membership_id"]})
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "paid"
    assert queries.is_member(caller) and queries.live_membership(caller.id).channel == "phone"


def test_a_member_already_gets_no_second_membership(app, staff, plan, payments_on):
    existing = MemberFactory()
    client, _ = staff
    html = page(client, f"{NEW}?user={existing.user_id}")
    assert main_of(html).find("form", id="membership-form") is None
    assert "is a member already" in html
    token = csrf_token(html)
    response = client.post(f"{NEW}/start", data={"csrf_token": token, "user_id": existing.user_id,
                                                "payment_method_id": ls.card_payment_method(payments_on)})
    assert response.status_code == 409 and "already a member" in response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


def test_a_caller_without_an_account_gets_one_then_joins(app, staff, plan, payments_on):
    client, user = staff
    html = page(client, f"{NEW}?email=new.caller@example.com")
    assert "No account has the e-mail" in html
    assert input_value(html, "email") == "new.caller@example.com"
    response = client.post(f"{NEW}/account", data={"csrf_token": csrf_token(html), "email": "New.Caller@example.com",
                                                   "full_name": "Nina New"})
    assert response.status_code == 303
    caller = db.session.scalar(select(User).where(User.email == "new.caller@example.com"))
    assert caller is not None and caller.role == "customer" and caller.full_name == "Nina New"
    assert caller.password_hash  # random: the caller sets their own with "Forgot your password"
    assert response.headers["Location"].endswith(f"{NEW}?user={caller.id}")
    created = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "customer_created"))
    assert created.actor_id == user.id and created.entity_id == str(caller.id)
    assert "Account created for new.caller@example.com" in page(client, response.headers["Location"])
    assert _start(client, caller, ls.card_payment_method(payments_on)).get_json()["status"] == "paid"
    assert queries.live_membership(caller.id).created_by_id == user.id


def test_creating_an_account_that_exists_selects_it_and_bad_input_is_a_422(app, staff, plan):
    caller = UserFactory(email="carl@example.com")
    client, _ = staff
    token = csrf_token(page(client, NEW))
    again = client.post(f"{NEW}/account", data={"csrf_token": token, "email": "carl@example.com", "full_name": "C"})
    assert again.status_code == 303 and again.headers["Location"].endswith(f"?user={caller.id}")
    for data in ({"email": "not an e-mail", "full_name": "X"}, {"email": "x@example.com", "full_name": ""}):
        response = client.post(f"{NEW}/account", data={"csrf_token": token, **data})
        assert response.status_code == 422, data
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_bad_or_missing_input_answers_a_clear_4xx(app, staff, plan):
    client, _ = staff
    token = csrf_token(page(client, NEW))
    assert client.post(f"{NEW}/start", data={"csrf_token": token}).status_code == 400
    missing = client.post(f"{NEW}/start", data={"csrf_token": token, "user_id": "999999", "payment_method_id": "pm"})
    assert missing.status_code == 404 and missing.get_json()["status"] == "error"
    assert client.post(f"{NEW}/confirm", data={"csrf_token": token, "membership_id": "x"}).status_code == 400
    assert client.post(f"{NEW}/confirm", data={"csrf_token": token, "membership_id": "999"}).status_code == 404
    assert client.get(f"{NEW}?user=999999").status_code == 404
    for url in (f"{NEW}/start", f"{NEW}/confirm", f"{NEW}/account"):
        assert client.post(url, data={"user_id": "1", "payment_method_id": "pm"}).status_code == 400  # no CSRF


def test_customers_and_anonymous_visitors_cannot_start_one(app, plan, payments_on):
    target = UserFactory()
    customer, _ = logged_in(app, role="customer")
    token = csrf_token(page(customer, "/account"))
    response = customer.post(f"{NEW}/start", data={"csrf_token": token, "user_id": target.id,
                                                  "payment_method_id": ls.card_payment_method(payments_on)})
    assert response.status_code == 403
    assert customer.post(f"{NEW}/account", data={"csrf_token": token, "email": "a@example.com",
                                                 "full_name": "A"}).status_code == 403
    anonymous = app.test_client()
    assert anonymous.get(NEW).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0
