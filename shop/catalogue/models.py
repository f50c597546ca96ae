"""Catalogue models: products of four kinds, categories, images and combo components."""

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core import stamp
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.pricing.types import Line

KIND_BOOK = "book"
KIND_COURSE = "course"
KIND_COMBO = "combo"
KIND_MEMBERSHIP = "membership"
KINDS = (KIND_BOOK, KIND_COURSE, KIND_COMBO, KIND_MEMBERSHIP)
KIND_LABELS = {
    KIND_BOOK: "Book",
    KIND_COURSE: "Home study course",
    KIND_COMBO: "Combo deal",
    KIND_MEMBERSHIP: "Membership",
}
KIND_PLURALS = {
    KIND_BOOK: "Books",
    KIND_COURSE: "Home study courses",
    KIND_COMBO: "Combo deals",
    KIND_MEMBERSHIP: "Membership",
}

FORMAT_ONLINE = "online"
FORMAT_ONLINE_WITH_KIT = "online_with_kit"
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


class Product(db.Model):
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
    description_md: Mapped[str] = mapped_column(db.Text, default="")
    description_html: Mapped[str] = mapped_column(db.Text, default="")
    search_text: Mapped[str] = mapped_column(db.Text, default="")
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

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def is_physical(self):
        """Something that ships: a book, a course with a printed kit, a combo holding one."""
        if self.kind == KIND_BOOK:
            return True
        if self.kind == KIND_COURSE:
            return self.course_format == FORMAT_ONLINE_WITH_KIT
        if self.kind == KIND_COMBO:
            return any(c.component.is_physical for c in self.components)
        return False

    @property
    def courses(self):
        """The courses this product opens: itself, or a combo's courses (the membership is not one)."""
        if self.kind == KIND_COURSE:
            return [self]
        if self.kind == KIND_COMBO:
            return [c.component for c in self.components if c.component.kind == KIND_COURSE]
        return []

    @property
    def course_ids(self):
        return {course.id for course in self.courses}

    def books(self, quantity=1):
        """{book id: (book, copies)} that `quantity` of this product takes from stock (a combo: its books)."""
        if self.kind == KIND_BOOK:
            return {self.id: (self, quantity)}
        if self.kind == KIND_COMBO:
            return {c.component_id: (c.component, c.quantity * quantity) for c in self.components
                    if c.component.kind == KIND_BOOK}
        return {}

    @property
    def one_per_customer(self):
        """Courses, the membership and combos holding a course are bought once, never by the dozen."""
        return self.kind == KIND_MEMBERSHIP or bool(self.courses)

    def pricing_line(self, quantity=1):
        """This product as the pricing module reads it: a frozen snapshot of it now, never the row."""
        return Line(product_id=self.id, sku=self.sku, title=self.title, kind=self.kind,
                    unit_price_cents=self.price_cents, quantity=quantity, is_physical=self.is_physical,
                    categories=frozenset(c.slug for c in self.categories))

    @property
    def tracks_stock(self):
        return self.kind == KIND_BOOK

    @property
    def image(self):
        return self.images[0] if self.images else None


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


stamp.register(_stamp_columns, CATALOGUE_TABLES)


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
