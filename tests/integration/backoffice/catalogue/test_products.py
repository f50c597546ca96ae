"""Catalogue management in the back office: products of each kind, combos, Markdown, prices, retiring, order."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from shop.catalogue.models import Category, Product, StockMovement
from shop.core.models import AuditEntry
from shop.extensions import db
from shop.orders.models import OrderLine
from tests.factories import (
    DEFAULT_PASSWORD,
    BookFactory,
    CategoryFactory,
    ComboFactory,
    CourseModuleFactory,
    LessonFactory,
    MembershipFactory,
    OrderLineFactory,
    ProductFactory,
    UserFactory,
)
from tests.support import forms
from tests.support.forms import log_in, post_form

BASICS = {"title": "Trigger Point Therapy", "sku": "TPT-01", "price": "49.95", "summary": "Short.",
          "description_md": "Learn **trigger points**.", "position": "3", "is_active": "y"}


@pytest.fixture
def marketer(client):
    user = UserFactory(role="marketing", email="marketing@example.com")
    log_in(client, user.email, DEFAULT_PASSWORD)
    return user


def _page(response):
    return response.get_data(as_text=True)


def _product(sku):
    return db.session.scalar(select(Product).where(Product.sku == sku))


def _audit(product, action):
    return db.session.scalars(select(AuditEntry).filter_by(entity_type="product", entity_id=str(product.id),
                                                           action=action)).all()


def test_add_a_book_with_opening_stock_categories_and_an_audit_entry(client, marketer):
    category = CategoryFactory(name="Massage")
    data = {**BASICS, "author": "Mary Sanderson", "isbn": "9780000000019", "page_count": "320",
            "weight_grams": "700", "low_stock_threshold": "4", "opening_stock": "12", "categories": str(category.id),
            "is_featured": "y"}
    response = post_form(client, "/backoffice/products/new/book", data)
    assert response.status_code == 302
    book = _product("TPT-01")
    assert (book.kind, book.price_cents, book.author, book.page_count, book.low_stock_threshold) == (
        "book", 4995, "Mary Sanderson", 320, 4)
    assert (book.slug, book.is_featured, book.is_active, book.position) == ("trigger-point-therapy", True, True, 3)
    assert [c.name for c in book.categories] == ["Massage"]
    assert book.description_html == "<p>Learn <strong>trigger points</strong>.</p>"
    assert book.stock == 12
    movements = db.session.scalars(select(StockMovement).filter_by(product_id=book.id)).all()
    assert [(m.change, m.reason, m.actor_id) for m in movements] == [(12, "initial", marketer.id)]
    [entry] = _audit(book, "created")
    assert entry.actor_id == marketer.id and "$49.95" in entry.summary
    page = _page(client.get(response.location))
    assert "History" in page and "created" in page and "marketing@example.com" in page


def test_add_a_course_and_a_membership(client, marketer):
    course = {**BASICS, "sku": "C-1", "title": "Myofascial Release", "ce_hours": "7.5", "lesson_count": "8",
              "course_format": "online_with_kit", "weight_grams": "300"}
    del course["is_active"]  # a new course has no lessons yet, so it starts off sale
    assert post_form(client, "/backoffice/products/new/course", course).status_code == 302
    saved = _product("C-1")
    assert (saved.kind, saved.ce_hours, saved.lesson_count, saved.course_format, saved.is_active) == (
        "course", Decimal("7.50"), 8, "online_with_kit", False)
    membership = {**BASICS, "sku": "M-1", "title": "All access", "price": "19.95", "billing_interval": "month"}
    assert post_form(client, "/backoffice/products/new/membership", membership).status_code == 302
    assert (_product("M-1").billing_interval, _product("M-1").price_cents) == ("month", 1995)


def test_kind_specific_fields_are_required_and_bad_input_is_a_422_with_a_message(client, marketer):
    response = post_form(client, "/backoffice/products/new/course", {**BASICS, "course_format": "online"})
    assert response.status_code == 422 and "Enter the CE hours." in _page(response)
    response = post_form(client, "/backoffice/products/new/book", {**BASICS, "price": "twelve"})
    assert response.status_code == 422 and "Enter an amount in dollars and cents" in _page(response)
    ProductFactory(sku="TAKEN")
    response = post_form(client, "/backoffice/products/new/book", {**BASICS, "sku": "taken"})
    assert response.status_code == 422 and "already uses the SKU" in _page(response)
    response = post_form(client, "/backoffice/products/new/book", {**BASICS, "page_count": "-4"})
    assert response.status_code == 422
    assert client.get("/backoffice/products/new/spaceship").status_code == 404
    assert _product("TPT-01") is None


def test_combo_with_components_shows_the_separate_total_and_the_saving(client, marketer):
    book = BookFactory(price_cents=5000)
    course = ProductFactory(price_cents=10000)
    data = {**BASICS, "sku": "COMBO-1", "title": "Starter pack", "price": "120.00",
            "components-0-product_id": str(book.id), "components-0-quantity": "2",
            "components-1-product_id": str(course.id), "components-1-quantity": "1",
            "components-2-product_id": "0", "components-2-quantity": "1"}
    response = post_form(client, "/backoffice/products/new/combo", data)
    assert response.status_code == 302
    combo = _product("COMBO-1")
    assert sorted((c.component_id, c.quantity) for c in combo.components) == [(book.id, 2), (course.id, 1)]
    page = _page(client.get(response.location))
    assert "Bought separately" in page and "$200.00" in page and "$80.00 (40%)" in page

    other = ComboFactory(parts=[(book, 1)])
    refused = post_form(client, f"/backoffice/products/{combo.id}", {
        **data, "components-2-product_id": str(other.id)})
    assert refused.status_code == 422 and "cannot hold another combo" in _page(refused)
    empty = post_form(client, "/backoffice/products/new/combo", {**BASICS, "sku": "COMBO-2"})
    assert empty.status_code == 422 and "at least one product" in _page(empty)

    edited = post_form(client, f"/backoffice/products/{combo.id}", {
        **data, "components-0-quantity": "1", "components-1-product_id": "0"})
    assert edited.status_code == 302
    db.session.expire_all()
    assert [(c.component_id, c.quantity) for c in _product("COMBO-1").components] == [(book.id, 1)]
    assert "components: 1 × " in _audit(combo, "updated")[0].summary


def test_a_price_change_never_alters_a_past_order(client, marketer):
    course = ProductFactory(sku="PRICE-1", price_cents=9900)
    line = OrderLineFactory(product_id=course.id, sku=course.sku, title=course.title, unit_price_cents=9900)
    page = _page(client.get(f"/backoffice/products/{course.id}"))
    assert forms.input_value(page, "price") == "99.00"
    data = {"title": "Renamed course", "sku": "PRICE-1", "slug": course.slug, "price": "$79.50",
            "ce_hours": "6", "lesson_count": "6", "course_format": "online", "is_active": "y"}
    assert post_form(client, f"/backoffice/products/{course.id}", data).status_code == 302
    db.session.expire_all()
    assert _product("PRICE-1").price_cents == 7950
    kept = db.session.get(OrderLine, line.id)
    assert (kept.unit_price_cents, kept.total_cents, kept.title, kept.sku) == (9900, 9900, line.title, "PRICE-1")
    [entry] = _audit(course, "updated")
    assert "price $99.00 → $79.50" in entry.summary and "title" in entry.summary


def test_markdown_preview_is_sanitised_with_and_without_javascript(client, marketer):
    text = "**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    page = client.get("/backoffice/products/new/book")
    from tests.support.forms import csrf_token

    token = csrf_token(_page(page))
    response = client.post("/backoffice/products/preview", data={"text": text, "csrf_token": token})
    assert response.status_code == 200
    html = _page(response)
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html

    no_js = post_form(client, "/backoffice/products/new/book", {**BASICS, "description_md": text, "preview": "Preview"})
    assert no_js.status_code == 200
    assert "<strong>Bold</strong>" in _page(no_js) and "<script>alert" not in _page(no_js)
    assert _product("TPT-01") is None  # a preview saves nothing

    post_form(client, "/backoffice/products/new/book", {**BASICS, "description_md": text})
    saved = _product("TPT-01").description_html
    assert "<strong>Bold</strong>" in saved and "<script" not in saved and "onerror" not in saved


def test_retire_restore_and_delete_only_what_was_never_ordered(client, marketer):
    sold = ProductFactory()
    LessonFactory(module_id=CourseModuleFactory(product_id=sold.id).id)  # a course goes back on sale with lessons
    OrderLineFactory(product_id=sold.id)
    assert client.get(f"/products/{sold.slug}").status_code == 200
    assert post_form(client, f"/backoffice/products/{sold.id}/retire", page=f"/backoffice/products/{sold.id}",
                     ).status_code == 302
    assert db.session.get(Product, sold.id).is_active is False
    assert client.get(f"/products/{sold.slug}").status_code == 404
    refused = post_form(client, f"/backoffice/products/{sold.id}/delete", page=f"/backoffice/products/{sold.id}")
    assert refused.status_code == 409 and "cannot be deleted" in _page(refused)
    assert db.session.get(Product, sold.id) is not None
    post_form(client, f"/backoffice/products/{sold.id}/restore", page=f"/backoffice/products/{sold.id}")
    assert db.session.get(Product, sold.id).is_active is True
    assert [e.action for e in _audit(sold, "retired") + _audit(sold, "restored")] == ["retired", "restored"]

    mistake_id = ProductFactory().id
    deleted = post_form(client, f"/backoffice/products/{mistake_id}/delete",
                        page=f"/backoffice/products/{mistake_id}")
    assert deleted.status_code == 302
    assert db.session.scalar(select(Product.id).where(Product.id == mistake_id)) is None


def test_list_search_filters_and_reorder(client, marketer):
    first = ProductFactory(title="Myofascial release", position=0)
    second = BookFactory(title="Deep Tissue Handbook", position=1)
    MembershipFactory()
    page = _page(client.get("/backoffice/products?q=myofa"))
    assert "Myofascial release" in page and "Deep Tissue Handbook" not in page
    page = _page(client.get("/backoffice/products?kind=book"))
    assert "Deep Tissue Handbook" in page and "Myofascial release" not in page
    response = post_form(client, "/backoffice/products/reorder?kind=course",
                         {f"position-{first.id}": "5", f"position-{second.id}": "-1"}, page="/backoffice/products")
    assert response.status_code == 302 and "kind=course" in response.location
    db.session.expire_all()
    assert (db.session.get(Product, first.id).position, db.session.get(Product, second.id).position) == (5, -1)
    page = _page(client.get("/backoffice/products"))
    assert page.index("Deep Tissue Handbook") < page.index("Myofascial release")
    bad = post_form(client, "/backoffice/products/reorder", {f"position-{first.id}": "soon"},
                    page="/backoffice/products", follow_redirects=True)
    assert "whole numbers" in _page(bad)


def test_categories_are_created_edited_and_assigned(client, marketer):
    response = post_form(client, "/backoffice/categories", {"name": "Pain & Posture", "position": "2"})
    assert response.status_code == 302
    category = db.session.scalar(select(Category).filter_by(slug="pain-posture"))
    assert category.name == "Pain & Posture"
    edited = post_form(client, f"/backoffice/categories/{category.id}",
                       {"name": "Posture", "slug": "posture", "position": "1"})
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, category.id).slug == "posture"
    duplicate = post_form(client, "/backoffice/categories", {"name": "Other", "slug": "posture"})
    assert duplicate.status_code == 422 and "already uses" in _page(duplicate)
    course = ProductFactory()
    post_form(client, f"/backoffice/products/{course.id}", {
        "title": course.title, "sku": course.sku, "slug": course.slug, "price": "99.00", "ce_hours": "6",
        "lesson_count": "6", "course_format": "online", "is_active": "y", "categories": str(category.id)})
    db.session.expire_all()
    assert [c.slug for c in db.session.get(Product, course.id).categories] == ["posture"]


def test_staff_and_customers_cannot_manage_the_catalogue(client):
    staff = UserFactory(role="staff")
    log_in(client, staff.email, DEFAULT_PASSWORD)
    assert client.get("/backoffice/products").status_code == 403
    assert client.get("/backoffice/").status_code == 200
