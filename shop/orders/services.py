"""Order life: placing (number, lines, reserved stock), paid, payment failed, expired, cancelled.

Status changes are conditional updates (`... WHERE status IN (...)`): when two deliveries of the same
news race, exactly one changes the row and does the work that goes with it (course access, the
confirmation e-mail), so nothing happens twice and a paid order never goes back to pending.
"""

import logging
from datetime import timedelta

from sqlalchemy import update

from shop.catalogue import stock
from shop.catalogue.models import KIND_BOOK, KIND_COMBO, KIND_COURSE
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.orders.models import (
    FULFILMENT_NOT_NEEDED,
    FULFILMENT_UNFULFILLED,
    ORDER_NUMBER_PREFIX,
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    RESERVATION_CONVERTED,
    RESERVATION_HELD,
    RESERVATION_RELEASED,
    STATUS_EXPIRED,
    STATUS_PAID,
    STATUS_PENDING_PAYMENT,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    StockReservation,
)
from shop.promotions import redemptions
from shop.timeutil import utcnow

log = logging.getLogger(__name__)
NUMBER_OFFSET = 100000


class OutOfStock(Exception):
    def __init__(self, title, available):
        copies = "copy" if available == 1 else "copies"
        super().__init__(f"Sorry: only {available} {copies} of {title} left now. Please change your cart.")
        self.title = title
        self.available = available


def record(order, kind, message="", actor_id=None):
    order.events.append(OrderEvent(kind=kind, message=message[:1000], actor_id=actor_id))


def order_number(order_id):
    """Human-friendly, unique and never reused (order ids never are: see the table's autoincrement)."""
    return f"{ORDER_NUMBER_PREFIX}-{NUMBER_OFFSET + order_id}"


def books_needed(product, quantity):
    if product.kind == KIND_BOOK:
        return {product.id: (product, quantity)}
    if product.kind == KIND_COMBO:
        return {p.component_id: (p.component, p.quantity * quantity) for p in product.components
                if p.component.kind == KIND_BOOK}
    return {}


def create_order(*, breakdown, products, customer, shipping_address, checkout_token, cart_id, user_id,
                 channel, reservation_minutes, now=None):
    """Add a pending order with a snapshot of every line and price, and take its books from stock.

    `products` maps product id -> Product for the breakdown's lines. Raises OutOfStock (after
    rolling back) if a book ran out. The caller commits.
    """
    now = now or utcnow()
    order = Order(
        email=customer["email"], customer_name=customer.get("name", ""), phone=customer.get("phone", ""),
        user_id=user_id, channel=channel, currency=breakdown.currency, status=STATUS_PENDING_PAYMENT,
        subtotal_cents=breakdown.subtotal_cents, discount_cents=breakdown.discount_cents,
        shipping_cents=breakdown.shipping_cents, tax_cents=breakdown.tax_cents, total_cents=breakdown.total_cents,
        requires_shipping=breakdown.requires_shipping, pricing_snapshot=breakdown.snapshot(),
        fulfilment_status=FULFILMENT_UNFULFILLED if breakdown.requires_shipping else FULFILMENT_NOT_NEEDED,
        checkout_token=checkout_token, cart_id=cart_id, placed_at=now,
        reservation_expires_at=now + timedelta(minutes=reservation_minutes),
    )
    if breakdown.requires_shipping:
        order.shipping_method_code = breakdown.shipping.code
        order.shipping_method_name = breakdown.shipping.name
        for field in ("name", "line1", "line2", "city", "region", "postal_code", "country"):
            setattr(order, f"ship_{field}", shipping_address.get(field, ""))
    for priced in breakdown.lines:
        line = priced.line
        order.lines.append(OrderLine(
            product_id=line.product_id, sku=line.sku, title=line.title, kind=line.kind,
            is_physical=line.is_physical, unit_price_cents=line.unit_price_cents, quantity=line.quantity,
            subtotal_cents=priced.subtotal_cents, discount_cents=priced.discount_cents, total_cents=priced.total_cents,
        ))
    db.session.add(order)
    db.session.flush()
    order.number = order_number(order.id)
    wanted = {}
    for priced in breakdown.lines:
        for book_id, (book, copies) in books_needed(products[priced.line.product_id], priced.line.quantity).items():
            title, total = wanted.get(book_id, (book.title, 0))
            wanted[book_id] = (title, total + copies)
    for book_id, (title, copies) in sorted(wanted.items()):
        if not stock.take(book_id, copies, order_id=order.id):
            available = stock.available(book_id)
            db.session.rollback()
            raise OutOfStock(title, available)
        order.reservations.append(StockReservation(product_id=book_id, quantity=copies,
                                                   expires_at=order.reservation_expires_at))
    record(order, "placed", f"Order placed on the {channel} channel for {breakdown.total_cents} cents.")
    return order


def _transition(order_id, from_statuses, to_status, **values):
    """Move the order to `to_status` if it is in one of `from_statuses`; True if this call moved it."""
    result = db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status.in_(from_statuses))
        .values(status=to_status, version_id=Order.version_id + 1, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _grant_courses(order):
    owned = set(db.session.execute(
        db.select(CourseAccess.product_id).where(CourseAccess.email == order.email.lower())
    ).scalars())
    from shop.catalogue.models import Product

    for line in order.lines:
        product = db.session.get(Product, line.product_id) if line.product_id else None
        if product is None:
            continue
        course_ids = {product.id} if product.kind == KIND_COURSE else {
            p.component_id for p in product.components if p.component.kind == KIND_COURSE}
        for course_id in sorted(course_ids - owned):
            db.session.add(CourseAccess(email=order.email.lower(), user_id=order.user_id, product_id=course_id,
                                        order_id=order.id))
            owned.add(course_id)


def _secure_stock(order):
    """Held copies become sold; copies released when the order expired are taken again if still there."""
    for reservation in order.reservations:
        if reservation.status == RESERVATION_HELD:
            reservation.status = RESERVATION_CONVERTED
        elif reservation.status == RESERVATION_RELEASED:
            if stock.take(reservation.product_id, reservation.quantity, order_id=order.id):
                reservation.status = RESERVATION_CONVERTED
            else:
                record(order, "stock_short", f"Paid after expiry, but product {reservation.product_id} has too "
                       f"few copies for {reservation.quantity}: ship when restocked or refund.")


def mark_paid(order_id, intent, source):
    """The processor says this intent succeeded. Marks the order paid once; checks amount and currency."""
    from shop.cart import services as cart_services
    from shop.mail import messages

    order = db.session.get(Order, order_id)
    if order is None:
        return False
    payment = db.session.execute(db.select(Payment).filter_by(intent_id=intent.id)).scalar_one_or_none() \
        if intent else None
    if intent is not None and (intent.amount_cents != order.total_cents or intent.currency != order.currency):
        record(order, "payment_mismatch", f"{source}: intent {intent.id} is for {intent.amount_cents} "
               f"{intent.currency}, the order is {order.total_cents} {order.currency}; not marked paid.")
        db.session.commit()
        log.error("Payment %s does not match order %s", intent.id, order.number)
        return False
    if payment is not None:
        payment.status = PAYMENT_SUCCEEDED
    now = utcnow()
    if not _transition(order.id, (STATUS_PENDING_PAYMENT, STATUS_EXPIRED), STATUS_PAID, paid_at=now,
                       paid_cents=Order.total_cents):
        db.session.commit()  # keeps the payment row's status; the order was already paid (or cancelled)
        db.session.refresh(order)
        if order.status != STATUS_PAID:
            record(order, "paid_after_close", f"{source}: payment {intent.id if intent else ''} succeeded "
                   f"for a {order.status} order: refund it.")
            db.session.commit()
        return False
    db.session.refresh(order)
    _secure_stock(order)
    redemptions.confirm_for_order(order)
    _grant_courses(order)
    cart_services.clear_lines(order.cart_id, {line.product_id: line.quantity for line in order.lines})
    record(order, "paid", f"Paid ({source}){': ' + intent.id if intent else ''}.")
    messages.order_confirmation(order)
    record(order, "email_queued", f"Order confirmation e-mail to {order.email} queued.")
    db.session.commit()
    return True


def record_payment_failure(intent, source):
    payment = db.session.execute(db.select(Payment).filter_by(intent_id=intent.id)).scalar_one_or_none()
    if payment is None or payment.status == PAYMENT_SUCCEEDED:
        return False  # a late "failed" never undoes a success
    payment.status = PAYMENT_FAILED
    payment.failure_message = (intent.failure_message or "Payment failed.")[:500]
    record(payment.order, "payment_failed", f"{source}: {payment.failure_message}")
    db.session.commit()
    return True


def release_reservations(order):
    for reservation in order.reservations:
        if reservation.status == RESERVATION_HELD:
            stock.give_back(reservation.product_id, reservation.quantity, order_id=order.id)
            reservation.status = RESERVATION_RELEASED


def expire_unpaid(now=None):
    """Unpaid orders past their reservation time: stock goes back, the order is marked expired."""
    now = now or utcnow()
    due = db.session.execute(
        db.select(Order.id).where(Order.status == STATUS_PENDING_PAYMENT, Order.reservation_expires_at < now)
    ).scalars().all()
    expired = []
    for order_id in due:
        if not _transition(order_id, (STATUS_PENDING_PAYMENT,), STATUS_EXPIRED, closed_at=now, checkout_token=None):
            db.session.rollback()
            continue
        order = db.session.get(Order, order_id)
        db.session.refresh(order)
        release_reservations(order)
        redemptions.release_for_order(order)
        record(order, "expired", "Not paid in time: reserved stock released.")
        db.session.commit()
        expired.append(order)
    return expired


def abandon(order, reason):
    """The customer changed the cart after a failed attempt: this unpaid order gives its stock back."""
    if not _transition(order.id, (STATUS_PENDING_PAYMENT,), STATUS_EXPIRED, closed_at=utcnow(), checkout_token=None):
        db.session.rollback()
        return False
    db.session.refresh(order)
    release_reservations(order)
    redemptions.release_for_order(order)
    record(order, "abandoned", reason)
    db.session.commit()
    return True
