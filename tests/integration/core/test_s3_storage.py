"""The shop's files in an S3-compatible object store (moto's server over HTTP, not a mock): uploads, course
files and certificates land in the bucket, public images and private files are handed out by signed URLs that
live a minute, and only after the access check."""

import io
import time
from datetime import date
from pathlib import Path

import pytest
import requests
from PIL import Image

from shop.catalogue.models import ProductImage
from shop.catalogue.seeding import load_demo
from shop.core import storage
from shop.courses import certificates
from shop.courses.models import CourseFile
from shop.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    ApprovalFactory,
    ProductFactory,
    UserFactory,
    course_with_lessons,
    grant_course,
)
from tests.support.forms import log_in, post_form
from tests.support.s3_server import keys_in

VIDEO = bytes(range(256)) * 40


def _signed(response):
    """The signed URL a redirect hands out, checked to be uncacheable and to point at the object store."""
    assert response.status_code == 302, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    location = response.headers["Location"]
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=" in location
    return location


def test_files_round_trip_through_the_bucket_under_their_own_prefixes(app, s3_storage):
    client, bucket = s3_storage
    public, private = storage.public(), storage.private()
    public.save("products/a.svg", b"<svg/>")
    private.save("courses/1/b.pdf", b"%PDF-1.4")
    assert keys_in(client, bucket) == ["shop/private/courses/1/b.pdf", "shop/public/products/a.svg"]
    assert private.read("courses/1/b.pdf") == b"%PDF-1.4" and private.size("courses/1/b.pdf") == 8
    assert private.exists("courses/1/b.pdf") and not public.exists("courses/1/b.pdf")  # never mixed
    assert not private.exists("../public/products/a.svg")  # a key cannot climb out of its store
    with pytest.raises(FileNotFoundError):
        private.read("courses/1/missing.pdf")
    private.delete("courses/1/b.pdf")
    assert keys_in(client, bucket) == ["shop/public/products/a.svg"]
    assert not Path(app.config["PRIVATE_MEDIA_ROOT"], "courses/1/b.pdf").exists()  # nothing went to the disk


def test_an_uploaded_product_image_is_stored_in_the_bucket_and_served_by_a_signed_url(app, client, s3_storage):
    s3, bucket = s3_storage
    log_in(client, UserFactory(role="marketing").email, DEFAULT_PASSWORD)
    product = ProductFactory(slug="neck-and-shoulders")
    picture = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(picture, "PNG")
    uploaded = post_form(client, f"/backoffice/products/{product.id}/images",
                         {"image": (io.BytesIO(picture.getvalue()), "cover.png"), "alt_text": "Cover"},
                         page=f"/backoffice/products/{product.id}")
    assert uploaded.status_code == 302
    [image] = db.session.scalars(db.select(ProductImage)).all()
    assert f"shop/public/{image.filename}" in keys_in(s3, bucket)
    served = requests.get(_signed(client.get(f"/media/{image.filename}")), timeout=10)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (800, 600)
    assert client.get("/media/products/nothing-here.png").status_code == 404


def test_the_demo_covers_are_seeded_into_the_bucket(app, client, s3_storage):
    s3, bucket = s3_storage
    load_demo(storage.public())
    covers = [key for key in keys_in(s3, bucket) if key.startswith("shop/public/products/")]
    assert len(covers) >= 5 and all(key.endswith(".svg") for key in covers)
    served = requests.get(_signed(client.get(f"/media/{covers[0].removeprefix('shop/public/')}")), timeout=10)
    assert served.status_code == 200 and served.content.startswith(b"<svg")


def test_a_signed_url_lives_as_long_as_signed_url_seconds_and_each_visit_gets_a_fresh_one(app, client, s3_storage):
    """moto does not enforce the expiry, so the lifetime is read from the URL (S3 refuses the URL after it)."""
    app.config["SIGNED_URL_SECONDS"] = 45
    storage.public().save("products/brief.svg", b"<svg/>")
    first = _signed(client.get("/media/products/brief.svg"))
    assert "X-Amz-Expires=45" in first and requests.get(first, timeout=10).status_code == 200
    time.sleep(1.1)
    assert _signed(client.get("/media/products/brief.svg")) != first  # signed again, not a cached link


def test_a_course_video_is_handed_only_to_its_owner_and_seeks_at_the_object_store(app, s3_storage):
    product, lessons = course_with_lessons(lessons=1, slug="tp-course")
    key = storage.new_key(f"courses/{product.id}", "mp4")
    storage.private().save(key, VIDEO)
    video = CourseFile(product_id=product.id, lesson_id=lessons[0].id, purpose="video", title="Demonstration",
                       storage_key=key, content_type="video/mp4", size_bytes=len(VIDEO))
    db.session.add(video)
    db.session.commit()
    owner, stranger = UserFactory(email="owner@example.com"), UserFactory(email="stranger@example.com")
    grant_course(owner, product)
    mine, theirs = app.test_client(), app.test_client()
    log_in(mine, owner.email, DEFAULT_PASSWORD)
    log_in(theirs, stranger.email, DEFAULT_PASSWORD)
    url = f"/my/courses/files/{video.id}"
    refused = theirs.get(url)
    assert refused.status_code == 404 and "Location" not in refused.headers  # no URL without the check
    assert app.test_client().get(url).status_code == 404
    part = requests.get(_signed(mine.get(url)), headers={"Range": "bytes=1000-1099"}, timeout=10)
    assert part.status_code == 206 and part.content == VIDEO[1000:1100]
    assert part.headers["Content-Type"] == "video/mp4"


def test_a_certificate_pdf_is_stored_in_the_bucket_and_downloaded_by_its_holder_only(app, client, s3_storage):
    s3, bucket = s3_storage
    course = ProductFactory()
    ApprovalFactory(product_id=course.id)
    holder = UserFactory(licence_name="Robin Stored")
    [issued] = certificates.issue_for_pass(holder, course, None, today=date.today())
    db.session.commit()
    log_in(client, holder.email, DEFAULT_PASSWORD)
    download = client.get(f"/account/certificates/{issued.number}.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert f"shop/private/{db.session.get(type(issued), issued.id).pdf_key}" in keys_in(s3, bucket)
    other = app.test_client()
    log_in(other, UserFactory().email, DEFAULT_PASSWORD)
    assert other.get(f"/account/certificates/{issued.number}.pdf").status_code == 404
