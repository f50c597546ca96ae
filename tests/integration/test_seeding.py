from shop.catalogue.models import Category, ComboComponent, Product, ProductImage
from shop.extensions import db


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


def test_seed_demo_draws_an_image_for_every_product(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    from pathlib import Path

    for image in db.session.execute(db.select(ProductImage)).scalars():
        path = Path(app.config["MEDIA_ROOT"]) / image.filename
        assert path.read_text().startswith("<svg") and image.alt_text


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
    from tests.factories import ProductFactory

    assert ProductFactory().id > last_id + 250


def test_seed_bulk_refuses_a_bad_count(app):
    result = app.test_cli_runner().invoke(args=["seed-bulk", "--products", "0"])
    assert result.exit_code != 0 and "Invalid value" in result.output
