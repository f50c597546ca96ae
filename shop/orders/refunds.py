"""Refunds, full or partial, by amount or by line; through Stripe for card payments, manual for checks.

Over 300 lines: every way money goes back (by line, by amount, in Stripe's dashboard) shares one reservation
and one tax rule, kept here together.

Rules:
- a refund never takes the order past what was paid: one conditional UPDATE
  (`SET refunded_cents = refunded_cents + :a WHERE refunded_cents + :a <= paid_cents`) reserves the
  amount before the processor is called, so two refunds at once cannot exceed it on any database;
- a line refund gives back what was really paid for those units: the line's total (after its
  discount) shared over its units to the cent (shop.money.allocate), so refunding every unit one at
  a time gives back exactly the line's total; its tax is shared over its units the same way and given
  back with them. A refund of an amount gives back the order's share of tax in it, a refund of all that
  is left all the tax left (Refund.tax_cents; never more in all than the order's tax);
- staff may refund up to the STAFF_REFUND_LIMIT_CENTS setting per order (all refunds on the order
  together, so a large refund cannot be split into small ones); admins any amount;
- card payments are refunded on the order's succeeded PaymentIntent with an idempotency key kept on
  the Refund row (unique): a form sent twice makes one refund. Checks and money orders are recorded
  as manual refunds (the shop pays them back outside Stripe).

The amount is reserved and the Refund row saved (pending) before calling Stripe; if Stripe refuses or
cannot be reached the reservation is given back and the row marked failed. A crash between Stripe's
answer and our commit leaves a pending row holding the amount: never a refund counted twice. A refund
made in Stripe's dashboard (shop.orders.stripe_events) is counted the same way: record_processor_refund.
"""

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from shop.accounts.access import is_admin
from shop.catalogue.models import Product
from shop.core import audit
from shop.core.settings import get_setting
from shop.courses import access as course_access
from shop.extensions import db
from shop.money import allocate, format_cents
from shop.orders import emails, services
from shop.orders.editing import ActionRefused
from shop.orders.fulfilment import refunded_units
from shop.orders.models import (
    PAY_CHECK,
    PAYMENT_SUCCEEDED,
    REFUND_MANUAL,
    REFUND_STRIPE,
    STATUS_CANCELLED,
    STATUS_PAID,
    Order,
    OrderLine,
    Payment,
    Refund,
    RefundLine,
)
from shop.payments.gateway import PaymentError, processor

REFUND_PENDING = "pending"
REFUND_SUCCEEDED = "succeeded"
REFUND_FAILED = "failed"
REFUNDABLE_STATUSES = (STATUS_PAID, STATUS_CANCELLED)
REASON_MAX = 500
KEY_MAX = 80
_KEY = re.compile(rf"[A-Za-z0-9_-]{{1,{KEY_MAX}}}")


@dataclass(frozen=True)
class RefundableLine:
    line: OrderLine
    refunded: int  # units already refunded by line

    @property
    def units_left(self) -> int:
        return self.line.quantity - self.refunded


def staff_limit_cents() -> int:
    """The most staff (not admins) may refund on one order: the admin setting."""
    return int(get_setting("STAFF_REFUND_LIMIT_CENTS"))


def limit_binds(actor: Any) -> bool:
    """Whether the staff refund limit applies to this person (it does not bind admins)."""
    return not is_admin(actor)


def refundable_cents(order: Order) -> int:
    return max(0, _paid_cents(order) - order.refunded_cents)


def _paid_cents(order: Order) -> int:
    # orders paid before paid_cents was kept (and any path that does not set it) paid their total
    if order.paid_cents or order.paid_at is None:
        return order.paid_cents
    return order.total_cents


def refundable_lines(order: Order) -> list[RefundableLine]:
    done = refunded_units([order.id])
    return [RefundableLine(line, done.get(line.id, 0)) for line in order.lines]


def line_amounts(order: Order, quantities: dict[int, int]) -> dict[int, tuple[int, int]]:
    """{line_id: (units, cents)} for a refund of `quantities` ({line_id: units}); ActionRefused if impossible.
    The cents are what was paid for those units: their share of the line's total and of its tax."""
    return {line_id: (units, goods + tax) for line_id, (units, goods, tax) in _line_parts(order, quantities).items()}


def _line_parts(order: Order, quantities: dict[int, int]) -> dict[int, tuple[int, int, int]]:
    """{line_id: (units, goods cents, tax cents)}: each unit's share of the line's total and tax, to the cent."""
    lines = {item.line.id: item for item in refundable_lines(order)}
    amounts = {}
    for line_id, units in quantities.items():
        item = lines.get(line_id)
        if item is None:
            raise ActionRefused("That line is not part of this order.", field=f"refund-qty-{line_id}")
        if units < 0 or units > item.units_left:
            raise ActionRefused(f"{item.line.title}: refund between 0 and {item.units_left} "
                                f"unit{'s' if item.units_left != 1 else ''}.", field=f"refund-qty-{line_id}")
        if units:
            taken = slice(item.refunded, item.refunded + units)
            goods = sum(allocate(item.line.total_cents, [1] * item.line.quantity)[taken])
            tax = sum(allocate(item.line.tax_cents or 0, [1] * item.line.quantity)[taken])
            amounts[line_id] = (units, goods, tax)
    return amounts


def tax_within(order: Order, amount_cents: int) -> int:
    """The tax given back by a refund of an amount (not by line): the order's share of tax in what was paid,
    rounded half up, never more than the tax not yet given back; a refund of everything left to refund
    (the whole order, or the rest of it) gives back all the tax not yet given back. Called before the
    amount is reserved (order.refunded_cents does not count it yet)."""
    if not order.tax_cents or not order.total_cents or amount_cents <= 0:
        return 0
    tax_left = _tax_left(order)
    if amount_cents >= refundable_cents(order):
        return min(tax_left, amount_cents)
    share = (amount_cents * order.tax_cents * 2 + order.total_cents) // (2 * order.total_cents)
    return min(share, tax_left)


def _tax_left(order: Order) -> int:
    """The order's tax not yet given back by its refunds (pending ones count: they may go through)."""
    given_back = db.session.scalar(select(func.coalesce(func.sum(Refund.tax_cents), 0)).where(
        Refund.order_id == order.id, Refund.status != REFUND_FAILED)) or 0
    return max(0, (order.tax_cents or 0) - int(given_back))


def _card_payment(order: Order) -> Payment | None:
    return db.session.execute(
        select(Payment).where(Payment.order_id == order.id, Payment.status == PAYMENT_SUCCEEDED,
                              Payment.provider == "stripe", Payment.intent_id.is_not(None))
        .order_by(Payment.id.desc())
    ).scalars().first()


def refund_method(order: Order) -> tuple[str, str | None]:
    """(REFUND_STRIPE, intent id) or (REFUND_MANUAL, None); ActionRefused (409) when neither is possible."""
    payment = _card_payment(order)
    if payment is not None:
        return REFUND_STRIPE, payment.intent_id
    if order.payment_method == PAY_CHECK or db.session.scalar(
            select(Payment.id).where(Payment.order_id == order.id, Payment.status == PAYMENT_SUCCEEDED,
                                     Payment.provider != "stripe")):
        return REFUND_MANUAL, None
    raise ActionRefused(f"No successful card payment is recorded for order {order.number}, so it cannot be "
                        "refunded through Stripe.", status=409)


def check_allowed(order: Order, amount_cents: int, actor: Any) -> None:
    """Raise ActionRefused (422, 409 or 403) if `actor` may not refund `amount_cents` on this order now."""
    if order.status not in REFUNDABLE_STATUSES or _paid_cents(order) <= 0:
        raise ActionRefused(f"Order {order.number} has not been paid: there is nothing to refund.", status=409)
    if amount_cents <= 0:
        raise ActionRefused("Enter an amount to refund, or choose the units to refund.", field="amount")
    left = refundable_cents(order)
    if amount_cents > left:
        raise ActionRefused(f"At most {format_cents(left)} can be refunded on order {order.number} (paid "
                            f"{format_cents(_paid_cents(order))}, refunded {format_cents(order.refunded_cents)}).",
                            field="amount")
    if limit_binds(actor):
        limit = staff_limit_cents()
        if order.refunded_cents + amount_cents > limit:
            raise ActionRefused(
                f"Staff may refund up to {format_cents(limit)} per order; this would make "
                f"{format_cents(order.refunded_cents + amount_cents)}. Ask an admin to make this refund.", status=403)


def _reserve(order: Order, amount_cents: int, cap: int | None = None) -> bool:
    """Add the amount to refunded_cents if it stays within what was paid (and `cap`); False if it would not."""
    db.session.execute(
        update(Order).where(Order.id == order.id, Order.paid_cents == 0, Order.paid_at.is_not(None),
                            Order.status.in_(REFUNDABLE_STATUSES))
        .values(paid_cents=Order.total_cents).execution_options(synchronize_session=False))
    result = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status.in_(REFUNDABLE_STATUSES),
               Order.refunded_cents + amount_cents <= Order.paid_cents,
               *([Order.refunded_cents + amount_cents <= cap] if cap is not None else []))
        .values(refunded_cents=Order.refunded_cents + amount_cents, version_id=Order.version_id + 1)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _release(order: Order, amount_cents: int) -> None:
    db.session.execute(
        update(Order).where(Order.id == order.id, Order.refunded_cents >= amount_cents)
        .values(refunded_cents=Order.refunded_cents - amount_cents, version_id=Order.version_id + 1)
        .execution_options(synchronize_session=False))


def _withdraw_courses(order: Order, row: Refund) -> list[str]:
    """A refunded course line (or a refund of everything paid) takes its courses away; certificates stay."""
    db.session.flush()
    db.session.refresh(order)
    if order.refunded_cents >= order.paid_cents > 0:
        lines = list(order.lines)
    else:
        refunded = {item.order_line_id for item in row.lines}
        lines = [line for line in order.lines if line.id in refunded]
    courses = {}
    for line in lines:
        product = db.session.get(Product, line.product_id) if line.product_id else None
        for course in product.courses if product is not None else []:
            courses[course.id] = course.title
    if not courses or not course_access.withdraw_for_order(order.id, set(courses)):
        return []
    return sorted(courses.values())


def refund(order: Order, *, actor: Any, reason: str | None, idempotency_key: str | None,
           amount_cents: int | None = None, line_quantities: dict[int, int] | None = None,
           notify: bool = True) -> Refund:
    """Refund an amount, or the units in `line_quantities` ({line_id: units}). Returns the Refund row.
    The customer is e-mailed about it unless `notify` is false (a cancellation sends its own e-mail).

    ActionRefused: 422 for bad input, 403 over the staff limit, 409 when the order cannot be refunded
    (or the same form was sent twice), 502 when Stripe refuses or cannot be reached.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ActionRefused("Give a reason for the refund (the customer may see it).", field="reason")
    if len(reason) > REASON_MAX:
        raise ActionRefused(f"The reason is at most {REASON_MAX} characters.", field="reason")
    key = (idempotency_key or "").strip()
    if not _KEY.fullmatch(key):  # the form's own token; it travels to Stripe in a header
        raise ActionRefused("This form is incomplete: reload the page and try again.", status=400)
    parts = _line_parts(order, line_quantities or {})
    lines = {line_id: (units, goods + tax) for line_id, (units, goods, tax) in parts.items()}
    if lines:
        amount_cents = sum(cents for _, cents in lines.values())
    check_allowed(order, amount_cents or 0, actor)
    method, intent_id = refund_method(order)
    # units give back their own tax (never more than is left after earlier refunds of amounts)
    tax_cents = min(sum(tax for _, _, tax in parts.values()), _tax_left(order)) if parts else \
        tax_within(order, amount_cents or 0)
    row = Refund(order_id=order.id, amount_cents=amount_cents, tax_cents=tax_cents, reason=reason, method=method,
                 idempotency_key=f"refund:{order.id}:{key}", staff_id=actor.id,
                 status=REFUND_PENDING if method == REFUND_STRIPE else REFUND_SUCCEEDED)
    row.lines = [RefundLine(order_line_id=line_id, quantity=units, amount_cents=cents)
                 for line_id, (units, cents) in lines.items()]
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ActionRefused("This refund has already been made (the form was sent twice).", status=409) from None
    if not _reserve(order, amount_cents, cap=staff_limit_cents() if limit_binds(actor) else None):
        db.session.rollback()
        db.session.refresh(order)
        raise ActionRefused(f"Another refund was made meanwhile: {format_cents(order.refunded_cents)} is refunded "
                            f"already, at most {format_cents(refundable_cents(order))} "
                            f"can still be refunded on order {order.number}.", status=409, field="amount")
    units = [f"{lines[line.id][0]} × {line.title}" for line in order.lines if line.id in lines]
    what = format_cents(amount_cents) + (f" ({', '.join(units)})" if units else "")
    if method == REFUND_MANUAL:
        _finish(order, row, actor, f"Refund of {what} recorded as manual (pay it back by check): {reason}", notify)
        return row
    db.session.commit()  # the reservation and the pending row are saved before Stripe moves any money
    try:
        provider_id, _status = processor().refund(intent_id, amount_cents, row.idempotency_key, reason)
    except PaymentError as error:
        _release(order, amount_cents)
        row.status = REFUND_FAILED
        services.record(order, "refund_failed", f"Refund of {what} failed: {error.message}", actor_id=actor.id)
        db.session.commit()
        db.session.refresh(order)
        raise ActionRefused(f"The refund was not made: {error.message}", status=502) from error
    row.provider_refund_id = provider_id
    row.status = REFUND_SUCCEEDED
    _finish(order, row, actor, f"Refunded {what} through Stripe ({provider_id}): {reason}", notify)
    return row


def _finish(order: Order, row: Refund, actor: Any, summary: str, notify: bool = True) -> None:
    row.status = REFUND_SUCCEEDED
    services.record(order, "refunded", summary, actor_id=actor.id)
    if notify:
        db.session.flush()
        db.session.refresh(order)
        _tell_customer(order, row)
    withdrawn = _withdraw_courses(order, row)
    if withdrawn:
        services.record(order, "course_access_withdrawn",
                        f"Course access withdrawn with the refund: {', '.join(withdrawn)}.", actor_id=actor.id)
    audit.record("refunded", "order", order.id, summary[:500], actor=actor)
    db.session.commit()
    db.session.refresh(order)


def record_processor_refund(order: Order, provider_refund_id: str, amount_cents: int, reason: str, *,
                            shop_reason: str | None = None, room_cents: int | None = None) -> Refund | None:
    """A refund made in Stripe's dashboard, counted like the shop's own (not committed); None if known already
    or over `room_cents` (what Stripe refunded beyond our records). The shop's own pending refund of this
    amount, whose reason Stripe carries back as `shop_reason`, is completed instead: never counted twice."""
    if amount_cents <= 0 or db.session.scalar(select(Refund.id).where(Refund.provider_refund_id == provider_refund_id)):
        return None
    what = f"{format_cents(amount_cents)} ({provider_refund_id})"
    row = db.session.scalars(select(Refund).where(
        Refund.order_id == order.id, Refund.method == REFUND_STRIPE, Refund.status == REFUND_PENDING,
        Refund.provider_refund_id.is_(None), Refund.amount_cents == amount_cents, Refund.reason == shop_reason)
    ).first() if shop_reason else None
    if row is not None:  # already reserved by the shop's own refund
        row.provider_refund_id, row.status = provider_refund_id, REFUND_SUCCEEDED
        summary = f"Stripe confirmed the refund of {what}: {row.reason}"
    elif room_cents is not None and amount_cents > room_cents:
        return None
    else:
        row = Refund(order_id=order.id, amount_cents=amount_cents, tax_cents=tax_within(order, amount_cents),
                     reason=reason[:REASON_MAX], method=REFUND_STRIPE,
                     provider_refund_id=provider_refund_id, idempotency_key=f"processor:{provider_refund_id}"[:120],
                     status=REFUND_SUCCEEDED)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # another delivery recorded the same refund at this moment
            return None
        summary = f"Refunded {what} in Stripe's dashboard." + ("" if _reserve(order, amount_cents) else
                                                               " More than was left to refund: the total is unchanged.")
        audit.record("refunded", "order", order.id, summary[:500])
    services.record(order, "refunded", summary)
    db.session.flush()
    _tell_customer(order, row)
    if withdrawn := _withdraw_courses(order, row):
        services.record(order, "course_access_withdrawn", f"Course access withdrawn with the refund: "
                        f"{', '.join(withdrawn)}.")
    return row


def _tell_customer(order: Order, row: Refund) -> None:
    """The refund e-mail, once per refund (a repeated webhook or form finds it sent)."""
    if emails.refund_made(order, row) is not None:
        services.record(order, "email_queued", f"Refund e-mail to {order.email} queued.")
