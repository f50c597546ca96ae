"""A course with no lessons cannot be published: not from the catalogue's product form, nor its restore button.

The catalogue cannot import courses, so it asks through shop.catalogue.signals.course_publishing and the
courses domain (shop.courses.authoring) answers.
"""

from shop.catalogue.models import Product
from shop.catalogue.signals import course_publishing, publishing_refusal
from shop.courses import authoring
from shop.extensions import db
from tests.factories import CourseModuleFactory, LessonFactory, ProductFactory
from tests.support.forms import post_form, soup

NO_LESSONS = "Add at least one lesson before publishing this course."
COURSE = {"title": "Myofascial Release", "sku": "MFR-1", "price": "149.00", "ce_hours": "6", "lesson_count": "6",
          "course_format": "online"}


def _page(response):
    return response.get_data(as_text=True)


def test_the_courses_domain_answers_the_catalogue_s_publishing_question(app):
    receivers = {f"{r.__module__}.{r.__name__}" for r in course_publishing.receivers_for(object())}
    assert receivers == {"shop.courses.authoring._refuse_without_lessons"}
    empty = ProductFactory(is_active=False)
    assert publishing_refusal(empty.id) == NO_LESSONS and publishing_refusal(None) == NO_LESSONS
    assert authoring.can_publish(empty) is False
    LessonFactory(module_id=CourseModuleFactory(product_id=empty.id).id)
    assert publishing_refusal(empty.id) is None and authoring.can_publish(empty) is True


def test_a_new_course_cannot_go_on_sale_before_it_has_lessons(client, admin):
    refused = post_form(client, "/backoffice/products/new/course", {**COURSE, "is_active": "y"})
    assert refused.status_code == 422
    error = soup(_page(refused)).find(id="is_active-error")
    assert error is not None and error.get_text() == NO_LESSONS
    assert db.session.scalar(db.select(Product).filter_by(sku="MFR-1")) is None
    assert post_form(client, "/backoffice/products/new/course", COURSE).status_code == 302
    assert db.session.scalar(db.select(Product).filter_by(sku="MFR-1")).is_active is False


def test_a_course_goes_on_sale_once_it_has_a_lesson(client, admin):
    course = ProductFactory(is_active=False, sku="MFR-2", slug="mfr-2")
    form = {**COURSE, "sku": "MFR-2", "slug": "mfr-2", "is_active": "y"}
    assert post_form(client, f"/backoffice/products/{course.id}", form).status_code == 422
    restore = post_form(client, f"/backoffice/products/{course.id}/restore", page=f"/backoffice/products/{course.id}")
    assert restore.status_code == 422 and NO_LESSONS in _page(restore)
    assert db.session.get(Product, course.id).is_active is False

    LessonFactory(module_id=CourseModuleFactory(product_id=course.id).id)
    assert post_form(client, f"/backoffice/products/{course.id}", form).status_code == 302
    assert db.session.get(Product, course.id).is_active is True
    edited = post_form(client, f"/backoffice/products/{course.id}", {**form, "title": "Renamed"})
    assert edited.status_code == 302  # a course already on sale is saved as usual


def test_the_content_page_says_a_course_without_lessons_cannot_be_sold(client, admin):
    course = ProductFactory(is_active=False)
    page = _page(client.get(f"/backoffice/courses/{course.id}/content"))
    assert "cannot be put on sale" in page
