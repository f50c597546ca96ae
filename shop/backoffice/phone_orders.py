"""Phone orders keyed in by staff while the caller waits.

A draft is a cart of its own (token "phone-...", never a browser's) and a pending phone order that mirrors
it. Every change runs in one transaction: the cart changes by the cart's rules, the shop's pricing prices it
(checkout's quote(..., channel="phone"): phone-channel promotions and the code the caller quotes), and the
order's lines, totals and stock reservations are brought in line with it. So the copies are held while the
call lasts (PHONE_HOLD_MINUTES after the last change); an abandoned draft expires like any unpaid order
(orders.expire_unpaid gives the copies back), and is held again if staff come back to it.

Placing it takes payment one of three ways:
- card: keyed by staff into the Payment Element (card data never reaches us); the server charges the
  order's total as a mail/telephone order (payments.pay_with_card, MOTO where the processor allows);
- check or money order: the order waits, holding its copies PHONE_CHECK_HOLD_DAYS, until staff record it
  (shop.payments.manual);
- payment link: e-mailed to the caller (shop.payments.links); the copies are held as long as the link lives.
Once placed, the draft's cart is deleted and the call is logged with a link to the order.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from shop.accounts.models import ROLE_CUSTOMER, Address, User
from shop.backoffice import audit
from shop.backoffice.models import CALL_ORDER, CallLogEntry
from shop.cart import services as cart_services
from shop.catalogue import stock
from shop.catalogue.models import Product
from shop.checkout import services as checkout
from shop.extensions import db
from shop.money import format_cents
from shop.orders import services as orders
from shop.orders.models import (
    CHANNEL_PHONE,
    FULFILMENT_NOT_NEEDED,
    FULFILMENT_UNFULFILLED,
    PAY_CARD,
    PAY_CHECK,
    PAY_LINK,
    RESERVATION_HELD,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    Order,
    OrderLine,
    StockReservation,
)
from shop.payments import services as payments
from shop.pricing.types import Breakdown
from shop.promotions import codes as promo_codes
from shop.promotions import redemptions
from shop.promotions.models import REDEMPTION_HELD, REDEMPTION_RELEASED, PromotionRedemption
from shop.shipping.countries import COUNTRIES
from shop.timeutil import utcnow

DRAFT_PREFIX = "phone-"
METHOD_LABELS = {PAY_CARD: "Card over the phone", PAY_CHECK: "Check or money order", PAY_LINK: "E-mail a payment link"}


def setting(name):
    """PHONE_HOLD_MINUTES, PHONE_CHECK_HOLD_DAYS, PAYMENT_LINK_HOURS, PHONE_CARD_MOTO: see config.py."""
    return int(current_app.config[name])


class PhoneOrderError(Exception):
    """Something staff must fix; the message is for them. `field` names the input it is about."""

    def __init__(self, message, field=None, status=422):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


class DraftGone(PhoneOrderError):
    """The draft was placed or discarded: `order` (if any) is what became of it."""

    def __init__(self, message, order=None):
        super().__init__(message, status=404)
        self.order = order


class ManyMatches(PhoneOrderError):
    def __init__(self, text, matches):
        super().__init__(f"{len(matches)} products match “{text}”: pick one.", "item", status=409)
        self.text = text
        self.matches = matches


class ShortOfStock(orders.OutOfStock):
    def __init__(self, book_id, title, available):
        super().__init__(title, available)
        self.book_id = book_id


@dataclass
class Draft:
    cart: object
    order: Order
    notice: str = ""

    @property
    def token(self):
        return self.cart.token

    @property
    def codes(self):
        return promo_codes.entered(self.cart)

    @property
    def held(self):
        """{book id: copies} this draft holds."""
        return {r.product_id: r.quantity for r in self.order.reservations if r.status == RESERVATION_HELD}

    @property
    def has_caller(self):
        return bool(self.order.email)


# ---- pricing and the hold --------------------------------------------------------------------------

def _customer(order):
    return db.session.get(User, order.user_id) if order.user_id else None


def quote(draft):
    """The draft's prices: the catalogue, the phone channel's promotions, the codes the caller quoted and the
    customer (nothing written)."""
    order = draft.order
    return checkout.quote(draft.cart, order.ship_country or "US", order.shipping_method_code,
                          channel=CHANNEL_PHONE, email=order.email, user=_customer(order))


def _owned(order):
    return cart_services.owned_course_ids(email=order.email or None, user=_customer(order))


def _hold(draft, until):
    """Take or give back copies so that the order holds exactly what the cart needs, until `until`."""
    order = draft.order
    wanted = cart_services.books_held_by(draft.cart)
    held = {r.product_id: r for r in order.reservations if r.status == RESERVATION_HELD}
    for book_id in sorted(set(wanted) | set(held)):
        need = wanted.get(book_id, 0)
        reservation = held.get(book_id)
        have = reservation.quantity if reservation else 0
        if need > have and not stock.take(book_id, need - have, order_id=order.id):
            book = db.session.get(Product, book_id)
            raise ShortOfStock(book_id, book.title, stock.available(book_id) + have)
        if need < have:
            stock.give_back(book_id, have - need, order_id=order.id)
        if need == 0:
            order.reservations.remove(reservation)
        elif reservation is None:
            order.reservations.append(StockReservation(product_id=book_id, quantity=need, expires_at=until))
        else:
            reservation.quantity = need
    order.reservation_expires_at = until
    for reservation in order.reservations:
        if reservation.status == RESERVATION_HELD:
            reservation.expires_at = until


def _reprice(draft, until=None, now=None):
    """Write the quote onto the order (lines, totals, snapshot) and hold the copies. Not committed."""
    now = now or utcnow()
    order = draft.order
    priced = quote(draft)
    breakdown = priced.breakdown
    order.lines.clear()
    for priced_line in breakdown.lines:
        line = priced_line.line
        order.lines.append(OrderLine(
            product_id=line.product_id, sku=line.sku, title=line.title, kind=line.kind,
            is_physical=line.is_physical, unit_price_cents=line.unit_price_cents, quantity=line.quantity,
            subtotal_cents=priced_line.subtotal_cents, discount_cents=priced_line.discount_cents,
            total_cents=priced_line.total_cents))
    for name in ("subtotal_cents", "discount_cents", "shipping_cents", "tax_cents", "total_cents", "currency",
                 "requires_shipping"):
        setattr(order, name, getattr(breakdown, name))
    order.fulfilment_status = FULFILMENT_UNFULFILLED if breakdown.requires_shipping else FULFILMENT_NOT_NEEDED
    order.shipping_method_code = priced.selected.code if priced.selected else ""
    order.shipping_method_name = priced.selected.name if priced.selected else ""
    order.pricing_snapshot = breakdown.snapshot()
    _hold(draft, until or now + timedelta(minutes=setting("PHONE_HOLD_MINUTES")))
    return priced


def _change(draft, work):
    """Run `work()`, re-price and re-hold, commit; roll everything back on a refusal."""
    try:
        result = work()
        _reprice(draft)
        db.session.commit()
    except cart_services.CartError as error:
        db.session.rollback()
        raise PhoneOrderError(str(error), "item") from error
    except orders.OutOfStock as error:
        db.session.rollback()
        raise PhoneOrderError(str(error).replace("Please change your cart.", "Change the quantity."), "item",
                              status=409) from error
    except PhoneOrderError:
        db.session.rollback()
        raise
    return result


# ---- drafts ----------------------------------------------------------------------------------------

def _new_order(cart, staff, now=None, copy_from=None):
    empty = Breakdown(lines=(), adjustments=(), subtotal_cents=0, discount_cents=0, shipping_cents=0,
                      shipping_discount_cents=0, tax_cents=0, total_cents=0, requires_shipping=False, shipping=None)
    order = orders.create_order(
        breakdown=empty, products={}, customer={"email": ""}, shipping_address={}, checkout_token=None,
        cart_id=cart.id, user_id=None, channel=CHANNEL_PHONE, reservation_minutes=setting("PHONE_HOLD_MINUTES"),
        now=now)
    order.staff_id = staff.id
    order.events[-1].message = f"Phone order started by {staff.email}."
    if copy_from is not None:
        for name in ("email", "customer_name", "phone", "user_id", "caller_phone", "call_notes",
                     "shipping_method_code", *(f"ship_{f}" for f in ("name", "line1", "line2", "city", "region",
                                                                      "postal_code", "country"))):
            setattr(order, name, getattr(copy_from, name))
    return order


def start(staff):
    """A new, empty draft for this staff member."""
    cart = cart_services.new_cart(DRAFT_PREFIX)
    order = _new_order(cart, staff)
    db.session.commit()
    return Draft(cart, order)


def load(token, staff, revive=True):
    """The draft with this token. A draft whose hold lapsed is held again (as a new order) when `revive`."""
    cart = cart_services.cart_by_token(token, DRAFT_PREFIX)
    if cart is None:
        raise DraftGone("This phone order is no longer open: it was placed or discarded.")
    order = db.session.execute(
        db.select(Order).where(Order.cart_id == cart.id).order_by(Order.id.desc()).limit(1)).scalar_one_or_none()
    if order is not None and order.status == STATUS_PAID:  # paid by a late answer from the card processor
        _close(Draft(cart, order), staff, Placed(payments.RESULT_PAID, order))
        raise DraftGone(f"Order {order.number} is paid.", order)
    draft = Draft(cart, order)
    if order is not None and order.status == STATUS_PENDING_PAYMENT:
        return draft
    if not revive:
        draft.notice = "The copies are no longer held: this draft was left too long. Any change holds them again."
        return draft
    return _revive(draft, staff)


def _revive(draft, staff):
    """The hold lapsed: a new order takes the draft's place and holds what is still in stock."""
    old = draft.order
    draft.order = _new_order(draft.cart, staff, copy_from=old)
    if old is not None:
        old.cart_id = None
    dropped = []
    db.session.commit()
    for _ in range(len(draft.cart.items) + 1):
        try:
            _reprice(draft)
            db.session.commit()
            break
        except ShortOfStock as error:
            db.session.rollback()
            for item in list(draft.cart.items):
                if error.book_id in orders.books_needed(item.product, 1):
                    dropped.append(item.product.title)
                    draft.cart.items.remove(item)
            db.session.commit()
    outcome = f"No longer in stock, removed: {', '.join(dropped)}." if dropped else "Everything is held again."
    draft.notice = f"The hold had lapsed, so this is now order {draft.order.number}. {outcome}"
    return draft


def discard(draft, staff):
    """Give back the copies and forget the draft (the call itself can be logged separately)."""
    order = draft.order
    if order.status == STATUS_PENDING_PAYMENT:
        orders.abandon(order, f"Phone order discarded by {staff.email}.")
    order.cart_id = None
    db.session.delete(draft.cart)
    db.session.commit()
    return order


# ---- the caller --------------------------------------------------------------------------------------

def use_caller(draft, caller):
    """Put a found caller (shop.backoffice.phone_lookup.Caller) on the order, with their address."""
    order = draft.order

    def work():
        order.user_id = caller.user_id
        order.email = (caller.email or "").strip().lower()
        order.customer_name = caller.name or ""
        order.phone = caller.phone or ""
        order.caller_phone = order.caller_phone or caller.phone or ""
        if caller.address:
            _set_address(order, caller.address)
        if not order.email:
            raise PhoneOrderError("This caller has no e-mail address: create them as a new customer.", "q")

    _change(draft, work)
    problems = cart_services.cart_problems(draft.cart, _owned(order), draft.held)
    draft.notice = " ".join(problems)
    return draft


def _set_address(order, address):
    for name in ("name", "line1", "line2", "city", "region", "postal_code"):
        setattr(order, f"ship_{name}", (address.get(name) or "").strip())
    country = (address.get("country") or "US").upper()
    order.ship_country = country if country in COUNTRIES else "US"
    if not order.ship_name:
        order.ship_name = order.customer_name


def create_customer(draft, staff, *, name, email, phone, address):
    """A new customer account (no password: they can set one with "forgot password"), used for this order."""
    from shop.accounts import services as accounts

    email = accounts.normalize_email(email)
    problem = accounts.email_problem(email)
    if problem:
        raise PhoneOrderError(problem, "new_email")
    if accounts.user_by_email(email) is not None:
        raise PhoneOrderError("A customer with this e-mail exists already: find them by e-mail instead.",
                              "new_email", status=409)
    if not (name or "").strip():
        raise PhoneOrderError("Enter the customer's name.", "new_name")
    if any((address.get(k) or "").strip() for k in ("line1", "city", "postal_code")):
        for key, label in (("line1", "Address"), ("city", "City"), ("postal_code", "ZIP or postal code")):
            if not (address.get(key) or "").strip():
                raise PhoneOrderError(f"{label} is needed for the address (or leave the address empty).",
                                      f"new_{key}")
    user = User(email=email, password_hash=None, full_name=name.strip()[:200], phone=(phone or "").strip()[:40],
                role=ROLE_CUSTOMER)
    if (address.get("line1") or "").strip():
        user.addresses.append(Address(name=user.full_name, is_default=True, phone=user.phone,
                                      **{k: (address.get(k) or "").strip() for k in
                                         ("line1", "line2", "city", "region", "postal_code")},
                                      country=(address.get("country") or "US").upper()))
    db.session.add(user)
    db.session.flush()
    audit.record("customer_created", "user", user.id, f"Created by phone for order {draft.order.number}.",
                 actor=staff)
    from shop.backoffice.phone_lookup import caller_by_key

    return use_caller(draft, caller_by_key(f"user:{user.id}"))


# ---- items -------------------------------------------------------------------------------------------

def add_item(draft, quantity, product_id=None, text=""):
    """Add by product id, or by an exact SKU or the only product matching `text`; ManyMatches otherwise."""
    from shop.backoffice.phone_lookup import find_products

    if product_id is None:
        matches = find_products(text)
        if not matches:
            raise PhoneOrderError(f"No product has the SKU or title “{text.strip()[:100]}”.", "item", status=404)
        if len(matches) > 1:
            raise ManyMatches(text.strip(), matches)
        product_id = matches[0].id
    return _change(draft, lambda: cart_services.add_to_cart(draft.cart, product_id, quantity, _owned(draft.order),
                                                            draft.held))


def set_quantity(draft, product_id, quantity):
    return _change(draft, lambda: cart_services.set_cart_quantity(draft.cart, product_id, quantity,
                                                                  _owned(draft.order), draft.held))


def remove_item(draft, product_id):
    return _change(draft, lambda: cart_services.remove_from_cart(draft.cart, product_id))


# ---- shipping, code, notes ---------------------------------------------------------------------------

def update_details(draft, *, address, shipping_code, caller_phone, call_notes):
    order = draft.order

    def work():
        _set_address(order, address)
        order.shipping_method_code = (shipping_code or "")[:40]
        order.caller_phone = (caller_phone or "").strip()[:40]
        order.call_notes = (call_notes or "").strip()[:4000]

    _change(draft, work)
    return draft


def apply_code(draft, staff, text):
    """The promo code the caller quotes, checked as on the web (rate-limited per staff member); a message."""
    order = draft.order
    try:
        message = promo_codes.apply_code(draft.cart, text, order.email, channel=CHANNEL_PHONE,
                                         user=_customer(order), visitor=f"staff-{staff.id}",
                                         country=order.ship_country or "US")
    except promo_codes.CodeError as error:
        raise PhoneOrderError(error.message, "code", status=error.status) from error
    _change(draft, lambda: None)
    return message


def remove_code(draft, text):
    code = promo_codes.remove_code(draft.cart, text)
    _change(draft, lambda: None)
    return code


# ---- placing it ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Placed:
    status: str  # payments.RESULT_* for a card, "awaiting" for a check or a link
    order: Order
    message: str = ""
    client_secret: str | None = None


def _check_ready(draft, priced):
    order = draft.order
    if not draft.cart.items:
        raise PhoneOrderError("Add at least one item.", "item")
    if not order.email or not order.customer_name:
        raise PhoneOrderError("Find the caller or create them as a new customer first.", "q")
    problems = cart_services.cart_problems(draft.cart, _owned(order), draft.held)
    if problems:
        raise PhoneOrderError(" ".join(problems), "item", status=409)
    details = checkout.CheckoutDetails(
        email=order.email, name=order.customer_name, shipping_code=order.shipping_method_code,
        address={k: getattr(order, f"ship_{k}") for k in ("line1", "line2", "city", "region", "postal_code",
                                                          "country")})
    try:
        checkout._check_details(details, priced.breakdown.requires_shipping, priced.methods)
    except checkout.CheckoutError as error:
        field, message = next(iter(error.errors.items()))
        raise PhoneOrderError(message, field) from error


def place(draft, staff, method, payment_method_id=""):
    """Re-price, check, and take payment the chosen way. Raises PhoneOrderError; returns Placed."""
    if method not in METHOD_LABELS:
        raise PhoneOrderError("Choose how the caller pays.", "payment")
    now = utcnow()
    order = draft.order
    hold_until = {PAY_CHECK: now + timedelta(days=setting("PHONE_CHECK_HOLD_DAYS")),
                  PAY_LINK: now + timedelta(hours=setting("PAYMENT_LINK_HOURS"))}.get(method)
    try:
        priced = _reprice(draft, until=hold_until, now=now)
        _check_ready(draft, priced)
        if method == PAY_CARD and order.total_cents > 0 and not payment_method_id:
            raise PhoneOrderError("Key in the card details.", "payment")
        _count_promotions(order, priced)
    except redemptions.LimitReached as error:
        db.session.rollback()
        raise PhoneOrderError(error.message, "code", status=409) from error
    except orders.OutOfStock as error:
        db.session.rollback()
        raise PhoneOrderError(str(error).replace("Please change your cart.", "Change the quantity."), "item",
                              status=409) from error
    except PhoneOrderError:
        db.session.rollback()
        raise
    order.payment_method = method
    order.staff_id = staff.id
    order.placed_at = now
    db.session.commit()
    if order.total_cents == 0:
        outcome = payments.pay_free_order(order)
        return _close(draft, staff, Placed(outcome.status, order))
    if method == PAY_CARD:
        moto = bool(setting("PHONE_CARD_MOTO"))
        return card_outcome(draft, staff, payments.pay_with_card(order, payment_method_id, moto=moto))
    if method == PAY_LINK:
        from shop.payments import links

        links.send(order, staff)
    return _close(draft, staff, Placed("awaiting", order))


def _count_promotions(order, priced):
    """Count the order's uses of its promotions and codes against their limits, once: an earlier attempt's
    count (a declined card, then a changed order) is given back first."""
    wanted = {}
    for adjustment in priced.breakdown.adjustments:
        if adjustment.promotion_id is not None:
            wanted[adjustment.promotion_id] = wanted.get(adjustment.promotion_id, 0) + adjustment.amount_cents
    held = dict(db.session.execute(
        db.select(PromotionRedemption.promotion_id, PromotionRedemption.discount_cents)
        .where(PromotionRedemption.order_id == order.id, PromotionRedemption.status == REDEMPTION_HELD)).all())
    if held == wanted:
        return
    redemptions.release_for_order(order)
    db.session.execute(db.delete(PromotionRedemption).where(PromotionRedemption.order_id == order.id,
                                                            PromotionRedemption.status == REDEMPTION_RELEASED))
    redemptions.hold(order, priced.breakdown, priced.context.code_ids)


def card_outcome(draft, staff, outcome):
    """After a card attempt (or its 3-D Secure follow-up): close the draft once it is paid."""
    placed = Placed(outcome.status, outcome.order, outcome.message, outcome.client_secret)
    if outcome.status == payments.RESULT_PAID:
        return _close(draft, staff, placed)
    return placed


def _close(draft, staff, placed):
    """The order is placed: log the call with it, drop the draft's cart, note it in the order's history."""
    order = draft.order
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


def awaiting_payment(limit=20):
    """Phone orders placed to be paid by check or link and not paid yet, oldest first."""
    return db.session.execute(
        db.select(Order).where(Order.channel == CHANNEL_PHONE, Order.status == STATUS_PENDING_PAYMENT,
                               Order.cart_id.is_(None), Order.payment_method.in_((PAY_CHECK, PAY_LINK)))
        .order_by(Order.placed_at, Order.id).limit(limit)
    ).scalars().all()


# ---- after placing: a check arrives, or the caller needs a new link ---------------------------------

def record_check(order, amount_text, reference, staff):
    """Staff record the check or money order received (shop.payments.manual): the order is paid."""
    from shop.payments import manual

    audit.record("check_recorded", "order", order.id, f"Check or money order {' '.join(reference.split())[:120]}.",
                 actor=staff)
    return manual.record_check(order, amount_text, reference, staff)


def resend_link(order, staff, now=None):
    """E-mail a new payment link (the older ones stop working); the copies stay held as long as it lives."""
    from shop.payments import links

    if order.status != STATUS_PENDING_PAYMENT or order.cart_id is not None:
        raise PhoneOrderError(f"Order {order.number} is {order.status_label.lower()}: no payment link can be "
                              "sent for it.", status=409)
    link = links.send(order, staff, now)
    order.payment_method = PAY_LINK
    order.reservation_expires_at = max(order.reservation_expires_at or link.expires_at, link.expires_at)
    for reservation in order.reservations:
        if reservation.status == RESERVATION_HELD:
            reservation.expires_at = order.reservation_expires_at
    audit.record("payment_link_sent", "order", order.id, f"Payment link e-mailed to {order.email}.", actor=staff)
    db.session.commit()
    return link
