"""One member's page (account, state, invoices, history) and what staff change on it, through to Stripe."""

import pytest

from shop.extensions import db
from shop.membership import manage, signup
from shop.membership.models import Membership
from shop.payments import stripe_gateway
from shop.payments.gateway import processor
from tests.factories import MemberFactory, MembershipInvoiceFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.desk_helpers import logged_in, page
from tests.support.forms import csrf_token, main_of

DAY = 24 * 3600


def _url(membership, action=""):
    return f"/backoffice/members/{membership.id}" + (f"/{action}" if action else "")


def _post(client, membership, action, **data):
    token = csrf_token(page(client, _url(membership)))
    return client.post(_url(membership, action), data={"csrf_token": token, **data})


def _flashes(client, url):
    return " ".join(main_of(page(client, url)).get_text(" ").split())


@pytest.fixture
def member(app, plan, payments_on):
    """A real subscription in localstripe, joined on the web."""
    user = UserFactory(email="mia@example.com", full_name="Mia Member")
    outcome = signup.subscribe(user, ls.card_payment_method(payments_on))
    assert outcome.status == signup.JOINED
    return outcome.membership


def test_the_page_shows_the_account_state_invoices_and_history(app, staff):
    m = MemberFactory(user=UserFactory(email="ann@example.com", full_name="Ann Active"), channel="phone",
                      created_by_id=staff[1].id)
    MembershipInvoiceFactory(membership=m, amount_cents=1995, refunded_cents=500)
    MembershipInvoiceFactory(membership=m, status="failed", paid_at=None, stripe_invoice_id="in_failed_one")
    client, _ = staff
    html = page(client, _url(m))
    text = " ".join(main_of(html).get_text(" ").split())
    for words in ("ann@example.com", "Ann Active", "Active", "Phone, started by Dana Desk", "Paid until",
                  "Cancel at period end No", "$19.95", "$5.00", "failed", "paid"):
        assert words in text, words
    rows = main_of(html).find("table", id="invoices").find("tbody").find_all("tr")
    assert len(rows) == 2
    assert main_of(html).find("button", string="Cancel at period end") is not None
    assert "Refund the unused days ($" in text
    assert client.get("/backoffice/members/999999").status_code == 404


def test_cancel_at_period_end_then_undo_goes_through_stripe(app, staff, member):
    client, user = staff
    response = _post(client, member, "cancel")
    assert response.status_code == 303
    db.session.expire_all()
    m = db.session.get(Membership, member.id)
    assert m.cancel_at_period_end and m.state == "active"
    assert processor().retrieve_subscription(m.stripe_subscription_id).cancel_at_period_end is True
    text = _flashes(client, _url(m))
    assert "Set to end on" in text and "mia@example.com keeps access until then" in text
    assert "Cancelling" in text and "membership cancelling" in text and user.email in text  # the history

    assert _post(client, m, "resume").status_code == 303
    db.session.expire_all()
    m = db.session.get(Membership, member.id)
    assert not m.cancel_at_period_end
    assert processor().retrieve_subscription(m.stripe_subscription_id).cancel_at_period_end is False
    assert "Cancellation undone" in _flashes(client, _url(m))


def test_undo_when_nothing_was_cancelled_is_refused_on_the_page(app, staff, member):
    client, _ = staff
    response = _post(client, member, "resume")
    assert response.status_code == 409
    assert "not set to end" in response.get_data(as_text=True)


def test_end_now_with_the_refund_of_the_unused_days(app, staff, member, monkeypatch):
    ten_days_later = signup.now_seconds() + 10 * DAY
    monkeypatch.setattr(manage, "now_seconds", lambda: ten_days_later)
    due = manage.refund_due_cents(member)
    assert 0 < due < 1995
    client, _ = staff
    html = page(client, _url(member))
    assert f"Refund the unused days (${due // 100}.{due % 100:02d})" in " ".join(main_of(html).get_text(" ").split())
    response = client.post(_url(member, "end"), data={"csrf_token": csrf_token(html), "refund": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    m = db.session.get(Membership, member.id)
    assert m.state == "ended" and m.live_user_id is None and m.ended_at is not None
    assert processor().retrieve_subscription(m.stripe_subscription_id).status == "canceled"
    invoice = m.invoices[0]
    assert invoice.refunded_cents == due
    charge = ls.retrieve_intent(invoice.intent_id)["charges"]["data"][0]
    assert charge["amount_refunded"] == due
    assert f"Ended at once; ${due // 100}.{due % 100:02d} refunded." in _flashes(client, _url(m))


def test_end_now_without_a_refund(app, staff, member):
    client, _ = staff
    assert _post(client, member, "end").status_code == 303
    db.session.expire_all()
    m = db.session.get(Membership, member.id)
    assert m.state == "ended" and m.invoices[0].refunded_cents == 0
    assert processor().retrieve_subscription(m.stripe_subscription_id).status == "canceled"
    text = _flashes(client, _url(m))
    assert "Ended at once; no refund." in text and "membership ended" in text
    assert main_of(page(client, _url(m))).find("button", string="End now") is None
    again = client.post(_url(m, "end"), data={"csrf_token": csrf_token(page(client, _url(m)))})
    assert again.status_code == 409 and "already ended" in again.get_data(as_text=True)


def test_stripe_unreachable_is_a_502_with_the_message_never_a_500(app, staff, payments_on):
    m = MemberFactory()
    MembershipInvoiceFactory(membership=m)
    client, _ = staff
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # nothing listens there
    stripe_gateway.configure(app)
    try:
        for action in ("cancel", "end"):
            response = _post(client, m, action)
            assert response.status_code == 502, action
            assert "could not reach" in response.get_data(as_text=True).lower()
    finally:
        app.config["STRIPE_API_BASE"] = payments_on
        stripe_gateway.configure(app)
    db.session.expire_all()
    assert db.session.get(Membership, m.id).state == "active"


def test_every_action_needs_the_csrf_token(app, staff):
    m = MemberFactory()
    client, _ = staff
    for action in ("cancel", "resume", "end"):
        response = client.post(_url(m, action), data={"refund": "y"})
        assert response.status_code == 400, action
    assert db.session.get(Membership, m.id).state == "active"


def test_customers_and_marketing_cannot_change_a_membership(app, member):
    for role in ("customer", "marketing"):
        client, _ = logged_in(app, role=role)
        token = csrf_token(page(client, "/account"))
        for action in ("cancel", "resume", "end"):
            assert client.post(_url(member, action), data={"csrf_token": token}).status_code == 403, (role, action)
    anonymous = app.test_client()
    response = anonymous.post(_url(member, "end"), data={"refund": "y"})
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert db.session.get(Membership, member.id).state == "active"
