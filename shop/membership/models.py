"""A member's Stripe customer, each subscription they held, and its invoices."""

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.timeutil import utcnow
from shop.extensions import db

# The shop's states, from Stripe's subscription statuses (see sync.STATES)
PENDING = "pending"  # created here, Stripe's answer not yet in (or 3-D Secure under way)
ACTIVE = "active"
PAST_DUE = "past_due"  # a renewal failed; Stripe is retrying: the member keeps access
UNPAID = "unpaid"  # Stripe gave up retrying but keeps the subscription: access paused until it is paid
ENDED = "ended"  # cancelled, or never paid: terminal, never reopened
STATES = (PENDING, ACTIVE, PAST_DUE, UNPAID, ENDED)
OPEN_STATES = (ACTIVE, PAST_DUE)  # the states in which every course is open

CHANNEL_WEB = "web"
CHANNEL_PHONE = "phone"
CHANNELS = (CHANNEL_WEB, CHANNEL_PHONE)

INVOICE_PAID = "paid"
INVOICE_FAILED = "failed"
INVOICE_OPEN = "open"
INVOICE_VOID = "void"


class BillingCustomer(db.Model):
    """The Stripe customer of an account: one per account, created the first time it subscribes."""

    __tablename__ = "billing_customers"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    stripe_customer_id: Mapped[str] = mapped_column(db.String(80), unique=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)


class Membership(db.Model):
    """One subscription to the plan. An account holds at most one that is not ended (`live_user_id` is
    the account's id while the membership lives and NULL once ended: a unique column, so two clicks or
    two staff can never start two)."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint(f"state IN {STATES!r}", name="membership_state_known"),
        CheckConstraint(f"channel IN {CHANNELS!r}", name="membership_channel_known"),
        Index("ix_memberships_user", "user_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    live_user_id: Mapped[int | None] = mapped_column(nullable=True, unique=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), nullable=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(db.String(80), unique=True, nullable=True)
    idempotency_key: Mapped[str] = mapped_column(db.String(200), unique=True)
    state: Mapped[str] = mapped_column(db.String(12), default=PENDING)
    stripe_status: Mapped[str] = mapped_column(db.String(30), default="")
    channel: Mapped[str] = mapped_column(db.String(10), default=CHANNEL_WEB)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    price_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(db.String(3), default="USD")
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    started_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)  # first invoice paid
    current_period_end: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False)
    cancel_requested_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    ended_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    # Stripe's time (Unix seconds) of the newest event whose status we applied: an older one arriving late
    # may not move the status back
    status_seen_at: Mapped[int] = mapped_column(db.BigInteger, default=0)
    pending_intent_id: Mapped[str | None] = mapped_column(db.String(80), nullable=True)
    # a first-month offer counted for this membership (given back if its first payment never succeeds)
    offer_promotion_id: Mapped[int | None] = mapped_column(ForeignKey("promotions.id", ondelete="SET NULL"),
                                                           nullable=True)
    offer_code_id: Mapped[int | None] = mapped_column(nullable=True)
    offer_discount_cents: Mapped[int] = mapped_column(default=0)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    invoices = relationship("MembershipInvoice", back_populates="membership", lazy="selectin",
                            order_by="MembershipInvoice.created_at.desc()")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class MembershipInvoice(db.Model):
    """A monthly invoice as Stripe reported it: amount, period, paid or failed."""

    __tablename__ = "membership_invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    stripe_invoice_id: Mapped[str] = mapped_column(db.String(80), unique=True)
    intent_id: Mapped[str | None] = mapped_column(db.String(80), nullable=True, index=True)
    status: Mapped[str] = mapped_column(db.String(12), default=INVOICE_OPEN)
    amount_cents: Mapped[int] = mapped_column()
    refunded_cents: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(db.String(3), default="USD")
    period_start: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    period_end: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    paid_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    failed_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)

    membership = relationship("Membership", back_populates="invoices")
