"""Catalogue models: products of four kinds, categories, images and combo components."""

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalogue.product_rules import (  # noqa: F401 (the kinds and formats are read from here too)
    FORMAT_ONLINE,
    FORMAT_ONLINE_WITH_KIT,
    KIND_BOOK,
    KIND_COMBO,
    KIND_COURSE,
    KIND_LABELS,
    KIND_MEMBERSHIP,
    ProductRules,
)
from shop.core import stamp
from shop.core.timeutil import utcnow
from shop.extensions import db

KINDS = (KIND_BOOK, KIND_COURSE, KIND_COMBO, KIND_MEMBERSHIP)
KIND_PLURALS = {
    KIND_BOOK: "Books",
    KIND_COURSE: "Home study courses",
    KIND_COMBO: "Combo deals",
    KIND_MEMBERSHIP: "Membership",
}

COURSE_FORMATS = (FORMAT_ONLINE, FORMAT_ONLINE_WITH_KIT)
COURSE_FORMAT_LABELS = {
    FORMAT_ONLINE: "Instant online access",
    FORMAT_ONLINE_WITH_KIT: "Online access plus a printed course kit by mail",
}

product_categories = db.Table(
    "product_categories",
    db.Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    db.Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_product_categories_category_id", "category_id"),
)


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(80), unique=True)
    name: Mapped[str] = mapped_column(db.String(120))
    description: Mapped[str] = mapped_column(db.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow, index=True)

    def __repr__(self):
        return f"<Category {self.slug}>"


class Product(ProductRules, db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint(f"kind IN {KINDS!r}", name="kind_known"),
        Index("ix_products_listing", "is_active", "kind", "published_at"),
        # the storefront's sort orders, so a listing page reads its rows in order instead of sorting them all
        Index("ix_products_active_published", "is_active", "published_at", "id"),
        Index("ix_products_active_price", "is_active", "price_cents", "id"),
        Index("ix_products_active_kind_price", "is_active", "kind", "price_cents", "id"),
        Index("ix_products_active_title", "is_active", "title", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(20))
    sku: Mapped[str] = mapped_column(db.String(40), unique=True)
    slug: Mapped[str] = mapped_column(db.String(160), unique=True)
    title: Mapped[str] = mapped_column(db.String(200))
    subtitle: Mapped[str] = mapped_column(db.String(200), default="")
    author: Mapped[str] = mapped_column(db.String(200), default="")
    summary: Mapped[str] = mapped_column(db.String(400), default="")
    # the long texts are read only where they are shown or edited (a cart or an order never needs them)
    description_md: Mapped[str] = mapped_column(db.Text, default="", deferred=True)
    description_html: Mapped[str] = mapped_column(db.Text, default="", deferred=True)
    search_text: Mapped[str] = mapped_column(db.Text, default="", deferred=True)
    price_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(db.String(3), default="USD")
    is_active: Mapped[bool] = mapped_column(default=True)
    is_featured: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    # books, and courses that ship a printed kit
    weight_grams: Mapped[int] = mapped_column(default=0)
    # books
    isbn: Mapped[str] = mapped_column(db.String(20), default="")
    page_count: Mapped[int | None] = mapped_column(nullable=True)
    stock: Mapped[int] = mapped_column(default=0)  # always the sum of the product's stock movements
    low_stock_threshold: Mapped[int | None] = mapped_column(nullable=True)  # None: the shop's default
    # courses
    ce_hours: Mapped[object | None] = mapped_column(db.Numeric(5, 2), nullable=True)
    course_format: Mapped[str | None] = mapped_column(db.String(20), nullable=True)
    lesson_count: Mapped[int | None] = mapped_column(nullable=True)
    # membership
    billing_interval: Mapped[str | None] = mapped_column(db.String(10), nullable=True)

    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    published_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow, index=True)

    categories = relationship("Category", secondary=product_categories, order_by="Category.position")
    images = relationship(
        "ProductImage", order_by="ProductImage.position", cascade="all, delete-orphan", back_populates="product"
    )
    components = relationship(
        "ComboComponent",
        foreign_keys="ComboComponent.combo_id",
        order_by="ComboComponent.position",
        cascade="all, delete-orphan",
        back_populates="combo",
    )

    def __repr__(self):
        return f"<Product {self.sku} {self.kind}>"


def books_in(items):
    """{book id: (book, copies)} that these products ({Product: quantity}) take from stock altogether."""
    found = {}
    for product, quantity in items.items():
        for book_id, (book, copies) in product.books(quantity).items():
            found[book_id] = (book, found.get(book_id, (book, 0))[1] + copies)
    return found


class ProductImage(db.Model):
    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(db.String(255))
    alt_text: Mapped[str] = mapped_column(db.String(300))
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)

    product = relationship("Product", back_populates="images")


class ComboComponent(db.Model):
    __tablename__ = "combo_components"
    __table_args__ = (
        UniqueConstraint("combo_id", "component_id", name="uq_combo_components_pair"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("combo_id <> component_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    combo_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)

    combo = relationship("Product", foreign_keys=[combo_id], back_populates="components")
    component = relationship("Product", foreign_keys=[component_id], lazy="joined")


CATALOGUE_TABLES = ("products", "categories", "product_images", "combo_components", "product_categories")


def _stamp_columns():
    """The catalogue's part of the storefront stamp (shop.core.stamp): any product or category edited."""
    return (
        db.select(func.count(Product.id)).scalar_subquery(),
        db.select(func.max(Product.updated_at)).scalar_subquery(),
        db.select(func.max(Category.updated_at)).scalar_subquery(),
    )


def _stock_stamp_columns():
    """The stock's part: every change of a book's stock is a movement (a sale does not edit the product, so
    caches of what products are, such as the search words and the promotions, keep through it)."""
    return (db.select(func.max(StockMovement.id)).scalar_subquery(),)


stamp.register("catalogue", _stamp_columns, CATALOGUE_TABLES)


MOVEMENT_INITIAL = "initial"
MOVEMENT_RECEIVED = "received"
MOVEMENT_DAMAGED = "damaged"
MOVEMENT_CORRECTION = "correction"
MOVEMENT_RESERVED = "reserved"  # taken for an order (held, then sold)
MOVEMENT_RELEASED = "released"  # given back when an unpaid order expired or was cancelled
MOVEMENT_RETURNED = "returned"
MOVEMENT_REASONS = (MOVEMENT_INITIAL, MOVEMENT_RECEIVED, MOVEMENT_DAMAGED, MOVEMENT_CORRECTION, MOVEMENT_RESERVED,
                    MOVEMENT_RELEASED, MOVEMENT_RETURNED)


class StockMovement(db.Model):
    """Every change to a book's stock, kept for ever; the product's stock is their sum."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_product_created", "product_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    change: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(db.String(20))
    note: Mapped[str] = mapped_column(db.String(500), default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)


stamp.register("stock", _stock_stamp_columns, ("stock_movements",))
