"""factory_boy factories for test data. They commit, so every test sees what a request would see."""

from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from shop.catalogue.models import Category, ComboComponent, Product, ProductImage
from shop.extensions import db


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class CategoryFactory(BaseFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    description = "A category"


class ProductFactory(BaseFactory):
    class Meta:
        model = Product

    kind = "course"
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    title = factory.Sequence(lambda n: f"Course number {n}")
    author = "Mary Sanderson"
    summary = "A short summary."
    description_md = "A **good** course."
    price_cents = 9900
    ce_hours = Decimal("6")
    course_format = "online"
    lesson_count = 6

    @factory.post_generation
    def with_image(obj, create, extracted, **kwargs):
        if extracted:
            obj.images.append(ProductImage(filename=f"products/{obj.slug}.svg", alt_text=f"{obj.title} artwork"))
            if create:
                db.session.commit()


class BookFactory(ProductFactory):
    kind = "book"
    title = factory.Sequence(lambda n: f"Book number {n}")
    ce_hours = None
    course_format = None
    lesson_count = None
    isbn = "9780000000002"
    weight_grams = 600
    stock = 20
    price_cents = 4995


class MembershipFactory(ProductFactory):
    kind = "membership"
    title = "All-Access Course Membership"
    ce_hours = None
    course_format = None
    lesson_count = None
    billing_interval = "month"
    price_cents = 1995


class ComboFactory(ProductFactory):
    kind = "combo"
    title = factory.Sequence(lambda n: f"Combo number {n}")
    ce_hours = None
    course_format = None
    lesson_count = None
    price_cents = 15000

    @factory.post_generation
    def parts(obj, create, extracted, **kwargs):
        """parts=[(product, quantity), ...]"""
        for position, (product, quantity) in enumerate(extracted or []):
            obj.components.append(ComboComponent(component=product, quantity=quantity, position=position))
        if create and extracted:
            db.session.commit()
