"""`flask seed-demo` and `flask seed-bulk`: the demo catalogue with its images, idempotent; bulk catalogues."""

import pytest

from shop.catalogue import seeding, services
from shop.catalogue.models import Category, ComboComponent, Product, ProductImage, product_categories
from shop.extensions import db
from shop.pricing.bundles import compare_bundle
from tests.factories import ComboFactory, ProductFactory


def _counts():
    return {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Product, Category, ComboComponent, ProductImage)}


def test_seed_demo_loads_the_catalogue_and_running_it_twice_duplicates_nothing(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = _counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "0 rows new" in second.output
    assert _counts() == counts

    by_kind = dict(db.session.execute(db.select(Product.kind, db.func.count()).group_by(Product.kind)).all())
    assert by_kind["book"] >= 1 and by_kind["course"] >= 8 and by_kind["combo"] == 3 and by_kind["membership"] == 1
    book = db.session.execute(db.select(Product).filter_by(kind="book")).scalar_one()
    assert book.title == "Soft Tissue Release" and book.author == "Mary Sanderson"
    membership = db.session.execute(db.select(Product).filter_by(kind="membership")).scalar_one()
    assert membership.price_cents == 1995
    titles = " ".join(db.session.execute(db.select(Product.title)).scalars()).lower()
    for topic in ("trigger point", "myofascial release", "soft tissue release", "assisted stretching"):
        assert topic in titles


def _images():
    return {(image.id, image.product_id, image.filename, image.alt_text)
            for image in db.session.execute(db.select(ProductImage)).scalars()}


def _files(media_root):
    return {path.relative_to(media_root).as_posix(): path.read_bytes()
            for path in media_root.rglob("*") if path.is_file()}


def test_seed_demo_draws_an_image_for_every_product(app, tmp_path, monkeypatch):
    media_root = tmp_path / "media"  # this test's own: files from other tests cannot stand in for the seed's
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(media_root))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    products = db.session.execute(db.select(Product)).scalars().all()
    assert len(products) >= 13  # the book, the courses, the combos and the membership
    for product in products:
        assert product.images, f"{product.sku} has no image row"
        for image in product.images:
            path = media_root / image.filename
            assert path.is_file(), f"{product.sku}: {image.filename} is not under MEDIA_ROOT"
            assert path.read_text(encoding="utf-8").startswith("<svg") and image.alt_text
    images, files = _images(), _files(media_root)
    assert {filename for _, _, filename, _ in images} == set(files)  # no image row without its file, and no stray file

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "(0 rows new)" in again.output
    assert _images() == images  # the same rows: nothing added, nothing repointed
    assert _files(media_root) == files


def test_seed_bulk_adds_n_searchable_products(app, client):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    before = db.session.scalar(db.select(db.func.count(Product.id)))
    last_id = db.session.scalar(db.select(db.func.max(Product.id)))
    result = runner.invoke(args=["seed-bulk", "--products", "250"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count(Product.id))) == before + 250
    assert client.get("/search?q=lymphatic").status_code == 200
    assert client.get(f"/products/bulk-{last_id + 1}").status_code == 200
    # a product added normally after the bulk load gets a fresh id (the PostgreSQL sequence moved on)
    assert ProductFactory().id > last_id + 250


def test_seed_bulk_refuses_a_bad_count(app):
    result = app.test_cli_runner().invoke(args=["seed-bulk", "--products", "0"])
    assert result.exit_code != 0 and "Invalid value" in result.output


def _bulk(kind=None):
    statement = db.select(Product).where(Product.sku.like("BULK-%")).order_by(Product.id)
    if kind:
        statement = statement.where(Product.kind == kind)
    return db.session.execute(statement).scalars().all()


def test_seed_bulk_makes_combos_of_earlier_books_and_courses_priced_below_their_parts(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    result = runner.invoke(args=["seed-bulk", "--products", "200"])
    assert result.exit_code == 0, result.output

    bulk = _bulk()
    by_kind = {kind: sum(p.kind == kind for p in bulk) for kind in ("book", "course", "combo")}
    assert by_kind == {"book": 20, "course": 170, "combo": 10}  # one in ten a book, one in twenty a combo
    bulk_ids = {p.id for p in bulk}
    combos = _bulk("combo")
    threshold = app.config["LOW_STOCK_THRESHOLD"]
    holding_a_book = 0
    for combo in combos:
        parts = combo.components
        assert 2 <= len(parts) <= 4, combo.sku
        assert len({part.component_id for part in parts}) == len(parts)
        for part in parts:
            assert part.component.kind in ("book", "course") and part.quantity == 1
            assert part.component_id in bulk_ids and part.component_id < combo.id  # made before it, in this load
        comparison = compare_bundle(((p.component.price_cents, p.quantity) for p in parts), combo.price_cents)
        assert 0 < combo.price_cents < comparison.separately_cents and comparison.saving_percent >= 10
        assert combo.stock == 0 and combo.weight_grams == 0 and combo.ce_hours is None
        assert combo.categories and combo.published_at is not None and combo.is_active
        assert " combo " in combo.search_text and combo.categories[0].name.lower().split()[0] in combo.search_text
        assert combo.description_html.startswith("<p>")

        books = combo.books()
        holding_a_book += bool(books)
        expected = "in_stock" if all(book.stock >= copies for book, copies in books.values()) else "out_of_stock"
        assert services.availability(combo, threshold).code == expected

        page = client.get(f"/products/{combo.slug}")
        assert page.status_code == 200, combo.sku
        html = page.get_data(as_text=True)
        assert "What is in this combo" in html
        for part in parts:
            assert f'href="/products/{part.component.slug}"' in html and part.component.title in html
    assert 0 < holding_a_book < len(combos)  # some combos hold a book (their stock counts), some only courses

    # combo_components took no explicit ids: one added normally after the load gets a fresh one (PostgreSQL too)
    last_part = db.session.scalar(db.select(db.func.max(ComboComponent.id)))
    combo = ComboFactory(parts=[(combos[0].components[0].component, 1), (combos[1].components[0].component, 1)])
    assert min(part.id for part in combo.components) > last_part


def test_a_combo_holding_a_book_out_of_stock_is_out_of_stock(app):
    seeding.load_bulk(100)
    combo = next(c for c in _bulk("combo") if c.books())
    threshold = app.config["LOW_STOCK_THRESHOLD"]
    for book, _copies in combo.books().values():
        book.stock = 0
    assert services.availability(combo, threshold).code == "out_of_stock"
    for book, copies in combo.books().values():
        book.stock = copies + threshold + 1
    assert services.availability(combo, threshold).code == "in_stock"


def _signature(products, start):
    """A bulk load as seen from its first id: the same seed must give the same catalogue wherever it starts."""
    links = db.session.execute(db.select(product_categories.c.product_id, product_categories.c.category_id)).all()
    categories = {}
    for product_id, category_id in links:
        categories.setdefault(product_id, set()).add(category_id)
    return [(p.id - start, p.kind, p.title.rsplit(" ", 1)[0], p.price_cents, p.stock, p.ce_hours,
             frozenset(categories[p.id]), tuple((c.component_id - start, c.quantity) for c in p.components))
            for p in products]


def test_load_bulk_is_deterministic_for_a_seed_and_reports_each_batch(app):
    first_calls, second_calls = [], []
    assert seeding.load_bulk(250, seed=3, batch=60, on_batch=first_calls.append) == 250
    assert first_calls == [60, 120, 180, 240, 250]
    first = _bulk()
    seeding.load_bulk(250, seed=3, batch=100, on_batch=second_calls.append)
    assert second_calls == [100, 200, 250]
    second = _bulk()[250:]
    assert _signature(first, first[0].id) == _signature(second, second[0].id)
    assert sum(p.kind == "combo" for p in first) == 12  # indexes 15, 35, ..., 235


@pytest.mark.parametrize("count", [1, 16])
def test_load_bulk_of_a_few_products(app, count):
    seeding.load_bulk(count)
    kinds = [p.kind for p in _bulk()]
    assert len(kinds) == count and kinds[0] == "book"
    assert kinds.count("combo") == (count > 15)


def test_seed_bulk_shows_a_progress_bar_advanced_per_batch(app, monkeypatch):
    load_bulk, seen = seeding.load_bulk, []

    def small_batches(count, on_batch=None):
        def report(done):
            seen.append(done)
            on_batch(done)
        return load_bulk(count, batch=10, on_batch=report)

    monkeypatch.setattr(seeding, "load_bulk", small_batches)
    result = app.test_cli_runner().invoke(args=["seed-bulk", "--products", "25"])
    assert result.exit_code == 0, result.output
    assert seen == [10, 20, 25]
    assert "Adding products" in result.stderr  # the bar (only its label when not a terminal), on stderr
    assert result.stdout.strip() == "Added 25 synthetic products."
    assert len(_bulk()) == 25
