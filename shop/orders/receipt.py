"""An order as its customer sees it afterwards: the receipt's read model, shared by the page and the PDF.

Everything is loaded once into plain values: the lines with their discounts and tax, the shipping and tax
lines, how it was paid ("Visa ending 4242", "Check no. 1042"), the shipments with tracking links, and the
refunds with what they gave back. A receipt exists only for an order that was paid.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.orders.emails import adjustments, tracking_url
from shop.orders.models import PAY_CHECK, PAYMENT_SUCCEEDED, Order, Payment, Refund, RefundLine, Shipment, ShipmentLine
from shop.orders.refunds import REFUND_SUCCEEDED

BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express", "discover": "Discover",
          "diners": "Diners Club", "jcb": "JCB", "unionpay": "UnionPay"}


@dataclass(frozen=True)
class ReceiptLine:
    title: str
    sku: str
    quantity: int
    unit_price_cents: int
    discount_cents: int
    total_cents: int  # after discounts, before tax
    tax_cents: int
    online: bool


@dataclass(frozen=True)
class PaymentMade:
    at: datetime
    amount_cents: int
    how: str  # "Visa ending 4242", "Check or money order no. 1042", "Card"


@dataclass(frozen=True)
class ShipmentSent:
    at: datetime
    carrier: str
    tracking_number: str
    tracking_url: str | None
    items: tuple[tuple[str, int], ...]  # (title, units)


@dataclass(frozen=True)
class RefundMade:
    at: datetime
    amount_cents: int
    tax_cents: int
    reason: str
    how: str  # "To the card", "By check"
    items: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Receipt:
    order: Order
    lines: tuple[ReceiptLine, ...]
    discounts: tuple[tuple[str, int], ...]
    tax_label: str
    payments: tuple[PaymentMade, ...]
    shipments: tuple[ShipmentSent, ...]
    refunds: tuple[RefundMade, ...]

    @property
    def is_receipt(self) -> bool:
        """Money was taken: a paid order (or one paid, then cancelled and refunded)."""
        return bool(self.payments)

    @property
    def paid_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments)

    @property
    def refunded_cents(self) -> int:
        return sum(r.amount_cents for r in self.refunds)

    @property
    def net_cents(self) -> int:
        return self.paid_cents - self.refunded_cents


def card_text(brand: str, last4: str) -> str:
    if not last4:
        return "Card"
    return f"{BRANDS.get(brand.lower(), brand.title() or 'Card')} ending {last4}"


def _how_paid(order: Order, payment: Payment) -> str:
    if payment.provider == "stripe":
        return card_text(payment.card_brand, payment.card_last4)
    if order.payment_method == PAY_CHECK or payment.provider == "check":
        return f"Check or money order no. {payment.reference}" if payment.reference else "Check or money order"
    return payment.provider.title()


def receipt_for(order: Order) -> Receipt:
    payments = db.session.scalars(select(Payment).where(Payment.order_id == order.id,
                                                        Payment.status == PAYMENT_SUCCEEDED).order_by(Payment.id)).all()
    shipments = db.session.scalars(select(Shipment).where(Shipment.order_id == order.id).order_by(Shipment.id)
                                   .options(selectinload(Shipment.lines).selectinload(ShipmentLine.order_line))).all()
    refunds = db.session.scalars(select(Refund).where(Refund.order_id == order.id, Refund.status == REFUND_SUCCEEDED)
                                 .order_by(Refund.id)
                                 .options(selectinload(Refund.lines).selectinload(RefundLine.order_line))).all()
    return Receipt(
        order=order,
        lines=tuple(ReceiptLine(line.title, line.sku, line.quantity, line.unit_price_cents, line.discount_cents,
                                line.total_cents, line.tax_cents or 0, not line.is_physical) for line in order.lines),
        discounts=tuple((a["name"], a["amount_cents"]) for a in adjustments(order)),
        tax_label=((order.pricing_snapshot or {}).get("tax") or {}).get("name") or "Tax",
        payments=tuple(PaymentMade(order.paid_at or p.updated_at or p.created_at, p.amount_cents, _how_paid(order, p))
                       for p in payments),
        shipments=tuple(ShipmentSent(s.shipped_at, s.carrier, s.tracking_number,
                                     tracking_url(s.carrier, s.tracking_number),
                                     tuple((part.order_line.title, part.quantity) for part in s.lines))
                        for s in shipments),
        refunds=tuple(RefundMade(r.created_at, r.amount_cents, r.tax_cents or 0, r.reason,
                                 "To the card" if r.method == "stripe" else "By check",
                                 tuple((part.order_line.title, part.quantity) for part in r.lines if part.quantity))
                      for r in refunds),
    )
