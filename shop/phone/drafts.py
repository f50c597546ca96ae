"""Phone orders keyed in by staff while the caller waits: the draft and its life.

A draft is a cart of its own (token "phone-...", never a browser's) and a pending phone order that mirrors
it. Every change runs in one transaction (`change`): the cart changes by the cart's rules, shop.quote prices
it for the phone channel (phone promotions and the code the caller quotes), and the order's lines, totals
and stock holds are brought in line with it (shop.orders.lines, shop.orders.reservations). So the copies are
held while the call lasts (PHONE_HOLD_MINUTES after the last change); an abandoned draft expires like any
unpaid order (orders.expire_unpaid gives the copies back), and is held again if staff come back to it.

What a change does is in shop.phone.changes; placing the order and taking payment in shop.phone.placing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import current_app

from shop.accounts.models import User
from shop.cart import services as cart_services
from shop.cart.models import Cart
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.timeutil import utcnow
from shop.courses.access import owned_course_ids
from shop.extensions import db
from shop.money import format_cents
from shop.orders import lines, reservations
from shop.orders import services as orders
from shop.orders.models import CHANNEL_PHONE, PAY_CARD, PAY_CHECK, PAY_LINK, STATUS_PAID, STATUS_PENDING_PAYMENT, Order
from shop.orders.payment import RESULT_PAID
from shop.orders.reservations import OutOfStock
from shop.phone.models import CALL_ORDER, CallLogEntry
from shop.pricing.types import Breakdown
from shop.promotions import codes as promo_codes
from shop.quote import Quote
from shop.quote import quote as price_cart

DRAFT_PREFIX = "phone-"
AWAITING = "awaiting"  # placed to be paid by check or link
WHERE = "the order"  # how the cart's rules name a phone draft
METHOD_LABELS = {PAY_CARD: "Card over the phone", PAY_CHECK: "Check or money order", PAY_LINK: "E-mail a payment link"}
CALLER_FIELDS = ("email", "customer_name", "phone", "user_id", "caller_phone", "call_notes", "shipping_method_code",
                 *(f"ship_{f}" for f in ("name", "line1", "line2", "city", "region", "postal_code", "country")))
T = TypeVar("T")


def setting(name: str) -> int:
    """PHONE_HOLD_MINUTES, PHONE_CHECK_HOLD_DAYS, PAYMENT_LINK_HOURS, PHONE_CARD_MOTO: see config.py."""
    return int(current_app.config[name])


class PhoneOrderError(Refusal):
    """Something staff must fix; the message is for them. `field` names the input it is about."""


class DraftGone(PhoneOrderError):
    """The draft was placed or discarded: `order` (if any) is what became of it."""

    def __init__(self, message: str, order: Order | None = None) -> None:
        super().__init__(message, status=404)
        self.order = order


class ManyMatches(PhoneOrderError):
    def __init__(self, text: str, matches: list[Any]) -> None:
        super().__init__(f"{len(matches)} products match “{text}”: pick one.", "item", status=409)
        self.text = text
        self.matches = matches


def out_of_stock(error: OutOfStock) -> PhoneOrderError:
    return PhoneOrderError(f"{error.message} Change the quantity.", "item", status=409)


@dataclass
class Draft:
    cart: Cart
    order: Order
    notice: str = ""

    @property
    def token(self) -> str:
        return self.cart.token

    @property
    def codes(self) -> list[str]:
        return promo_codes.entered(self.cart)

    @property
    def held(self) -> dict[int, int]:
        """{book id: copies} this draft holds."""
        return reservations.held(self.order)

    @property
    def has_caller(self) -> bool:
        return bool(self.order.email)

    @property
    def customer(self) -> User | None:
        return db.session.get(User, self.order.user_id) if self.order.user_id else None

    @property
    def owned(self) -> set[int]:
        """The courses the caller owns already (by account and by e-mail)."""
        return owned_course_ids(email=self.order.email or None, user=self.customer)


@dataclass(frozen=True)
class Placed:
    status: str  # payments.RESULT_* for a card, AWAITING for a check or a link
    order: Order
    message: str = ""
    client_secret: str | None = None


# ---- pricing and the hold --------------------------------------------------------------------------

def quote(draft: Draft) -> Quote:
    """The draft's prices: the catalogue, the phone channel's promotions, the codes the caller quoted and the
    customer (nothing written)."""
    order = draft.order
    return price_cart(draft.cart, order.ship_country or "US", order.shipping_method_code, channel=CHANNEL_PHONE,
                      email=order.email, user=draft.customer, region=order.ship_region)


def reprice(draft: Draft, until: datetime | None = None, now: datetime | None = None) -> Quote:
    """Write the quote onto the order (lines, totals, snapshot) and hold the copies. Not committed."""
    now = now or utcnow()
    priced = quote(draft)
    lines.write(draft.order, priced.breakdown)
    reservations.hold_exactly(draft.order, cart_services.books_held_by(draft.cart),
                              until or now + timedelta(minutes=setting("PHONE_HOLD_MINUTES")))
    return priced


def change(draft: Draft, work: Callable[[], T]) -> T:
    """Run `work()`, re-price and re-hold, commit; roll everything back on a refusal."""
    try:
        result = work()
        reprice(draft)
        db.session.commit()
    except OutOfStock as error:
        db.session.rollback()
        raise out_of_stock(error) from error
    except PhoneOrderError:
        db.session.rollback()
        raise
    except Refusal as error:  # the cart's rules: what staff typed does not fit the order (422)
        db.session.rollback()
        raise PhoneOrderError(error.message, error.field or "item") from error
    return result


# ---- drafts ----------------------------------------------------------------------------------------

def _empty() -> Breakdown:
    return Breakdown(lines=(), adjustments=(), subtotal_cents=0, discount_cents=0, shipping_cents=0,
                     shipping_discount_cents=0, tax_cents=0, total_cents=0, requires_shipping=False, shipping=None)


def _new_order(cart: Cart, staff: Any, now: datetime | None = None, copy_from: Order | None = None) -> Order:
    order = orders.create_order(
        breakdown=_empty(), products={}, customer={"email": ""}, shipping_address={}, checkout_token=None,
        cart_id=cart.id, user_id=None, channel=CHANNEL_PHONE, reservation_minutes=setting("PHONE_HOLD_MINUTES"),
        now=now)
    order.staff_id = staff.id
    order.events[-1].message = f"Phone order started by {staff.email}."
    if copy_from is not None:
        for name in CALLER_FIELDS:
            setattr(order, name, getattr(copy_from, name))
    return order


def start(staff: Any) -> Draft:
    """A new, empty draft for this staff member, in the caller's transaction: the step that opened it commits
    it with its own change, and a refused step (rolled back) leaves no empty draft behind."""
    cart = cart_services.new_cart(DRAFT_PREFIX)
    db.session.add(cart)
    db.session.flush()
    order = _new_order(cart, staff)
    db.session.flush()
    return Draft(cart, order)


def load(token: str, staff: Any, revive: bool = True) -> Draft:
    """The draft with this token. A draft whose hold lapsed is held again (as a new order) when `revive`;
    one whose order was paid meanwhile (a late answer from the card processor) is closed and reported gone.
    """
    cart = cart_services.cart_by_token(token, DRAFT_PREFIX)
    if cart is None:
        raise DraftGone("This phone order is no longer open: it was placed or discarded.")
    order = db.session.execute(
        db.select(Order).where(Order.cart_id == cart.id).order_by(Order.id.desc()).limit(1)).scalar_one_or_none()
    if order is not None and order.status == STATUS_PAID:
        close(Draft(cart, order), staff)
        raise DraftGone(f"Order {order.number} is paid.", order)
    draft = Draft(cart, order)  # type: ignore[arg-type]
    if order is not None and order.status == STATUS_PENDING_PAYMENT:
        return draft
    if not revive:
        draft.notice = "The copies are no longer held: this draft was left too long. Any change holds them again."
        return draft
    return _revive(draft, staff)


def _revive(draft: Draft, staff: Any) -> Draft:
    """The hold lapsed: a new order takes the draft's place and holds what is still in stock."""
    old = draft.order
    draft.order = _new_order(draft.cart, staff, copy_from=old)
    if old is not None:
        old.cart_id = None
    dropped = []
    db.session.commit()
    for _ in range(len(draft.cart.items) + 1):
        try:
            reprice(draft)
            db.session.commit()
            break
        except OutOfStock as error:
            db.session.rollback()
            for item in list(draft.cart.items):
                if error.book_id in item.product.books(1):
                    dropped.append(item.product.title)
                    draft.cart.items.remove(item)
            db.session.commit()
    outcome = f"No longer in stock, removed: {', '.join(dropped)}." if dropped else "Everything is held again."
    draft.notice = f"The hold had lapsed, so this is now order {draft.order.number}. {outcome}"
    return draft


def discard(draft: Draft, staff: Any) -> Order:
    """Give back the copies and forget the draft (the call itself can be logged separately)."""
    order = draft.order
    if order.status == STATUS_PENDING_PAYMENT:
        orders.abandon(order, f"Phone order discarded by {staff.email}.")
    order.cart_id = None
    db.session.delete(draft.cart)
    db.session.commit()
    return order


def close(draft: Draft, staff: Any, placed: Placed | None = None) -> Placed:
    """The order is placed: log the call with it, drop the draft's cart, note it in the order's history."""
    order = draft.order
    placed = placed or Placed(RESULT_PAID, order)
    how = METHOD_LABELS.get(order.payment_method, order.payment_method)
    orders.record(order, "phone_placed", f"Taken by phone by {staff.email}: {how.lower()}, "
                  f"{format_cents(order.total_cents)}.", actor_id=staff.id)
    db.session.add(CallLogEntry(
        staff_id=staff.id, customer_id=order.user_id, caller_name=order.customer_name,
        caller_phone=order.caller_phone or order.phone, caller_email=order.email, outcome=CALL_ORDER,
        notes=order.call_notes, order_id=order.id))
    audit.record("phone_order_placed", "order", order.id, f"{order.number}: {how}.", actor=staff)
    order.cart_id = None
    db.session.delete(draft.cart)
    db.session.commit()
    return placed
