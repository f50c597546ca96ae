"""Loading catalogues: the realistic demo catalogue (idempotent) and large synthetic ones for benchmarks."""

import functools
import random
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

from shop.catalogue import demo_data
from shop.catalogue.images import write_cover
from shop.catalogue.models import (
    KIND_BOOK,
    KIND_COMBO,
    KIND_COURSE,
    KIND_MEMBERSHIP,
    MOVEMENT_INITIAL,
    Category,
    ComboComponent,
    Product,
    ProductImage,
    StockMovement,
    product_categories,
)
from shop.catalogue.text import render_markdown, search_text_for
from shop.core.storage import Storage
from shop.core.timeutil import utcnow
from shop.extensions import db


def _upsert(model, key, values):
    row = db.session.execute(db.select(model).filter_by(**key)).scalar_one_or_none()
    created = row is None
    if created:
        row = model(**key)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    return row, created


def _set_cover(product, store, alt):
    filename = write_cover(store, product.slug, product.title, product.kind, product.author or product.subtitle)
    if product.images:
        image = product.images[0]
        image.filename, image.alt_text = filename, alt
    else:
        product.images.append(ProductImage(filename=filename, alt_text=alt, width=600, height=800))


def load_demo(store: Storage) -> dict[str, int]:
    """Create or update the demo catalogue. Running it again changes nothing and adds nothing."""
    now = utcnow()
    created = 0
    categories = {}
    for position, (slug, name, description) in enumerate(demo_data.CATEGORIES):
        categories[slug], new = _upsert(Category, {"slug": slug}, {"name": name, "description": description,
                                                                    "position": position})
        created += new
    products = {}

    book = dict(demo_data.BOOK)
    book_categories = book.pop("categories")
    book_sku = book.pop("sku")
    opening_stock = book.pop("stock")
    products[book_sku], new = _upsert(Product, {"sku": book_sku}, {**book, "kind": KIND_BOOK})
    created += new
    opening = {}
    if new:  # stock is set once; after that only movements (sales, deliveries) change it
        products[book_sku].stock = opening[book_sku] = opening_stock
    products[book_sku].categories = [categories[c] for c in book_categories]

    for position, course in enumerate(demo_data.COURSES):
        values = {
            key: course[key]
            for key in ("slug", "title", "author", "ce_hours", "course_format", "lesson_count", "price_cents",
                        "summary")
        }
        values.update(kind=KIND_COURSE, weight_grams=course.get("weight_grams", 0), position=position,
                      description_md=demo_data.course_description(course),
                      published_at=now - timedelta(days=course["days_old"]))
        product, new = _upsert(Product, {"sku": course["sku"]}, values)
        product.categories = [categories[c] for c in course["categories"]]
        products[course["sku"]] = product
        created += new

    for position, combo in enumerate(demo_data.COMBOS):
        values = {key: combo[key] for key in ("slug", "title", "price_cents", "summary")}
        values.update(kind=KIND_COMBO, position=position, published_at=now - timedelta(days=combo["days_old"]),
                      description_md=combo["summary"] + "\n\nEvery part of this combo is listed on this page, with "
                      "what it would cost on its own.")
        product, new = _upsert(Product, {"sku": combo["sku"]}, values)
        product.categories = [categories[c] for c in combo["categories"]]
        created += new
        existing = {part.component.sku: part for part in product.components}
        for index, (sku, quantity) in enumerate(combo["parts"]):
            part = existing.get(sku)
            if part is None:
                product.components.append(ComboComponent(component=products[sku], quantity=quantity, position=index))
            else:
                part.quantity, part.position = quantity, index
        products[combo["sku"]] = product

    membership = dict(demo_data.MEMBERSHIP)
    membership_sku = membership.pop("sku")
    products[membership_sku], new = _upsert(Product, {"sku": membership_sku}, {**membership, "kind": KIND_MEMBERSHIP})
    created += new

    db.session.flush()
    for sku, quantity in opening.items():
        db.session.add(StockMovement(product_id=products[sku].id, change=quantity, reason=MOVEMENT_INITIAL,
                                     note="opening stock"))
    for product in products.values():
        alt = f"Cover of {product.title}" if product.kind == KIND_BOOK else f"{product.title} artwork"
        _set_cover(product, store, alt)
    db.session.commit()
    return {"created": created, "products": len(products), "categories": len(categories)}


_TOPICS = ["Myofascial", "Trigger Point", "Soft Tissue", "Stretching", "Sports", "Lymphatic", "Prenatal",
           "Neuromuscular", "Orthopedic", "Deep Tissue", "Reflexology", "Craniosacral"]
_AREAS = ["Neck", "Shoulder", "Low Back", "Hip", "Knee", "Foot", "Jaw", "Wrist", "Thoracic Spine", "Pelvis"]
_LEVELS = ["Essentials", "Intermediate", "Advanced", "Masterclass", "Refresher", "Workshop"]


BOOK_EVERY = 10  # in a bulk load one product in ten is a book,
COMBO_EVERY = 20  # one in twenty a combo, the rest courses
# bulk descriptions repeat (a few hundred distinct texts), and rendering Markdown is most of a bulk load's time
_bulk_html = functools.lru_cache(maxsize=2048)(render_markdown)
_COMBO_NOTE = "\n\nEvery part of this combo is listed on this page, with what it would cost on its own."


def bulk_kind(index: int) -> str:
    """The kind of a bulk load's product number `index` (from 0): 0, 10, 20... are books, 15, 35, 55... combos,
    so the first combo already has two books and thirteen courses made before it to hold."""
    if index % BOOK_EVERY == 0:
        return KIND_BOOK
    if index % COMBO_EVERY == COMBO_EVERY - 5:
        return KIND_COMBO
    return KIND_COURSE


def combo_price(separately_cents: int, discount_percent: int) -> int:
    """About `discount_percent` below the parts' sum, rounded down to end in 95 like the other bulk prices (so
    below the sum whenever the sum is over $1: shop.pricing.bundles.compare_bundle then shows a saving)."""
    return max(95, separately_cents * (100 - discount_percent) // 10000 * 100 - 5)


def load_bulk(count: int, seed: int = 7, batch: int = 2000,
              on_batch: Callable[[int], object] | None = None) -> int:
    """Add `count` synthetic products (mostly courses, some books and combos) with bulk inserts.

    One product in ten is a book and one in twenty a combo of 2-4 books and courses made before it in this load,
    priced below their sum; the rest are courses. The same seed makes the same catalogue. `on_batch(done)`, if
    given, is called after each batch with the number of products added so far."""
    rng = random.Random(seed)
    categories = db.session.execute(db.select(Category)).scalars().all()
    if not categories:
        category = Category(slug="general", name="General", description="")
        db.session.add(category)
        db.session.flush()
        categories = [category]
    start = (db.session.execute(db.select(db.func.max(Product.id))).scalar() or 0) + 1
    now = utcnow()
    parts_pool, books = [], []  # (id, price, category) of the books and courses made so far, and of the books
    for offset in range(0, count, batch):
        rows, links, components = [], [], []
        for index in range(offset, min(offset + batch, count)):
            n = start + index
            kind = bulk_kind(index)
            if kind == KIND_COMBO:
                row, row_categories, parts = _combo_row(rng, n, now, parts_pool, books)
                components += [{"combo_id": n, "component_id": part[0], "quantity": 1, "position": position}
                               for position, part in enumerate(parts)]
            else:
                row, row_categories = _single_row(rng, n, kind, now, categories)
                part = (n, row["price_cents"], row_categories[0])
                parts_pool.append(part)
                if kind == KIND_BOOK:
                    books.append(part)
            rows.append(row)
            links += [{"product_id": n, "category_id": category.id} for category in row_categories]
        db.session.execute(db.insert(Product), rows)
        db.session.execute(db.insert(product_categories), links)
        if components:  # no explicit ids: the table's own sequence numbers them
            db.session.execute(db.insert(ComboComponent), components)
        movements = [{"product_id": r["id"], "change": r["stock"], "reason": MOVEMENT_INITIAL, "note": "opening stock",
                      "created_at": now} for r in rows if r["stock"]]
        if movements:
            db.session.execute(db.insert(StockMovement), movements)
        if on_batch is not None:
            on_batch(offset + len(rows))
    _fix_sequence()
    db.session.commit()
    return count


def _row(n, kind, title, author, summary, description, price_cents, categories, now, published_at, **extra):
    fields = SimpleNamespace(title=title, subtitle="", author=author, sku=f"BULK-{n:06d}", isbn="", summary=summary,
                             description_md=description, categories=categories)
    return {
        "id": n, "kind": kind, "sku": fields.sku, "slug": f"bulk-{n}", "title": title,
        "subtitle": "", "author": author, "summary": summary, "description_md": description,
        "description_html": _bulk_html(description), "search_text": search_text_for(fields),
        "price_cents": price_cents, "currency": "USD", "is_active": True,
        "is_featured": False, "position": 1000, "weight_grams": 0, "isbn": "", "stock": 0,
        "ce_hours": None, "course_format": None, "lesson_count": None,
        "created_at": now, "published_at": published_at, "updated_at": now, **extra,
    }


def _single_row(rng, n, kind, now, categories):
    """A book or a course of a bulk load, and its categories."""
    topic, area, level = rng.choice(_TOPICS), rng.choice(_AREAS), rng.choice(_LEVELS)
    title = f"{topic} Therapy for the {area}: {level} {n}"
    category = rng.choice(categories)
    description = f"A {level.lower()} home-study course in {topic.lower()} therapy for the {area.lower()}."
    price_cents = rng.randrange(2900, 24900, 100) - 5
    if kind == KIND_BOOK:
        extra = {"weight_grams": 500, "stock": rng.randrange(0, 60)}
    else:
        extra = {"ce_hours": rng.choice([2, 4, 6, 8]), "course_format": "online", "lesson_count": rng.randrange(3, 12)}
    published_at = now - timedelta(minutes=rng.randrange(0, 500000))
    row = _row(n, kind, title, "Staff Instructor", description, description, price_cents, [category], now,
               published_at, **extra)
    return row, [category]


def _combo_row(rng, n, now, parts_pool, books):
    """A combo of 2-4 earlier books and courses (half of them hold a book), priced 12-25% below its parts."""
    size = rng.randint(2, min(4, len(parts_pool)))
    parts = []
    if books and rng.random() < 0.5:
        parts.append(rng.choice(books))
    while len(parts) < size:
        part = rng.choice(parts_pool)
        if all(part[0] != chosen[0] for chosen in parts):
            parts.append(part)
    separately = sum(part[1] for part in parts)
    price_cents = combo_price(separately, rng.randrange(12, 26))
    row_categories = list(dict.fromkeys(part[2] for part in parts))[:2]  # its parts' first two
    topic, area = rng.choice(_TOPICS), rng.choice(_AREAS)
    title = f"{topic} Combo for the {area}: {len(parts)} Titles {n}"
    summary = (f"{len(parts)} titles on {topic.lower()} work for the {area.lower()} in one bundle, for less than "
               "they cost separately.")
    published_at = now - timedelta(minutes=rng.randrange(0, 500000))
    row = _row(n, KIND_COMBO, title, "", summary, summary + _COMBO_NOTE, price_cents, row_categories, now,
               published_at)
    return row, row_categories, parts


def _fix_sequence():
    """After inserting explicit ids on PostgreSQL, move the id sequence past them."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text(
            "SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products))"
        ))
