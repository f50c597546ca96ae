"""Catalogue management: products of every kind, combos and their parts, order and featuring (categories:
shop.catalogue.categories).

Over 300 lines: saving a product of any kind checks every rule of its form (identity, a combo's parts, a
course going on sale only with lessons) in one place, so the form's rules read together.

Every change is audited (shop.core.audit) in the same transaction. Products that were ever sold
are retired (is_active False), never deleted: past orders keep their own snapshot of title and price
in their lines, so editing a product never alters an order.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.catalogue import signals, stock
from shop.catalogue.models import (
    KIND_BOOK,
    KIND_COMBO,
    KIND_COURSE,
    KIND_MEMBERSHIP,
    MOVEMENT_INITIAL,
    Category,
    ComboComponent,
    Product,
)
from shop.catalogue.services import combo_comparison
from shop.catalogue.text import fold, render_markdown
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.models import AuditEntry
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.money import format_cents
from shop.pricing.bundles import BundleComparison

PER_PAGE = 50
_SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COMMON_FIELDS = ("title", "subtitle", "sku", "slug", "author", "summary", "description_md", "price_cents",
                 "position", "is_featured", "is_active")
TEXT_FIELDS = ("title", "subtitle", "sku", "slug", "author", "summary", "description_md", "isbn")
KIND_FIELDS = {
    KIND_BOOK: ("isbn", "page_count", "weight_grams", "low_stock_threshold"),
    KIND_COURSE: ("ce_hours", "course_format", "lesson_count", "weight_grams"),
    KIND_MEMBERSHIP: ("billing_interval",),
    KIND_COMBO: (),
}
COMBO_PART_KINDS = (KIND_BOOK, KIND_COURSE)  # never the membership: it is billed monthly, a combo is paid once
MEMBERSHIP_IN_COMBO = ("A combo cannot contain the membership: it is billed monthly. Link to the membership from the "
                       "combo's description instead.")
REQUIRED = {
    KIND_COURSE: {"ce_hours": "Enter the CE hours.", "course_format": "Choose a format.",
                  "lesson_count": "Enter the number of lessons."},
    KIND_MEMBERSHIP: {"billing_interval": "Choose a billing interval."},
}
FIELD_LABELS = {"price_cents": "price", "description_md": "description", "is_featured": "featured",
                "is_active": "on sale", "low_stock_threshold": "low-stock threshold", "ce_hours": "CE hours",
                "weight_grams": "weight", "page_count": "pages", "lesson_count": "lessons"}


class CatalogueError(Refusal):
    """A refusal whose message is safe to show; `field` names the form field it is about, if any."""


def slugify(text: str | None, max_length: int = 160) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].rstrip("-")


# ---- reading -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProductPage:
    items: list[Product]
    total: int
    page: int
    pages: int


def list_products(q: str = "", kind: str = "", status: str = "", page: int = 1,
                  per_page: int = PER_PAGE) -> ProductPage:
    """Products of every kind (retired ones too), by position then title, with search and filters."""
    statement = select(Product)
    words = fold(q).split()
    for word in words[:8]:
        statement = statement.where(or_(Product.search_text.contains(f" {word}"),
                                        func.lower(Product.sku).contains(word)))
    if kind:
        statement = statement.where(Product.kind == kind)
    if status == "active":
        statement = statement.where(Product.is_active.is_(True))
    elif status == "retired":
        statement = statement.where(Product.is_active.is_(False))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = db.session.scalars(
        statement.order_by(Product.position, Product.title, Product.id)
        .offset((page - 1) * per_page).limit(per_page)
        .options(selectinload(Product.images))
    ).all()
    return ProductPage(items=items, total=total, page=page, pages=pages)


def get_product(product_id: int | None) -> Product | None:
    return db.session.scalar(
        select(Product).where(Product.id == product_id).options(
            selectinload(Product.images), selectinload(Product.categories),
            selectinload(Product.components).joinedload(ComboComponent.component),
        )
    )


def component_choices(exclude_id: int | None = None) -> list[tuple[int, str]]:
    """(id, label) for every product a combo may hold: books and courses (COMBO_PART_KINDS)."""
    rows = db.session.execute(
        select(Product.id, Product.title, Product.sku, Product.price_cents, Product.is_active)
        .where(Product.kind.in_(COMBO_PART_KINDS), Product.id != (exclude_id or 0))
        .order_by(Product.kind, Product.title)
    ).all()
    return [(r.id, f"{r.title} ({r.sku}, {format_cents(r.price_cents)}){'' if r.is_active else ' — retired'}")
            for r in rows]


def comparison(product: Product) -> BundleComparison | None:
    """Separately vs bundle price for a combo (None for other kinds)."""
    return combo_comparison(product) if product.kind == KIND_COMBO else None


def history(product: Product) -> list[AuditEntry]:
    return audit.entries_for("product", product.id)


def preview(markdown_text: str | None) -> str:
    """The sanitised HTML the storefront would show for this Markdown."""
    return render_markdown((markdown_text or "")[:50_000])


def was_sold(product_id: int) -> bool:
    """Whether any order, stock hold, course access or promotion refers to the product (signals.product_in_use)."""
    return signals.is_in_use(product_id)


# ---- changing products -------------------------------------------------------------------------

def _check_identity(product, values):
    sku = values["sku"]
    if not _SKU_RE.match(sku):
        raise CatalogueError("Use letters, digits, dots and dashes in the SKU, starting with a letter or digit.",
                             "sku")
    values["slug"] = values.get("slug") or slugify(values["title"])
    if not SLUG_RE.match(values["slug"]):
        raise CatalogueError("Use lower-case letters, digits and single dashes, like myofascial-release.", "slug")
    mine = product.id if product is not None else 0
    if db.session.scalar(select(Product.id).where(func.lower(Product.sku) == sku.lower(), Product.id != mine)):
        raise CatalogueError(f"Another product already uses the SKU {sku}.", "sku")
    if db.session.scalar(select(Product.id).where(Product.slug == values["slug"], Product.id != mine)):
        raise CatalogueError(f"Another product already uses the web address name {values['slug']}.", "slug")


def _check_components(product, rows):
    """rows: [(component_id, quantity)] -> [(Product, quantity)] after checking each part."""
    parts, seen = [], set()
    for component_id, quantity in rows:
        if component_id in seen:
            raise CatalogueError("Each product can appear once in a combo; change its quantity instead.",
                                 "components")
        seen.add(component_id)
        part = db.session.get(Product, component_id)
        if part is None:
            raise CatalogueError("One of the chosen products no longer exists.", "components")
        if part.kind == KIND_COMBO or (product is not None and part.id == product.id):
            raise CatalogueError("A combo cannot hold another combo or itself.", "components")
        if part.kind not in COMBO_PART_KINDS:
            raise CatalogueError(MEMBERSHIP_IN_COMBO, "components")
        parts.append((part, quantity))
    if not parts:
        raise CatalogueError("Choose at least one product for the combo.", "components")
    return parts


def _describe(name, value):
    if name == "price_cents":
        return format_cents(value)
    return "—" if value in (None, "") else str(value)[:80]


def _change(name, old, new):
    label = FIELD_LABELS.get(name, name)
    if name in ("description_md", "summary"):
        return f"{label} edited"
    return f"{label} {_describe(name, old)} → {_describe(name, new)}"


def save_product(product: Product | None, kind: str, values: dict[str, Any], *, category_ids: Iterable[int] = (),
                 components: Iterable[tuple[int, int]] = (), opening_stock: int = 0, actor: Any = None) -> Product:
    """Create (product None) or update a product; values are typed form data. Commits; CatalogueError if refused."""
    for name in TEXT_FIELDS:
        if name in values:
            values[name] = (values[name] or "").strip() if name != "description_md" else values[name] or ""
    for field, message in REQUIRED.get(kind, {}).items():
        if values.get(field) in (None, ""):
            raise CatalogueError(message, field)
    if values.get("price_cents") is None or values["price_cents"] < 0:
        raise CatalogueError("Enter the price, like 49.95.", "price")
    _check_identity(product, values)
    if kind == KIND_COURSE and values.get("is_active") and (product is None or not product.is_active):
        _check_publishing(product)
    parts = _check_components(product, components) if kind == KIND_COMBO else []
    wanted = COMMON_FIELDS + KIND_FIELDS[kind]
    created = product is None
    if created:
        product = Product(kind=kind, stock=0, published_at=utcnow())
        db.session.add(product)
    changes = [_change(n, getattr(product, n), values.get(n))
               for n in wanted if not created and getattr(product, n) != values.get(n)]
    for name in wanted:
        setattr(product, name, values.get(name))
    chosen = db.session.scalars(select(Category).where(Category.id.in_(list(category_ids)))).all()
    if {c.id for c in product.categories} != {c.id for c in chosen}:
        if not created:
            changes.append("categories: " + (", ".join(sorted(c.name for c in chosen)) or "none"))
        product.categories = chosen
    if kind == KIND_COMBO:
        _set_components(product, parts, changes, created)
    product.updated_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise CatalogueError("Another product was just saved with this SKU or web address name.", "sku") from None
    if created and kind == KIND_BOOK and opening_stock:
        stock.change(product.id, opening_stock, MOVEMENT_INITIAL, actor_id=getattr(actor, "id", None),
                     note="opening stock")
    summary = (f"{product.kind_label} {product.sku} “{product.title}” at {format_cents(product.price_cents)}"
               if created else "; ".join(changes) or "saved without changes")
    audit.record("created" if created else "updated", "product", product.id, summary, actor=actor)
    db.session.commit()
    return product


def _set_components(product, parts, changes, created):
    old = {c.component_id: c.quantity for c in product.components}
    new = {part.id: quantity for part, quantity in parts}
    if old == new:
        return
    by_id = {c.component_id: c for c in product.components}
    for component_id in set(old) - set(new):
        product.components.remove(by_id[component_id])
    for position, (part, quantity) in enumerate(parts):
        row = by_id.get(part.id)
        if row is None:
            product.components.append(ComboComponent(component=part, quantity=quantity, position=position))
        else:
            row.quantity, row.position = quantity, position
    if not created:
        changes.append("components: " + ", ".join(f"{q} × {p.sku}" for p, q in parts))


def _check_publishing(product: Product | None) -> None:
    """A course goes on sale only when the courses domain agrees (signals.course_publishing: it has lessons)."""
    refusal = signals.publishing_refusal(product.id if product is not None else None)
    if refusal:
        raise CatalogueError(refusal, "is_active")


def set_active(product: Product, active: bool, actor: Any = None) -> Product:
    if product.is_active == active:
        return product
    if active and product.kind == KIND_COURSE:
        _check_publishing(product)
    product.is_active = active
    product.updated_at = utcnow()
    audit.record("restored" if active else "retired", "product", product.id,
                 "back on sale" if active else "taken off sale", actor=actor)
    db.session.commit()
    return product


def delete_product(product: Product, actor: Any = None) -> None:
    """Delete a product nobody ever ordered, held or was granted; refuse (409) otherwise: retire it instead."""
    if was_sold(product.id):
        raise CatalogueError("This product is on orders, courses or promotions, so it cannot be deleted. "
                             "Retire it instead: it stays on past orders and leaves the shop.", status=409)
    if db.session.scalar(select(ComboComponent.id).where(ComboComponent.component_id == product.id).limit(1)):
        raise CatalogueError("This product is part of a combo. Remove it from the combo first, or retire it.",
                             status=409)
    audit.record("deleted", "product", product.id, f"{product.sku} “{product.title}”", actor=actor)
    db.session.delete(product)
    db.session.commit()


def reorder(positions: dict[int, int], actor: Any = None) -> int:
    """positions: {product_id: position}. Only changed rows are written; one audit entry per product moved."""
    if not positions:
        return 0
    moved = 0
    for product in db.session.scalars(select(Product).where(Product.id.in_(list(positions)))):
        new = positions[product.id]
        if product.position != new:
            audit.record("moved", "product", product.id, f"position {product.position} → {new}", actor=actor)
            product.position = new
            product.updated_at = utcnow()
            moved += 1
    db.session.commit()
    return moved
