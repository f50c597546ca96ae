"""Joining the membership with an offer: the first month at a lower price, priced by the pure pricing
engine from the promotions that name the membership, limited by the promotion's own counters.

Only promotions that target the membership (its product, or the kind "membership") count: a sale on
every course is not a membership offer. Offers are for new members (an account whose membership never
started). The discount goes on the first invoice as a credit; the use is counted before Stripe is asked
and given back if the first payment fails.
"""

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import update

from shop.accounts.models import User
from shop.catalogue.models import KIND_MEMBERSHIP, Product
from shop.core.errors import Refusal
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.membership import signup
from shop.membership.models import Membership
from shop.membership.signals import start_abandoned
from shop.money import format_cents
from shop.pricing import engine
from shop.pricing.types import Cart, Line
from shop.promotions import codes as promo_codes
from shop.promotions import loader, redemptions


@dataclass(frozen=True)
class FirstMonth:
    price_cents: int  # what the first month costs
    discount_cents: int = 0
    name: str = ""  # the offer, as the customer reads it
    promotion_id: int | None = None
    code_id: int | None = None
    problem: str = ""  # why the code entered gives nothing (empty when it applied or none was entered)


def _for_membership(promotion: Any, product: Product) -> bool:
    target = promotion.target
    return product.id in target.product_ids or KIND_MEMBERSHIP in target.kinds


def first_month(product: Product, code: str = "", user: User | None = None, *, channel: str = "web") -> FirstMonth:
    """The first month's price for this customer, with the best membership offer they may have."""
    code = promo_codes.normalise(code)[:40]
    if user is not None and signup.has_been_member(user.id):
        problem = f"{code} is for new members: welcome back!" if code else ""
        return FirstMonth(product.price_cents, problem=problem)
    verified = channel == "phone" or (user is not None and user.email_verified_at is not None)
    context = promo_codes.pricing_context([code] if code else [], first_order=lambda: True,
                                          email=user.email if user else "", user_id=user.id if user else None,
                                          verified=verified)
    offers = tuple(p for p in context.promotions if _for_membership(p, product))
    offers = loader.with_fresh_counters(offers, {p.id for p in offers})  # limits as they are now
    line = Line(product_id=product.id, sku=product.sku, title=product.title, kind=KIND_MEMBERSHIP,
                unit_price_cents=product.price_cents, quantity=1)
    cart = Cart(lines=(line,), channel=channel, currency=product.currency, customer=context.customer,
                codes=context.pairs, timezone=current_app.config["SHOP_TIMEZONE"])
    priced = engine.price(cart, offers, now=utcnow())
    problem = context.problems.get(code, "") if code else ""
    if code and not problem and not any(a.code == code for a in priced.adjustments):
        problem = f"{code} does not give anything off the membership."
    if not priced.adjustments:
        return FirstMonth(product.price_cents, problem=problem)
    best = max(priced.adjustments, key=lambda a: a.amount_cents)
    return FirstMonth(product.price_cents - best.amount_cents, best.amount_cents, best.name, best.promotion_id,
                      context.code_ids.get(best.code) if best.code else None, problem)


class OfferGone(Refusal):
    status = 409


def join(user: User, payment_method: str, *, code: str = "", staff: Any = None,
         shown_cents: int | None = None) -> signup.Outcome:
    """Subscribe with the first-month offer this customer has, its use counted within the promotion's limits
    for this attempt only (a second click counts nothing more; a failed first payment gives it back).

    `shown_cents`: the first month's price the page showed. It prices nothing; it is the customer's consent:
    when the offer ran out meanwhile and the month now costs more, nothing is charged and they are told."""
    started = signup.begin(user, payment_method, staff=staff)
    if isinstance(started, signup.Outcome):
        return started
    product = signup.plan.plan_product()
    offer = first_month(product, code, user, channel="phone" if staff is not None else "web")
    if shown_cents is not None and offer.price_cents > shown_cents:
        signup.abandon(started, "the first month's price went up before the payment")
        raise OfferGone(f"The offer has just run out: your first month is now {format_cents(offer.price_cents)}. "
                        "Nothing was charged; join again to accept the new price.", "code")
    if offer.discount_cents <= 0 or offer.promotion_id is None:
        return signup.charge(started, payment_method)
    if not redemptions.take_use(offer.promotion_id, offer.code_id, offer.discount_cents):
        signup.abandon(started, f"{offer.name} was just used up")
        raise OfferGone(f"{offer.name} was just used up. Reload the page to see the price without it.", "code")
    signup.record_offer(started, offer.promotion_id, offer.code_id, offer.discount_cents)
    credit = signup.FirstMonthCredit(offer.discount_cents, f"First month: {offer.name}")
    return signup.charge(started, payment_method, credit=credit)


@start_abandoned.connect
def _give_offer_back(membership: Membership, **_: Any) -> None:
    """A first payment that never succeeded: its offer's use goes back, once (a conditional update)."""
    taken = db.session.execute(
        update(Membership).where(Membership.id == membership.id, Membership.offer_discount_cents > 0)
        .values(offer_discount_cents=0).execution_options(synchronize_session=False)).rowcount
    if taken == 1 and membership.offer_promotion_id is not None:
        redemptions.release_use(membership.offer_promotion_id, membership.offer_code_id,
                                membership.offer_discount_cents)
