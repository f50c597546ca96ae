"""Articles: written by marketing, published now or at a time set ahead, linked to categories and products."""

from sqlalchemy import ForeignKey, Index, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core import stamp
from shop.core.timeutil import utcnow
from shop.extensions import db

STATE_DRAFT = "draft"
STATE_PUBLISHED = "published"  # shown from publish_at on: before that the article is "scheduled"
STATES = (STATE_DRAFT, STATE_PUBLISHED)

article_categories = db.Table(
    "article_categories",
    db.Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    db.Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_article_categories_category_id", "category_id"),
)


class ArticleProduct(db.Model):
    """A product an article discusses, in the order the article lists them."""

    __tablename__ = "article_products"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    position: Mapped[int] = mapped_column(default=0)

    product = relationship("Product", lazy="joined")


class Article(db.Model):
    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_state_publish_at", "state", "publish_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(160), unique=True)
    title: Mapped[str] = mapped_column(db.String(200))
    summary: Mapped[str] = mapped_column(db.String(500), default="")
    body_md: Mapped[str] = mapped_column(db.Text, default="")
    body_html: Mapped[str] = mapped_column(db.Text, default="")
    author_name: Mapped[str] = mapped_column(db.String(120), default="")
    cover_image: Mapped[str | None] = mapped_column(db.String(300), nullable=True)  # a key in the public store
    cover_alt: Mapped[str] = mapped_column(db.String(300), default="")
    state: Mapped[str] = mapped_column(db.String(20), default=STATE_DRAFT)
    publish_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    categories = relationship("Category", secondary=article_categories, order_by="Category.position")
    related = relationship(ArticleProduct, order_by=ArticleProduct.position, cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def is_live(self, now) -> bool:
        return self.state == STATE_PUBLISHED and self.publish_at is not None and self.publish_at <= now

    def status(self, now) -> str:
        """draft, scheduled or published: what marketing reads in the list."""
        if self.state != STATE_PUBLISHED:
            return "draft"
        return "published" if self.is_live(now) else "scheduled"

    @property
    def products(self):
        return [link.product for link in self.related]

    def __repr__(self):
        return f"<Article {self.slug}>"


# ---- the professionals directory ------------------------------------------------------------------

LISTING_PENDING = "pending"  # waiting for staff
LISTING_APPROVED = "approved"  # public
LISTING_HIDDEN = "hidden"  # taken off by staff
LISTING_REJECTED = "rejected"  # refused by staff, with a reason e-mailed to the owner
LISTING_WITHDRAWN = "withdrawn"  # taken down by its owner
LISTING_STATES = (LISTING_PENDING, LISTING_APPROVED, LISTING_HIDDEN, LISTING_REJECTED, LISTING_WITHDRAWN)
MODALITIES = {
    "soft-tissue-release": "Soft tissue release",
    "trigger-point": "Trigger point therapy",
    "myofascial-release": "Myofascial release",
    "sports-massage": "Sports massage",
    "assisted-stretching": "Assisted stretching",
    "deep-tissue": "Deep tissue massage",
    "swedish": "Swedish massage",
    "orthopedic": "Orthopedic massage",
    "neuromuscular": "Neuromuscular therapy",
    "lymphatic": "Manual lymphatic drainage",
    "prenatal": "Prenatal massage",
    "physical-therapy": "Physical therapy",
}

listing_modalities = db.Table(
    "listing_modalities",
    db.Column("listing_id", ForeignKey("directory_listings.id", ondelete="CASCADE"), primary_key=True),
    db.Column("modality", db.String(40), primary_key=True),
    Index("ix_listing_modalities_modality", "modality"),
)


class Listing(db.Model):
    """A therapist's entry in "Find a professional": one per account, public only once staff approve it."""

    __tablename__ = "directory_listings"
    __table_args__ = (Index("ix_directory_listings_status_lat_lng", "status", "latitude", "longitude"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    practice_name: Mapped[str] = mapped_column(db.String(160))
    full_name: Mapped[str] = mapped_column(db.String(160))
    street: Mapped[str] = mapped_column(db.String(200), default="")
    show_street: Mapped[bool] = mapped_column(default=False)
    city: Mapped[str] = mapped_column(db.String(120))
    state: Mapped[str] = mapped_column(db.String(2), index=True)
    zip_code: Mapped[str] = mapped_column(db.String(5))
    latitude: Mapped[float] = mapped_column(db.Float)
    longitude: Mapped[float] = mapped_column(db.Float)
    phone: Mapped[str] = mapped_column(db.String(40), default="")
    website: Mapped[str] = mapped_column(db.String(300), default="")
    bio: Mapped[str] = mapped_column(db.Text, default="")
    photo: Mapped[str | None] = mapped_column(db.String(300), nullable=True)  # a key in the public store
    status: Mapped[str] = mapped_column(db.String(20), default=LISTING_PENDING)
    status_reason: Mapped[str] = mapped_column(db.String(1000), default="")
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow)
    approved_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)

    owner = relationship("User")
    modality_rows = relationship("ListingModality", cascade="all, delete-orphan", lazy="selectin")

    @property
    def modalities(self) -> list[str]:
        return sorted((row.modality for row in self.modality_rows), key=lambda m: list(MODALITIES).index(m)
                      if m in MODALITIES else 99)

    @property
    def modality_labels(self) -> list[str]:
        return [MODALITIES.get(m, m) for m in self.modalities]

    @property
    def is_public(self) -> bool:
        return self.status == LISTING_APPROVED

    def __repr__(self):
        return f"<Listing {self.slug}>"


class ListingModality(db.Model):
    __table__ = listing_modalities


ARTICLE_TABLES = ("articles", "article_categories", "article_products")


def _stamp_columns():
    """The articles' part of the storefront stamp (shop.core.stamp): the home page lists the newest."""
    return (
        db.select(func.count(Article.id)).scalar_subquery(),
        db.select(func.max(Article.updated_at)).scalar_subquery(),
    )


stamp.register("articles", _stamp_columns, ARTICLE_TABLES)
