"""Loading catalogues: the realistic demo catalogue (idempotent) and large synthetic ones for benchmarks."""

import random
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


def _set_cover(product, media_root, alt):
    filename = write_cover(media_root, product.slug, product.title, product.kind, product.author or product.subtitle)
    if product.images:
        image = product.images[0]
        image.filename, image.alt_text = filename, alt
    else:
        product.images.append(ProductImage(filename=filename, alt_text=alt, width=600, height=800))


def load_demo(media_root: str) -> dict[str, int]:
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
        _set_cover(product, media_root, alt)
    db.session.commit()
    return {"created": created, "products": len(products), "categories": len(categories)}


_TOPICS = ["Myofascial", "Trigger Point", "Soft Tissue", "Stretching", "Sports", "Lymphatic", "Prenatal",
           "Neuromuscular", "Orthopedic", "Deep Tissue", "Reflexology", "Craniosacral"]
_AREAS = ["Neck", "Shoulder", "Low Back", "Hip", "Knee", "Foot", "Jaw", "Wrist", "Thoracic Spine", "Pelvis"]
_LEVELS = ["Essentials", "Intermediate", "Advanced", "Masterclass", "Refresher", "Workshop"]


def load_bulk(count: int, seed: int = 7, batch: int = 2000) -> int:
    """Add `count` synthetic products (mostly courses, some books and combos) with bulk inserts."""
    rng = random.Random(seed)
    categories = db.session.execute(db.select(Category)).scalars().all()
    if not categories:
        category = Category(slug="general", name="General", description="")
        db.session.add(category)
        db.session.flush()
        categories = [category]
    start = (db.session.execute(db.select(db.func.max(Product.id))).scalar() or 0) + 1
    now = utcnow()
    for offset in range(0, count, batch):
        rows, links = [], []
        for n in range(start + offset, start + min(offset + batch, count)):
            topic, area, level = rng.choice(_TOPICS), rng.choice(_AREAS), rng.choice(_LEVELS)
            kind = KIND_BOOK if n % 10 == 0 else KIND_COURSE
            title = f"{topic} Therapy for the {area}: {level} {n}"
            category = rng.choice(categories)
            description = f"A {level.lower()} home-study course in {topic.lower()} therapy for the {area.lower()}."
            fields = SimpleNamespace(title=title, subtitle="", author="Staff Instructor", sku=f"BULK-{n:06d}",
                                     isbn="", summary=description, description_md=description,
                                     categories=[category])
            rows.append({
                "id": n, "kind": kind, "sku": fields.sku, "slug": f"bulk-{n}", "title": title,
                "subtitle": "", "author": fields.author, "summary": description, "description_md": description,
                "description_html": render_markdown(description), "search_text": search_text_for(fields),
                "price_cents": rng.randrange(2900, 24900, 100) - 5, "currency": "USD", "is_active": True,
                "is_featured": False, "position": 1000, "weight_grams": 500 if kind == KIND_BOOK else 0,
                "isbn": "", "stock": rng.randrange(0, 60) if kind == KIND_BOOK else 0,
                "ce_hours": rng.choice([2, 4, 6, 8]) if kind == KIND_COURSE else None,
                "course_format": "online" if kind == KIND_COURSE else None,
                "lesson_count": rng.randrange(3, 12) if kind == KIND_COURSE else None,
                "created_at": now, "published_at": now - timedelta(minutes=rng.randrange(0, 500000)),
                "updated_at": now,
            })
            links.append({"product_id": n, "category_id": category.id})
        db.session.execute(db.insert(Product), rows)
        db.session.execute(db.insert(product_categories), links)
        movements = [{"product_id": r["id"], "change": r["stock"], "reason": MOVEMENT_INITIAL, "note": "opening stock",
                      "created_at": now} for r in rows if r["stock"]]
        if movements:
            db.session.execute(db.insert(StockMovement), movements)
    _fix_sequence()
    db.session.commit()
    return count


def _fix_sequence():
    """After inserting explicit ids on PostgreSQL, move the id sequence past them."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text(
            "SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products))"
        ))
