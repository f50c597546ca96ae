"""Reading the catalogue for the storefront: listings, search, home sections, product pages.

Every function issues a fixed number of queries, whatever the size of the catalogue.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, true

from shop.catalogue import readmodel, search
from shop.catalogue.models import (
    KIND_BOOK,
    KIND_COMBO,
    KIND_COURSE,
    KIND_MEMBERSHIP,
    KINDS,
    Category,
    Product,
    product_categories,
)
from shop.catalogue.readmodel import ProductView
from shop.core.errors import Refusal
from shop.core.stamp import StampedCache
from shop.core.text import is_whole_number
from shop.extensions import db
from shop.pricing.bundles import BundleComparison, compare_bundle

SORTS = {
    "newest": "Newest first",
    "price-asc": "Price, low to high",
    "price-desc": "Price, high to low",
    "title": "Title, A to Z",
}
DEFAULT_SORT = "newest"


class ListingError(Refusal):
    """A listing request that cannot be answered (bad page, unknown filter); message is safe to show."""

    status = 400


@dataclass(frozen=True)
class ListingQuery:
    kind: str | None = None
    category: str | None = None
    sort: str = DEFAULT_SORT
    q: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "ListingQuery":
        kind = args.get("kind") or None
        if kind is not None and kind not in KINDS:
            raise ListingError(
                f"There is no product kind called {kind!r}. Choose books, courses, combos or membership."
            )
        sort = args.get("sort") or DEFAULT_SORT
        if sort not in SORTS:
            raise ListingError(f"Products cannot be sorted by {sort!r}.")
        raw_page = args.get("page") or "1"
        if not is_whole_number(raw_page) or int(raw_page) < 1 or len(raw_page) > 6:
            raise ListingError("The page number must be a whole number from 1 up.")
        q = (args.get("q") or "").strip()[:200]
        return cls(kind=kind, category=args.get("category") or None, sort=sort, q=q, page=int(raw_page))


@dataclass(frozen=True)
class CategoryEntry:
    id: int
    slug: str
    name: str
    description: str


@dataclass
class Listing:
    query: ListingQuery
    products: list[ProductView]
    total: int
    page: int
    pages: int
    category: CategoryEntry | None
    searched: list


def _ordering(sort: str, rank: Any) -> list[Any]:
    orders = []
    if rank is not None:
        orders.append(rank)
    if sort == "price-asc":
        orders += [Product.price_cents.asc(), Product.id.asc()]
    elif sort == "price-desc":
        orders += [Product.price_cents.desc(), Product.id.desc()]
    elif sort == "title":
        orders += [Product.title.asc(), Product.id.asc()]
    else:
        orders += [Product.published_at.desc(), Product.id.desc()]
    return orders


# the category list and listings' totals, dropped when a product or category is edited (not when stock moves)
_by_stamp = StampedCache(max_entries=512, parts=("catalogue",))


def categories() -> tuple[CategoryEntry, ...]:
    """Every category in menu order (read once per storefront stamp)."""
    def load():
        rows = db.session.execute(db.select(Category.id, Category.slug, Category.name, Category.description)
                                  .order_by(Category.position, Category.name))
        return tuple(CategoryEntry(*row) for row in rows)

    return _by_stamp.get(("categories",), load)


def _total(conditions: list[Any], key: tuple[Any, ...]) -> int:
    """How many products match: the same for every page of a listing, so counted once per stamp."""
    return _by_stamp.get(("total", *key),
                         lambda: db.session.execute(db.select(func.count(Product.id)).where(*conditions)).scalar_one())


def listing(query: ListingQuery, per_page: int) -> Listing:
    conditions = [Product.is_active == true()]
    category = None
    if query.kind:
        conditions.append(Product.kind == query.kind)
    if query.category:
        category = next((c for c in categories() if c.slug == query.category), None)
        if category is None:
            raise ListingError("That category does not exist.", status=404)
        conditions.append(Product.categories.any(Category.id == category.id))
    rank = None
    searched = []
    if query.q:
        query_words = search.parse_query(query.q)
        if query_words:
            condition, rank, searched = search.search_condition(query_words, search.vocabulary())
            conditions.append(condition)
    total = _total(conditions, (query.kind, query.category, tuple(map(tuple, searched))))
    pages = max(1, -(-total // per_page))
    if query.page > pages:
        raise ListingError("That page is past the end of the list.", status=404)
    ordering = _ordering(query.sort, rank)
    # The page's ids first (read from the sort's index alone, however deep the page), then their cards.
    page_ids = (db.select(Product.id).where(*conditions).order_by(*ordering)
                .limit(per_page).offset((query.page - 1) * per_page))
    statement = db.select(*readmodel.card_columns()).where(Product.id.in_(page_ids)).order_by(*ordering)
    products = readmodel.cards(statement)
    return Listing(query, products, total, query.page, pages, category, searched)


@dataclass
class HomeSections:
    featured_book: ProductView | None
    latest_courses: list[ProductView]
    combos: list[ProductView]
    membership: ProductView | None

    @property
    def best_saving_cents(self) -> int:
        return max((combo_comparison(c).saving_cents for c in self.combos), default=0)


def _latest_by_kind(limits: dict[str, int]) -> dict[str, list[ProductView]]:
    """The newest active products of several kinds in one query: {kind: [products]}."""
    rank = (
        func.row_number()
        .over(
            partition_by=Product.kind,
            order_by=(Product.is_featured.desc(), Product.position, Product.published_at.desc(), Product.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        db.select(Product.id, Product.kind, rank)
        .where(Product.is_active == true(), Product.kind.in_(list(limits)))
        .subquery()
    )
    wanted = db.or_(*[db.and_(ranked.c.kind == kind, ranked.c.rank <= limit) for kind, limit in limits.items()])
    statement = (
        db.select(*readmodel.card_columns())
        .join(ranked, ranked.c.id == Product.id)
        .where(wanted)
        .order_by(ranked.c.kind, ranked.c.rank)
    )
    found = {kind: [] for kind in limits}
    for product in readmodel.cards(statement):
        found[product.kind].append(product)
    return found


def home_sections() -> HomeSections:
    latest = _latest_by_kind({KIND_BOOK: 1, KIND_COURSE: 6, KIND_COMBO: 3, KIND_MEMBERSHIP: 1})
    return HomeSections(
        featured_book=next(iter(latest[KIND_BOOK]), None),
        latest_courses=latest[KIND_COURSE],
        combos=latest[KIND_COMBO],
        membership=next(iter(latest[KIND_MEMBERSHIP]), None),
    )


def special_offers() -> dict[str, Any]:
    """Live offers for customers: combo deals with their savings, and the membership."""
    latest = _latest_by_kind({KIND_COMBO: 50, KIND_MEMBERSHIP: 1})
    return {"combos": latest[KIND_COMBO], "membership": next(iter(latest[KIND_MEMBERSHIP]), None)}


def product_by_slug(slug: str) -> ProductView | None:
    """The active product with this address, with its images, categories and a combo's parts."""
    return readmodel.active_product(slug)


def _related_statement(limit: int) -> Any:
    shares_category = (
        db.select(product_categories.c.product_id)
        .where(product_categories.c.product_id == Product.id,
               product_categories.c.category_id.in_(bindparam("category_ids", expanding=True)))
        .exists()
    )
    return (
        db.select(*readmodel.card_columns())
        .where(Product.is_active == true(), Product.id != bindparam("product_id"), shares_category)
        .order_by(Product.published_at.desc(), Product.id.desc())
        .limit(limit)
    )


_RELATED = {4: _related_statement(4)}  # built once per limit


def related_products(product: ProductView, limit: int = 4) -> list[ProductView]:
    """Other active products sharing a category, newest first."""
    category_ids = [c.id for c in product.categories]
    if not category_ids:
        return []
    statement = _RELATED.get(limit)
    if statement is None:
        statement = _RELATED[limit] = _related_statement(limit)
    return readmodel.views(db.session.execute(statement, {"product_id": product.id, "category_ids": category_ids}))


def combo_comparison(combo: Product) -> BundleComparison:
    return compare_bundle(((c.component.price_cents, c.quantity) for c in combo.components), combo.price_cents)


@dataclass(frozen=True)
class Availability:
    code: str  # in_stock, low_stock, out_of_stock, online, online_with_kit, subscription
    label: str
    purchasable: bool


def availability(product: Product, low_stock_threshold: int) -> "Availability":
    if product.kind == KIND_BOOK:
        if product.stock <= 0:
            return Availability("out_of_stock", "Out of stock", False)
        if product.stock <= low_stock_threshold:
            return Availability("low_stock", f"Only {product.stock} left", True)
        return Availability("in_stock", "In stock", True)
    if product.kind == KIND_COURSE:
        if product.course_format == "online_with_kit":
            label = "Instant online access; printed kit ships in 1–2 business days"
            return Availability("online_with_kit", label, True)
        return Availability("online", "Instant online access", True)
    if product.kind == KIND_MEMBERSHIP:
        return Availability("subscription", "Starts at once; cancel any time", True)
    # combos: limited by any book they hold that is short
    if any(book.stock < copies for book, copies in product.books().values()):
        return Availability("out_of_stock", "Out of stock", False)
    return Availability("in_stock", "Available", True)
