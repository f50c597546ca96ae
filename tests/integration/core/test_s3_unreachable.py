"""The object store gone (STORAGE_URL pointing at a server that does not answer): pictures, course files and
uploads fail with the 503 page and a Retry-After, never a trace, and an upload that could not be stored leaves
no row behind pointing at a missing file."""

import io

import pytest
from PIL import Image

from shop.catalogue.models import ProductImage
from shop.courses.models import CourseFile
from shop.extensions import db
from shop.payments.local_server import free_port
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory, course_with_lessons, grant_course
from tests.support.forms import log_in, post_form


@pytest.fixture
def store_gone(app, monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "suite", "AWS_SECRET_ACCESS_KEY": "suite-secret",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for key, value in {"STORAGE_URL": "s3://shop-files/shop", "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
                       "S3_REGION": "us-east-1"}.items():
        monkeypatch.setitem(app.config, key, value)


def _unavailable(response):
    assert response.status_code == 503, response.status_code
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert "file store" in page and "Traceback" not in page
    return page


def test_a_picture_asked_for_while_the_store_is_gone_is_a_503_page(app, client, store_gone):
    _unavailable(client.get("/media/products/cover.png"))
    asked = client.get("/media/products/cover.png", headers={"Accept": "application/json"})
    assert asked.status_code == 503 and "file store" in asked.get_json()["message"]


def test_an_image_upload_the_store_could_not_take_leaves_no_row_and_says_to_try_again(app, client, store_gone):
    log_in(client, UserFactory(role="marketing").email, DEFAULT_PASSWORD)
    product_id = ProductFactory(slug="neck-and-shoulders").id
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(picture, "PNG")
    page = _unavailable(post_form(client, f"/backoffice/products/{product_id}/images",
                                  {"image": (io.BytesIO(picture.getvalue()), "cover.png"), "alt_text": "Cover"},
                                  page=f"/backoffice/products/{product_id}"))
    assert "Try again" in page
    db.session.remove()
    assert db.session.scalars(db.select(ProductImage)).all() == []
    assert client.get(f"/backoffice/products/{product_id}").status_code == 200  # the product page still opens


def test_a_course_file_asked_for_by_its_owner_while_the_store_is_gone_is_a_503_page(app, store_gone):
    product, lessons = course_with_lessons(lessons=1, slug="tp-course")
    handout = CourseFile(product_id=product.id, lesson_id=lessons[0].id, purpose="material", title="Handout",
                         storage_key=f"courses/{product.id}/handout.pdf", content_type="application/pdf",
                         size_bytes=10)
    db.session.add(handout)
    db.session.commit()
    owner = UserFactory(email="owner@example.com")
    grant_course(owner, product)
    mine = app.test_client()
    log_in(mine, owner.email, DEFAULT_PASSWORD)
    _unavailable(mine.get(f"/my/courses/files/{handout.id}"))
