"""Products as the storefront shows them: plain, read-only values loaded with a few Core queries.

A storefront page only reads products, so it does not need the ORM's identity map, change tracking and
relationship loaders, which cost several times the queries themselves. Here rows become frozen `ProductView`s
(with their images, categories and a combo's parts) in a fixed number of queries, whatever the number or
kinds of products: one for the rows, one for their images, one for combos' parts, and for a product page one
for its categories. A view answers the same rules as the Product row (shop.catalogue.product_rules), so templates,
availability and pricing take either.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, bindparam, select, true

from shop.catalogue.models import (
    Category,
    ComboComponent,
    Product,
    ProductImage,
    product_categories,
)
from shop.catalogue.product_rules import ProductRules
from shop.extensions import db

_products = Product.__table__
_images = ProductImage.__table__
_parts = ComboComponent.__table__
_categories = Category.__table__

CARD_FIELDS = ("id", "kind", "sku", "slug", "title", "author", "summary", "price_cents", "currency", "stock",
               "ce_hours", "course_format", "billing_interval", "is_active", "is_featured", "position",
               "published_at", "weight_grams", "lesson_count")
PAGE_FIELDS = (*CARD_FIELDS, "subtitle", "description_html", "isbn", "page_count", "low_stock_threshold")


@dataclass(frozen=True)
class ImageView:
    filename: str
    alt_text: str
    width: int
    height: int


@dataclass(frozen=True)
class CategoryView:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class PartView:
    component_id: int
    component: "ProductView"
    quantity: int


@dataclass(frozen=True)
class ProductView(ProductRules):
    id: int
    kind: str
    sku: str
    slug: str
    title: str
    price_cents: int
    author: str = ""
    summary: str = ""
    currency: str = "USD"
    stock: int = 0
    ce_hours: Decimal | None = None
    course_format: str | None = None
    billing_interval: str | None = None
    is_active: bool = True
    is_featured: bool = False
    position: int = 0
    published_at: Any = None
    weight_grams: int = 0
    lesson_count: int | None = None
    subtitle: str = ""
    description_html: str = ""
    isbn: str = ""
    page_count: int | None = None
    low_stock_threshold: int | None = None
    images: tuple[ImageView, ...] = ()
    categories: tuple[CategoryView, ...] = ()
    components: tuple[PartView, ...] = field(default=())


def card_columns() -> list[Any]:
    return [_products.c[name] for name in CARD_FIELDS]


def page_columns() -> list[Any]:
    return [_products.c[name] for name in PAGE_FIELDS]


# Built once: building a statement costs more than running these small ones.
_COMPONENT = _products.alias("component")
_IMAGES_OF = (select(_images.c.product_id, _images.c.filename, _images.c.alt_text, _images.c.width, _images.c.height)
              .where(_images.c.product_id.in_(bindparam("ids", expanding=True)))
              .order_by(_images.c.product_id, _images.c.position))
_PARTS_OF = (select(_parts.c.combo_id, _parts.c.quantity, *[_COMPONENT.c[name] for name in CARD_FIELDS])
             .join(_COMPONENT, _COMPONENT.c.id == _parts.c.component_id)
             .where(_parts.c.combo_id.in_(bindparam("ids", expanding=True)))
             .order_by(_parts.c.combo_id, _parts.c.position))
_CATEGORIES_OF = (select(product_categories.c.product_id, _categories.c.id, _categories.c.slug, _categories.c.name)
                  .join(_categories, _categories.c.id == product_categories.c.category_id)
                  .where(product_categories.c.product_id.in_(bindparam("ids", expanding=True)))
                  .order_by(product_categories.c.product_id, _categories.c.position, _categories.c.id))
_ACTIVE_BY_SLUG = select(*page_columns()).where(_products.c.slug == bindparam("slug"), _products.c.is_active == true())


def _grouped(statement: Select, ids: Sequence[int], make: Any) -> dict[int, tuple[Any, ...]]:
    """{first column: (make(row), ...)} for the rows of statement over these ids."""
    found: dict[int, list[Any]] = {}
    if ids:
        for row in db.session.execute(statement, {"ids": list(ids)}):
            found.setdefault(row[0], []).append(make(row))
    return {key: tuple(value) for key, value in found.items()}


def _part(row: Any) -> PartView:
    """A combo's part, its product as a card (no images of its own: pages show parts as text)."""
    view = ProductView(**dict(zip(CARD_FIELDS, row[2:], strict=True)))
    return PartView(view.id, view, row.quantity)


def views(rows: Iterable[Any], with_categories: bool = False) -> list[ProductView]:
    """ProductViews for rows selected with card_columns() or page_columns(), in their order."""
    rows = list(rows)
    ids = [row.id for row in rows]
    images = _grouped(_IMAGES_OF, ids, lambda row: ImageView(*row[1:]))
    parts = _grouped(_PARTS_OF, ids, _part)  # for every row, so that a page's query count is fixed
    categories = _grouped(_CATEGORIES_OF, ids, lambda row: CategoryView(*row[1:])) if with_categories else {}
    return [ProductView(**row._mapping, images=images.get(row.id, ()), components=parts.get(row.id, ()),
                        categories=categories.get(row.id, ()))
            for row in rows]


def cards(statement: Select) -> list[ProductView]:
    """The products a statement over card_columns() selects, as cards (images and combo parts, no categories)."""
    return views(db.session.execute(statement))


def active_product(slug: str) -> ProductView | None:
    """The active product with this address, with everything its page shows; None if there is none."""
    row = db.session.execute(_ACTIVE_BY_SLUG, {"slug": slug}).first()
    if row is None:
        return None
    return views([row], with_categories=True)[0]
