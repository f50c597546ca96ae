"""Product images uploaded in the back office: resized, re-encoded without metadata, refused when wrong."""

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from shop.catalogue.models import ProductImage
from shop.core.models import AuditEntry
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory
from tests.support import forms
from tests.support.forms import log_in, post_form


@pytest.fixture
def product(client):
    user = UserFactory(role="marketing")
    log_in(client, user.email, DEFAULT_PASSWORD)
    return ProductFactory(slug="neck-and-shoulders")


def _image(fmt, size=(2000, 1000), **save):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt, **save)
    return out.getvalue()


def _upload(client, product, data, filename, alt="Cover of the course"):
    return post_form(client, f"/backoffice/products/{product.id}/images",
                     {"image": (io.BytesIO(data), filename), "alt_text": alt},
                     page=f"/backoffice/products/{product.id}")


def _images(product):
    return db.session.scalars(select(ProductImage).filter_by(product_id=product.id)).all()


def test_a_png_is_resized_to_1200_pixels_and_stored_under_media_products(app, client, product):
    response = _upload(client, product, _image("PNG"), "cover.png")
    assert response.status_code == 302
    [image] = _images(product)
    assert image.filename.startswith("products/neck-and-shoulders-") and image.filename.endswith(".png")
    assert (image.width, image.height, image.alt_text) == (1200, 600, "Cover of the course")
    stored = Path(app.config["MEDIA_ROOT"]) / image.filename
    with Image.open(stored) as saved:
        assert (saved.format, saved.size) == ("PNG", (1200, 600))
    assert client.get(f"/media/{image.filename}").status_code == 200
    assert db.session.scalar(select(AuditEntry).filter_by(entity_id=str(product.id), action="image added"))
    page = client.get(f"/backoffice/products/{product.id}").get_data(as_text=True)
    assert 'alt="Cover of the course"' in page


def test_jpeg_metadata_is_stripped_and_webp_is_accepted(app, client, product):
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif[0x0132] = "2024:01:01 10:00:00"  # DateTime
    jpeg = _image("JPEG", size=(800, 600), exif=exif.tobytes())
    assert b"Secret Camera Co" in jpeg
    assert _upload(client, product, jpeg, "photo.jpg").status_code == 302
    assert _upload(client, product, _image("WEBP", size=(300, 300)), "photo.webp").status_code == 302
    jpeg_row, webp_row = sorted(_images(product), key=lambda i: i.position)
    data = (Path(app.config["MEDIA_ROOT"]) / jpeg_row.filename).read_bytes()
    assert b"Secret Camera Co" not in data
    with Image.open(io.BytesIO(data)) as saved:
        assert saved.format == "JPEG" and saved.size == (800, 600) and not saved.getexif()
    assert webp_row.filename.endswith(".webp") and (webp_row.width, webp_row.height) == (300, 300)


def test_too_big_wrong_type_and_missing_alt_text_are_refused_with_a_message(client, product):
    huge = _upload(client, product, b"\x89PNG" + b"0" * (6 * 1024 * 1024), "huge.png")
    assert huge.status_code == 413 and "larger than 5 MB" in huge.get_data(as_text=True)
    just_over = _upload(client, product, b"\x89PNG" + b"0" * (5 * 1024 * 1024), "over.png")
    assert just_over.status_code == 413 and "larger than 5 MB" in just_over.get_data(as_text=True)
    assert forms.input_value(huge.get_data(as_text=True), "sku") == product.sku  # the product's own form, as saved
    gif = _upload(client, product, _image("GIF", size=(20, 20)), "anim.gif")
    assert gif.status_code == 422 and "not a JPEG, PNG or WebP" in gif.get_data(as_text=True)
    assert forms.input_value(gif.get_data(as_text=True), "sku") == product.sku
    text = _upload(client, product, b"<?php echo 'hi'; ?>", "cover.png")
    assert text.status_code == 422 and "not a JPEG, PNG or WebP" in text.get_data(as_text=True)
    no_alt = _upload(client, product, _image("PNG", size=(10, 10)), "cover.png", alt="  ")
    assert no_alt.status_code == 422 and "Describe the image" in no_alt.get_data(as_text=True)
    no_file = post_form(client, f"/backoffice/products/{product.id}/images", {"alt_text": "A cover"},
                        page=f"/backoffice/products/{product.id}")
    assert no_file.status_code == 422 and "Choose an image file" in no_file.get_data(as_text=True)
    assert _images(product) == []


def test_remove_an_image_and_make_another_the_main_one(app, client, product):
    _upload(client, product, _image("PNG", size=(40, 40)), "a.png", alt="First")
    _upload(client, product, _image("PNG", size=(40, 40)), "b.png", alt="Second")
    first, second = sorted(_images(product), key=lambda i: i.position)
    first_id, second_id, path = first.id, second.id, Path(app.config["MEDIA_ROOT"]) / first.filename
    page = f"/backoffice/products/{product.id}"
    assert post_form(client, f"{page}/images/{second_id}/main", page=page).status_code == 302
    db.session.expire_all()
    assert [i.alt_text for i in sorted(_images(product), key=lambda i: i.position)] == ["Second", "First"]
    assert path.exists()
    assert post_form(client, f"{page}/images/{first_id}/delete", page=page).status_code == 302
    assert [i.alt_text for i in _images(product)] == ["Second"] and not path.exists()
    assert post_form(client, f"{page}/images/{first_id}/delete", page=page).status_code == 404
