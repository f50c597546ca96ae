"""A combo holds books and courses only: the membership (billed monthly) is refused with a clear message."""

import html

import pytest
from sqlalchemy import select

from shop.catalogue.models import ComboComponent, Product
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, BookFactory, ComboFactory, MembershipFactory, ProductFactory, UserFactory
from tests.support.forms import log_in, post_form

MESSAGE = ("A combo cannot contain the membership: it is billed monthly. Link to the membership from the combo's "
           "description instead.")
COMBO = {"title": "Starter pack", "sku": "COMBO-M", "price": "120.00", "summary": "Short.",
         "description_md": "A pack.", "position": "0", "is_active": "y"}


@pytest.fixture
def marketer(client):
    user = UserFactory(role="marketing", email="marketing@example.com")
    log_in(client, user.email, DEFAULT_PASSWORD)
    return user


def _text(response):
    return html.unescape(response.get_data(as_text=True))


def test_a_new_combo_with_the_membership_is_refused_and_not_saved(client, marketer):
    membership = MembershipFactory(title="All-Access Course Membership")
    book = BookFactory(title="Soft Tissue Release")
    form = client.get("/backoffice/products/new/combo")
    assert form.status_code == 200
    assert "Soft Tissue Release" in _text(form) and "All-Access Course Membership" not in _text(form)

    refused = post_form(client, "/backoffice/products/new/combo", {
        **COMBO, "components-0-product_id": str(book.id), "components-0-quantity": "1",
        "components-1-product_id": str(membership.id), "components-1-quantity": "1"})
    assert refused.status_code == 422
    assert MESSAGE in _text(refused)
    assert db.session.scalar(select(Product).where(Product.sku == "COMBO-M")) is None
    assert db.session.scalar(select(db.func.count(ComboComponent.id))) == 0


def test_an_existing_combo_cannot_be_given_the_membership(client, marketer):
    membership = MembershipFactory()
    course = ProductFactory()
    combo = ComboFactory(parts=[(course, 1)])
    db.session.commit()
    refused = post_form(client, f"/backoffice/products/{combo.id}", {
        **COMBO, "sku": combo.sku, "title": combo.title,
        "components-0-product_id": str(course.id), "components-0-quantity": "1",
        "components-1-product_id": str(membership.id), "components-1-quantity": "1"})
    assert refused.status_code == 422 and MESSAGE in _text(refused)
    db.session.expire_all()
    assert [c.component_id for c in db.session.get(Product, combo.id).components] == [course.id]


def test_the_demo_catalogue_has_no_combo_containing_the_membership(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    kinds = db.session.scalars(
        select(Product.kind).join(ComboComponent, ComboComponent.component_id == Product.id)).all()
    assert kinds and "membership" not in kinds
