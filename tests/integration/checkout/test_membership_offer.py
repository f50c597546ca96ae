"""The membership's first month at an offer's price: only offers naming the membership, for new members,
within the promotion's limits, the use given back when the first payment fails."""

import pytest
import stripe

from shop.checkout import membership_offer
from shop.extensions import db
from shop.membership import signup
from shop.promotions import status
from shop.promotions.models import Promotion
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, PromotionFactory, UserFactory
from tests.support import stripe_server as ls
from tests.support.forms import csrf_token, log_in, text


@pytest.fixture
def plan(app, payments_on):
    return MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)


def _first_invoice_amount(outcome):
    return stripe.Invoice.retrieve(outcome.membership.invoices[0].stripe_invoice_id)["amount_due"]


def _uses(promotion):
    db.session.expire_all()
    return db.session.get(Promotion, promotion.id).redemption_count


def test_a_code_for_the_membership_lowers_the_first_invoice_only(plan, payments_on):
    offer = PromotionFactory(name="First month $9.95", benefit_kind="amount", amount_cents=1000,
                             applies_to_everything=False, products=[plan], requires_code=True, code="HELLO")
    user = UserFactory()
    priced = membership_offer.first_month(plan, "hello", user)
    assert (priced.price_cents, priced.discount_cents, priced.name) == (995, 1000, "First month $9.95")

    outcome = membership_offer.join(user, ls.card_payment_method(payments_on), code="HELLO")

    assert outcome.status == signup.JOINED
    assert _first_invoice_amount(outcome) == 995 and outcome.membership.invoices[0].amount_cents == 995
    assert outcome.membership.price_cents == 1995  # every later month is the plan's price
    assert _uses(offer) == 1


def test_a_sale_on_everything_is_not_a_membership_offer(plan, payments_on):
    PromotionFactory(name="10% off everything")  # applies to everything, names no membership
    priced = membership_offer.first_month(plan, "", UserFactory())
    assert priced.discount_cents == 0 and priced.price_cents == 1995


def test_a_code_that_gives_nothing_says_why(plan):
    PromotionFactory(name="Books only", applies_to_everything=False, target_kinds="book", requires_code=True,
                     code="BOOKS")
    assert membership_offer.first_month(plan, "BOOKS", UserFactory()).problem == \
        "BOOKS does not give anything off the membership."
    assert "NOPE" in membership_offer.first_month(plan, "NOPE", UserFactory()).problem


def test_an_offer_limited_to_one_use_gives_one_first_month(plan, payments_on):
    offer = PromotionFactory(name="One lucky member", benefit_kind="amount", amount_cents=500,
                             applies_to_everything=False, target_kinds="membership", max_redemptions=1)
    first = membership_offer.join(UserFactory(), ls.card_payment_method(payments_on))
    assert _first_invoice_amount(first) == 1495
    second = membership_offer.join(UserFactory(), ls.card_payment_method(payments_on))
    assert _first_invoice_amount(second) == 1995  # used up: the offer no longer prices the month
    assert _uses(offer) == 1


def test_a_declined_first_payment_gives_the_use_back(plan, payments_on):
    offer = PromotionFactory(name="Welcome", benefit_kind="amount", amount_cents=500,
                             applies_to_everything=False, products=[plan], max_redemptions=1)
    declined = membership_offer.join(UserFactory(), ls.card_payment_method(payments_on, ls.CARD_DECLINED))
    assert declined.status == signup.DECLINED and _uses(offer) == 0


def test_the_offer_is_for_new_members(plan, payments_on):
    PromotionFactory(name="Welcome", benefit_kind="amount", amount_cents=500, applies_to_everything=False,
                     products=[plan], requires_code=True, code="WELCOME")
    user = UserFactory()
    joined = signup.subscribe(user, ls.card_payment_method(payments_on))
    signup.sync.end(joined.membership)
    db.session.commit()
    again = membership_offer.first_month(plan, "WELCOME", user)
    assert again.discount_cents == 0 and "new members" in again.problem


def test_the_join_page_shows_the_first_month_price_for_a_code(client, plan):
    PromotionFactory(name="Spring welcome", benefit_kind="amount", amount_cents=1000,
                     applies_to_everything=False, products=[plan], requires_code=True, code="SPRING")
    user = UserFactory()
    log_in(client, user.email, DEFAULT_PASSWORD)
    page = text(client.get("/membership?code=spring"))
    assert "Spring welcome: your first month is $9.95 ($10.00 off)." in page
    assert "$9.95 today, then $19.95 on the" in page
    assert 'name="code" value="SPRING"' in page
    assert csrf_token(page)


def test_marketing_reads_that_a_membership_offer_is_for_the_first_month(plan):
    offer = PromotionFactory(name="Welcome", benefit_kind="amount", amount_cents=500, applies_to_everything=False,
                             products=[plan])
    assert "on the membership: its first month only, for new members" in status.facts(offer).conditions


def test_an_offer_that_ran_out_after_the_page_charges_nothing_more_than_shown(plan, payments_on):
    offer = PromotionFactory(name="Welcome", benefit_kind="amount", amount_cents=500, applies_to_everything=False,
                             products=[plan], max_redemptions=1)
    user = UserFactory()
    shown = membership_offer.first_month(plan, "", user).price_cents
    assert shown == 1495
    offer.redemption_count = 1  # someone else took the last one meanwhile
    db.session.commit()
    with pytest.raises(membership_offer.OfferGone, match="now \\$19.95. Nothing was charged"):
        membership_offer.join(user, ls.card_payment_method(payments_on), shown_cents=shown)
    assert signup.queries.live_membership(user.id) is None
