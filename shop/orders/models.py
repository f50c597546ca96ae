"""Orders and everything frozen with them: lines, payments, stock reservations and the timeline.

Over 300 lines: one table per noun of an order's life (lines, payments, reservations, events, shipments,
refunds, payment links, disputes), kept together so the schema reads in one place.
"""

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.shipping.countries import COUNTRIES

STATUS_PENDING_PAYMENT = "pending_payment"
STATUS_PAID = "paid"
STATUS_CANCELLED = "cancelled"
STATUS_EXPIRED = "expired"
STATUSES = (STATUS_PENDING_PAYMENT, STATUS_PAID, STATUS_CANCELLED, STATUS_EXPIRED)
STATUS_LABELS = {
    STATUS_PENDING_PAYMENT: "Awaiting payment",
    STATUS_PAID: "Paid",
    STATUS_CANCELLED: "Cancelled",
    STATUS_EXPIRED: "Expired (not paid)",
}
PAY_CARD = "card"
PAY_CHECK = "check"  # check or money order, recorded by staff when it arrives
PAY_LINK = "payment_link"
PAY_METHODS = (PAY_CARD, PAY_CHECK, PAY_LINK)
FULFILMENT_UNFULFILLED = "unfulfilled"
FULFILMENT_PARTIAL = "partially_shipped"
FULFILMENT_SHIPPED = "shipped"
FULFILMENT_NOT_NEEDED = "not_needed"
CHANNEL_WEB = "web"
CHANNEL_PHONE = "phone"
ORDER_NUMBER_PREFIX = "STR"


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status_known"),
        CheckConstraint("total_cents >= 0", name="total_not_negative"),
        Index("ix_orders_email", "email"),
        Index("ix_orders_status_placed", "status", "placed_at"),
        Index("ix_orders_channel_placed", "channel", "placed_at"),
        Index("ix_orders_placed", "placed_at"),
        {"sqlite_autoincrement": True},  # ids, and so order numbers, are never reused
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(db.String(20), unique=True, nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    email: Mapped[str] = mapped_column(db.String(254))
    customer_name: Mapped[str] = mapped_column(db.String(200), default="")
    phone: Mapped[str] = mapped_column(db.String(40), default="")
    channel: Mapped[str] = mapped_column(db.String(10), default=CHANNEL_WEB)
    status: Mapped[str] = mapped_column(db.String(20), default=STATUS_PENDING_PAYMENT)
    currency: Mapped[str] = mapped_column(db.String(3), default="USD")
    subtotal_cents: Mapped[int] = mapped_column(default=0)
    discount_cents: Mapped[int] = mapped_column(default=0)
    shipping_cents: Mapped[int] = mapped_column(default=0)
    tax_cents: Mapped[int] = mapped_column(default=0)  # the lines' tax plus shipping_tax_cents
    shipping_tax_cents: Mapped[int] = mapped_column(default=0)
    # the destination whose tax rules priced the order (shipping address, or billing state for downloads)
    tax_country: Mapped[str] = mapped_column(db.String(2), default="")
    tax_region: Mapped[str] = mapped_column(db.String(3), default="")
    total_cents: Mapped[int] = mapped_column(default=0)
    requires_shipping: Mapped[bool] = mapped_column(default=False)
    shipping_method_code: Mapped[str] = mapped_column(db.String(40), default="")
    shipping_method_name: Mapped[str] = mapped_column(db.String(120), default="")
    ship_name: Mapped[str] = mapped_column(db.String(200), default="")
    ship_line1: Mapped[str] = mapped_column(db.String(200), default="")
    ship_line2: Mapped[str] = mapped_column(db.String(200), default="")
    ship_city: Mapped[str] = mapped_column(db.String(120), default="")
    ship_region: Mapped[str] = mapped_column(db.String(120), default="")
    ship_postal_code: Mapped[str] = mapped_column(db.String(20), default="")
    ship_country: Mapped[str] = mapped_column(db.String(2), default="")
    pricing_snapshot: Mapped[dict] = mapped_column(db.JSON, default=dict)
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("carts.id", ondelete="SET NULL"), nullable=True)
    checkout_token: Mapped[str | None] = mapped_column(db.String(64), unique=True, nullable=True)
    reservation_expires_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    placed_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    paid_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    closed_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    # phone orders and the order desk
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                 index=True)
    caller_phone: Mapped[str] = mapped_column(db.String(40), default="")
    call_notes: Mapped[str] = mapped_column(db.Text, default="")
    payment_method: Mapped[str] = mapped_column(db.String(20), default=PAY_CARD)
    fulfilment_status: Mapped[str] = mapped_column(db.String(20), default=FULFILMENT_UNFULFILLED)
    paid_cents: Mapped[int] = mapped_column(default=0)
    refunded_cents: Mapped[int] = mapped_column(default=0)
    version_id: Mapped[int] = mapped_column(default=1)

    lines = relationship("OrderLine", back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id")
    payments = relationship("Payment", back_populates="order", cascade="all, delete-orphan",
                            order_by="Payment.id")
    reservations = relationship("StockReservation", back_populates="order", cascade="all, delete-orphan")
    events = relationship("OrderEvent", back_populates="order", cascade="all, delete-orphan",
                          order_by="OrderEvent.id")
    shipments = relationship("Shipment", back_populates="order", cascade="all, delete-orphan",
                             order_by="Shipment.id")
    refunds = relationship("Refund", back_populates="order", cascade="all, delete-orphan", order_by="Refund.id")
    staff = relationship("User", foreign_keys=[staff_id])

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def is_paid(self):
        return self.status == STATUS_PAID

    @property
    def shipping_before_offers_cents(self):
        """Shipping as the method charges it; a free-shipping offer then shows as a discount line."""
        return self.shipping_cents + int((self.pricing_snapshot or {}).get("shipping_discount_cents") or 0)

    @property
    def shipping_address_lines(self):
        if not self.requires_shipping:
            return []
        city = " ".join(p for p in (self.ship_city, self.ship_region, self.ship_postal_code) if p)
        country = COUNTRIES.get(self.ship_country, self.ship_country)
        return [p for p in (self.ship_name, self.ship_line1, self.ship_line2, city, country) if p]


class OrderLine(db.Model):
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), nullable=True,
                                                   index=True)
    sku: Mapped[str] = mapped_column(db.String(40))
    title: Mapped[str] = mapped_column(db.String(200))
    kind: Mapped[str] = mapped_column(db.String(20))
    is_physical: Mapped[bool] = mapped_column(default=False)
    unit_price_cents: Mapped[int] = mapped_column()
    quantity: Mapped[int] = mapped_column()
    subtotal_cents: Mapped[int] = mapped_column()
    discount_cents: Mapped[int] = mapped_column(default=0)
    tax_cents: Mapped[int] = mapped_column(default=0)  # this line's share of the order's tax
    total_cents: Mapped[int] = mapped_column()  # after discounts, before tax

    order = relationship("Order", back_populates="lines")


PAYMENT_PENDING = "pending"
PAYMENT_REQUIRES_ACTION = "requires_action"
PAYMENT_SUCCEEDED = "succeeded"
PAYMENT_FAILED = "failed"
PAYMENT_CANCELLED = "cancelled"


class Payment(db.Model):
    """One attempt to pay an order (a Stripe PaymentIntent). Card details never reach this table."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(db.String(20), default="stripe")
    idempotency_key: Mapped[str] = mapped_column(db.String(120), unique=True)
    intent_id: Mapped[str | None] = mapped_column(db.String(120), unique=True, nullable=True)
    amount_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(db.String(3), default="USD")
    status: Mapped[str] = mapped_column(db.String(20), default=PAYMENT_PENDING)
    failure_message: Mapped[str] = mapped_column(db.String(500), default="")
    reference: Mapped[str] = mapped_column(db.String(120), default="")  # check number, money order number
    # what the receipt says of a card payment (from Stripe, never typed in): "visa", "4242"
    card_brand: Mapped[str] = mapped_column(db.String(20), default="")
    card_last4: Mapped[str] = mapped_column(db.String(4), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow)

    order = relationship("Order", back_populates="payments")


RESERVATION_HELD = "held"
RESERVATION_CONVERTED = "converted"
RESERVATION_RELEASED = "released"


class StockReservation(db.Model):
    """Copies taken from stock for an unpaid order; released if it is not paid in time."""

    __tablename__ = "stock_reservations"
    __table_args__ = (
        UniqueConstraint("order_id", "product_id", name="uq_stock_reservations_line"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_stock_reservations_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(db.String(20), default=RESERVATION_HELD)
    expires_at: Mapped[object] = mapped_column(db.DateTime)

    order = relationship("Order", back_populates="reservations")


class OrderEvent(db.Model):
    """The order's timeline: placed, payment attempts, paid, e-mails, notes."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(db.String(40))
    message: Mapped[str] = mapped_column(db.String(1000), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    order = relationship("Order", back_populates="events")


class Shipment(db.Model):
    """A parcel that left: which lines (or part of them), the carrier and its tracking number."""

    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    carrier: Mapped[str] = mapped_column(db.String(60))
    tracking_number: Mapped[str] = mapped_column(db.String(80), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    shipped_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    order = relationship("Order", back_populates="shipments")
    lines = relationship("ShipmentLine", cascade="all, delete-orphan", back_populates="shipment")


class ShipmentLine(db.Model):
    __tablename__ = "shipment_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column()

    shipment = relationship("Shipment", back_populates="lines")
    order_line = relationship("OrderLine")


REFUND_STRIPE = "stripe"
REFUND_MANUAL = "manual"  # checks and money orders: paid back by the shop outside Stripe


class Refund(db.Model):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    amount_cents: Mapped[int] = mapped_column()  # tax included
    tax_cents: Mapped[int] = mapped_column(default=0)  # the tax given back within amount_cents
    reason: Mapped[str] = mapped_column(db.String(500))
    method: Mapped[str] = mapped_column(db.String(10), default=REFUND_STRIPE)
    provider_refund_id: Mapped[str | None] = mapped_column(db.String(120), unique=True, nullable=True)
    idempotency_key: Mapped[str] = mapped_column(db.String(120), unique=True)
    status: Mapped[str] = mapped_column(db.String(20), default="pending")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    order = relationship("Order", back_populates="refunds")
    lines = relationship("RefundLine", cascade="all, delete-orphan", back_populates="refund")

    @property
    def made_in_stripe(self) -> bool:
        """A refund made in Stripe's own dashboard, heard by webhook (no staff member made it here)."""
        return self.staff_id is None and self.idempotency_key.startswith("processor:")


class RefundLine(db.Model):
    """What a refund gives back for one order line: the quantity and what was really paid for it."""

    __tablename__ = "refund_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refunds.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(default=0)
    amount_cents: Mapped[int] = mapped_column()

    refund = relationship("Refund", back_populates="lines")
    order_line = relationship("OrderLine")


class PaymentLink(db.Model):
    """A signed, single-use, expiring link e-mailed to a caller to pay a phone order on the shop's page."""

    __tablename__ = "payment_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    expires_at: Mapped[object] = mapped_column(db.DateTime)
    used_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    order = relationship("Order")


class Dispute(db.Model):
    """A chargeback the customer's bank opened against a card payment, as Stripe reported it: an order's
    payment, or a membership's invoice."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True,
                                                 nullable=True)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"),
                                                      index=True, nullable=True)
    stripe_dispute_id: Mapped[str] = mapped_column(db.String(80), unique=True)
    charge_id: Mapped[str] = mapped_column(db.String(80), default="")
    amount_cents: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(db.String(60), default="")
    status: Mapped[str] = mapped_column(db.String(30), default="")  # Stripe's: needs_response, won, lost...
    opened_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    closed_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)

    order = relationship("Order")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def reason_words(self) -> str:
        return self.reason.replace("_", " ")
