"""Promotions as marketing sets them up, their codes, and every time one was used (a redemption)."""

from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, event, func
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from shop.catalogue.signals import product_in_use
from shop.core import stamp
from shop.core.timeutil import utcnow
from shop.extensions import db

STATE_DRAFT = "draft"
STATE_ACTIVE = "active"  # shown as "scheduled", "live" or "ended" by its dates
STATE_PAUSED = "paused"
STATE_ENDED = "ended"
STATES = (STATE_DRAFT, STATE_ACTIVE, STATE_PAUSED, STATE_ENDED)

ROLE_TARGET = "target"
ROLE_EXCLUDE = "exclude"
ROLE_BUNDLE = "bundle"  # a product of a fixed-price set

REDEMPTION_HELD = "held"  # the order is placed, not yet paid: the use is counted
REDEMPTION_CONFIRMED = "confirmed"
REDEMPTION_RELEASED = "released"  # the order expired or was cancelled: the use is given back


class Promotion(db.Model):
    __tablename__ = "promotions"
    __table_args__ = (
        CheckConstraint(f"state IN {STATES!r}", name="state_known"),
        CheckConstraint("basis_points >= 0 AND basis_points <= 10000", name="basis_points_range"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        CheckConstraint("redemption_count >= 0 AND discount_given_cents >= 0", name="counters_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(120))
    public_description: Mapped[str] = mapped_column(db.Text, default="")
    state: Mapped[str] = mapped_column(db.String(10), default=STATE_DRAFT)
    starts_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    ends_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    channel_web: Mapped[bool] = mapped_column(default=True)
    channel_phone: Mapped[bool] = mapped_column(default=True)
    requires_code: Mapped[bool] = mapped_column(default=False)
    is_public: Mapped[bool] = mapped_column(default=True)
    exclusive: Mapped[bool] = mapped_column(default=False)
    priority: Mapped[int] = mapped_column(default=0)
    # benefit
    benefit_kind: Mapped[str] = mapped_column(db.String(20))
    basis_points: Mapped[int] = mapped_column(default=0)
    amount_cents: Mapped[int] = mapped_column(default=0)
    buy_quantity: Mapped[int] = mapped_column(default=0)
    get_quantity: Mapped[int] = mapped_column(default=0)
    # what it applies to (products and categories are in promotion_products / promotion_categories)
    applies_to_everything: Mapped[bool] = mapped_column(default=True)
    target_kinds: Mapped[str] = mapped_column(db.String(60), default="")  # comma-separated
    exclude_kinds: Mapped[str] = mapped_column(db.String(60), default="")
    # conditions
    min_subtotal_cents: Mapped[int] = mapped_column(default=0)
    min_quantity: Mapped[int] = mapped_column(default=0)
    first_order_only: Mapped[bool] = mapped_column(default=False)
    email_domains: Mapped[str] = mapped_column(db.Text, default="")  # one per line
    # limits, and the counters that enforce them (changed only by conditional updates)
    max_redemptions: Mapped[int | None] = mapped_column(nullable=True)
    max_per_customer: Mapped[int | None] = mapped_column(nullable=True)
    budget_cents: Mapped[int | None] = mapped_column(nullable=True)
    redemption_count: Mapped[int] = mapped_column(default=0)
    discount_given_cents: Mapped[int] = mapped_column(default=0)

    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow, index=True)
    version_id: Mapped[int] = mapped_column(default=1)

    products = relationship("PromotionProduct", cascade="all, delete-orphan", back_populates="promotion")
    categories = relationship("PromotionCategory", cascade="all, delete-orphan", back_populates="promotion")
    customers = relationship("PromotionCustomer", cascade="all, delete-orphan", back_populates="promotion")
    codes = relationship("PromotionCode", cascade="all, delete-orphan", back_populates="promotion",
                         order_by="PromotionCode.id", lazy="dynamic")

    __mapper_args__ = {"version_id_col": version_id}


class PromotionProduct(db.Model):
    __tablename__ = "promotion_products"
    __table_args__ = (UniqueConstraint("promotion_id", "product_id", "role", name="uq_promotion_products_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(db.String(10), default=ROLE_TARGET)
    quantity: Mapped[int] = mapped_column(default=1)

    promotion = relationship("Promotion", back_populates="products")
    product = relationship("Product", lazy="joined")


class PromotionCategory(db.Model):
    __tablename__ = "promotion_categories"
    __table_args__ = (UniqueConstraint("promotion_id", "category_id", "role", name="uq_promotion_categories_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(db.String(10), default=ROLE_TARGET)

    promotion = relationship("Promotion", back_populates="categories")
    category = relationship("Category", lazy="joined")


class PromotionCustomer(db.Model):
    """A listed customer: the promotion is only for these e-mail addresses (when any are listed)."""

    __tablename__ = "promotion_customers"
    __table_args__ = (UniqueConstraint("promotion_id", "email", name="uq_promotion_customers_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(db.String(254))

    promotion = relationship("Promotion", back_populates="customers")


class PromotionCode(db.Model):
    """A code that unlocks a promotion: one shared code, or one of a batch of single-use codes."""

    __tablename__ = "promotion_codes"
    __table_args__ = (CheckConstraint("use_count >= 0", name="use_count_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(db.String(40), unique=True)  # stored upper case; matched case-insensitively
    max_uses: Mapped[int | None] = mapped_column(nullable=True)  # 1 for single-use codes; None: no limit
    use_count: Mapped[int] = mapped_column(default=0)
    batch: Mapped[str] = mapped_column(db.String(60), default="")
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    promotion = relationship("Promotion", back_populates="codes")


class PromotionRedemption(db.Model):
    """One use of a promotion by one order: what it took off, on which channel; the basis of reports."""

    __tablename__ = "promotion_redemptions"
    __table_args__ = (
        UniqueConstraint("promotion_id", "order_id", name="uq_promotion_redemptions_order"),
        Index("ix_promotion_redemptions_promotion_email", "promotion_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"))
    code_id: Mapped[int | None] = mapped_column(ForeignKey("promotion_codes.id", ondelete="SET NULL"),
                                                nullable=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(db.String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    channel: Mapped[str] = mapped_column(db.String(10))
    discount_cents: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(db.String(10), default=REDEMPTION_HELD)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    promotion = relationship("Promotion")
    code = relationship("PromotionCode")


class CartCode(db.Model):
    """A promotion code the customer entered on the cart."""

    __tablename__ = "cart_codes"
    __table_args__ = (UniqueConstraint("cart_id", "code", name="uq_cart_codes_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(db.String(40))


PROMOTION_TABLES = ("promotions", "promotion_products", "promotion_categories", "promotion_customers",
                    "promotion_codes")
_CHILDREN = (PromotionProduct, PromotionCategory, PromotionCustomer, PromotionCode)


def _stamp_columns() -> tuple[Any, ...]:
    """Promotions' part of the storefront stamp: product pages show live offers, and the loader keeps the
    converted promotions under the stamp (shop.promotions.loader)."""
    return (db.select(func.count(Promotion.id)).scalar_subquery(),
            db.select(func.max(Promotion.updated_at)).scalar_subquery())


stamp.register("promotions", _stamp_columns, PROMOTION_TABLES)


@event.listens_for(Session, "before_flush")
def _touch_promotions(session: Session, flush_context: Any, instances: Any) -> None:
    """A change to a promotion's products, categories, customers or codes touches the promotion's updated_at,
    so the stamp every process reads changes too."""
    touched = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _CHILDREN):
            parent = obj.promotion if obj.promotion is not None else (
                session.get(Promotion, obj.promotion_id) if obj.promotion_id else None)
            if parent is not None and parent not in session.deleted and id(parent) not in touched:
                touched.add(id(parent))
                parent.updated_at = utcnow()


@product_in_use.connect
def _promotion_refers_to(product_id: int, **_: Any) -> bool:
    statement = db.select(PromotionProduct.id).where(PromotionProduct.product_id == product_id).limit(1)
    return db.session.scalar(statement) is not None
