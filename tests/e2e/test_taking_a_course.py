"""A therapist buys a demo course with the test card, takes its lessons, passes the exam and downloads the
certificate, in Chromium; axe finds no WCAG 2.2 A/AA violation on the course, lesson, exam and certificate pages."""

import io
import re
import uuid

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from shop.catalogue.models import Product
from shop.courses.models import Certificate, ExamOption, ExamQuestion
from shop.extensions import db
from tests.support.accessibility import describe, wcag_violations
from tests.support.browser import COURSE_SLUG, COURSE_TITLE, fill_card

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password 42"


def _right_answers(app):
    """{question id: right option id} of the demo course's exam, as only the server knows them."""
    with app.app_context():
        course = db.session.scalar(select(Product).where(Product.slug == COURSE_SLUG))
        rows = db.session.execute(select(ExamOption.question_id, ExamOption.id).join(ExamQuestion)
                                  .where(ExamOption.is_correct)).all()
        db.session.remove()
        assert course is not None
        return dict(rows)


def _no_violations(page, what):
    violations = wcag_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


def test_a_customer_buys_takes_and_passes_a_course_and_downloads_the_certificate(
        live_app, live_shop, page, artifacts_dir):
    live_server = live_shop
    email = f"therapist-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(f"{live_server}/products/{COURSE_SLUG}")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart")
    page.get_by_role("link", name="Checkout").click()
    page.wait_for_selector(".stripe-standin")
    page.get_by_label("Email").fill(email)  # an online course ships nothing: no address is asked
    page.get_by_label("Full name").fill("Jordan Rivera")
    page.get_by_label("Password").fill(PASSWORD)
    fill_card(page, "4242 4242 4242 4242")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url(re.compile(r"/orders/[^/]+/thanks$"))

    page.goto(f"{live_server}/account/login")
    if page.get_by_label("Email").count():
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("#main button[type=submit]").click()
    page.get_by_role("link", name="My courses").first.click()
    page.wait_for_url("**/my/courses")
    assert COURSE_TITLE in page.content()
    page.get_by_role("link", name=re.compile(r"^Start")).first.click()
    page.wait_for_url(re.compile(r"/lessons/\d+$"))
    _no_violations(page, "lesson page")
    page.screenshot(path=str(artifacts_dir / "course-lesson.png"), full_page=True)

    for _ in range(40):  # every lesson, in order, by the button a customer presses
        button = page.get_by_role("button", name="Mark complete and continue")
        if not button.count():
            break
        button.click()
        page.wait_for_load_state()
    assert "/exam" in page.url, page.url

    page.goto(f"{live_server}/my/courses/{COURSE_SLUG}")
    _no_violations(page, "course page")
    page.goto(f"{live_server}/my/courses/{COURSE_SLUG}/exam")
    page.get_by_role("button", name=re.compile(r"^Start attempt 1")).click()
    page.wait_for_url(re.compile(r"/exam/\d+$"))
    _no_violations(page, "exam page")
    assert "is_correct" not in page.content()
    right = _right_answers(live_app)
    for radio in page.locator("fieldset.exam-question").all():
        name = radio.locator("input").first.get_attribute("name")
        radio.locator(f"input[value='{right[int(name[1:])]}']").check()
    page.screenshot(path=str(artifacts_dir / "course-exam.png"), full_page=True)
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(re.compile(r"/result$"))
    assert page.get_by_role("heading", level=1).inner_text() == "You passed"
    _no_violations(page, "exam result and certificate page")

    link = page.get_by_role("link", name=re.compile(r"^Download certificate"))
    href = link.first.get_attribute("href")
    pdf = page.request.get(live_server + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    with live_app.app_context():
        certificate = db.session.scalar(select(Certificate).join(Certificate.user).where(
            Certificate.user.has(email=email)))
        number, title, provider = certificate.number, certificate.approved_title, certificate.provider_number
        db.session.remove()
    squashed = " ".join(text.split())
    for expected in ("Jordan Rivera", number, provider, "CE hours"):
        assert expected in squashed, (expected, squashed[:500])
    assert " ".join(title.split()) in squashed
    assert "CEU" not in squashed

    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Verify a certificate").click()
    page.get_by_label(re.compile("Certificate number", re.I)).fill(number)
    page.get_by_role("button", name=re.compile("Verify", re.I)).click()
    page.wait_for_load_state()
    assert "Jordan Rivera" in page.content() and "Valid" in page.content()
    _no_violations(page, "certificate verification page")
    page.screenshot(path=str(artifacts_dir / "certificate-verified.png"), full_page=True)
