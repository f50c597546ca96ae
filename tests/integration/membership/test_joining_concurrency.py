"""Joining at once, on PostgreSQL: an offer limited to three first months gives exactly three, and a
double-clicked "Join" makes one membership and one subscription."""

import threading

import pytest
import stripe
from sqlalchemy import func, select

from shop.extensions import db
from shop.membership.models import Membership
from shop.promotions.models import Promotion
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, PromotionFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.forms import csrf_token, log_in, soup, text

MEMBERS = 10
OFFERS = 3


@pytest.fixture
def racing_shop(pg_app, localstripe, monkeypatch):
    ls.use_localstripe(pg_app, localstripe, monkeypatch)
    plan = MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)
    return pg_app, plan


def _ready(app, user, card):
    client = app.test_client()
    log_in(client, user.email, DEFAULT_PASSWORD)
    page = text(client.get("/membership"))
    shown = soup(page).find("input", attrs={"name": "shown_cents"})["value"]
    return client, {"csrf_token": csrf_token(page), "payment_method_id": card, "shown_cents": shown}


def _all_at_once(prepared):
    barrier = threading.Barrier(len(prepared))
    results = [None] * len(prepared)

    def join(index):
        client, data = prepared[index]
        barrier.wait()
        response = client.post("/membership/join", data=data, headers={"Accept": "application/json"})
        results[index] = (response.status_code, (response.get_json() or {}).get("status"))

    threads = [threading.Thread(target=join, args=(i,)) for i in range(len(prepared))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_ten_new_members_racing_for_three_first_month_offers(racing_shop, localstripe):
    app, plan = racing_shop
    offer = PromotionFactory(name="Three lucky members", benefit_kind="amount", amount_cents=1000,
                             applies_to_everything=False, products=[plan], max_redemptions=OFFERS)
    prepared = [_ready(app, UserFactory(), ls.card_payment_method(localstripe)) for _ in range(MEMBERS)]
    offer_id = offer.id
    db.session.remove()

    results = _all_at_once(prepared)

    assert sorted(results).count((200, "paid")) == OFFERS
    assert all(result == (409, "error") for result in results if result != (200, "paid")), results
    db.session.remove()
    assert db.session.get(Promotion, offer_id).redemption_count == OFFERS
    members = list(db.session.scalars(select(Membership).where(Membership.state == "active")))
    assert len(members) == OFFERS
    firsts = [stripe.Invoice.retrieve(m.invoices[0].stripe_invoice_id)["amount_due"] for m in members]
    assert firsts == [995] * OFFERS


def test_a_double_clicked_join_makes_one_membership_and_one_subscription(racing_shop, localstripe):
    app, _ = racing_shop
    user = UserFactory()
    card = ls.card_payment_method(localstripe)
    first, second = _ready(app, user, card), _ready(app, user, card)
    user_id = user.id
    db.session.remove()

    results = _all_at_once([first, second])

    assert all(status in (200, 202) for status, _ in results), results
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == user_id)) == 1
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user_id))
    customer = stripe.Subscription.retrieve(membership.stripe_subscription_id)["customer"]
    assert len(stripe.Subscription.list(customer=customer, status="all").data) == 1
