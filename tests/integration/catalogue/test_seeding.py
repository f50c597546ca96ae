"""`flask seed-demo` and `flask seed-bulk`: the demo catalogue with its images, idempotent; bulk catalogues."""

from shop.catalogue.models import Category, ComboComponent, Product, ProductImage
from shop.extensions import db
from tests.factories import ProductFactory


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
