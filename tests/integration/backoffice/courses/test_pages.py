"""The courses room's pages: every course at a glance, evaluations and their CSV, the CE Broker export,
the certificate signature, and who may open which page."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from PIL import Image

from shop.accounts.models import Licence
from shop.courses import certificates
from shop.courses.models import CourseEvaluation
from shop.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    ApprovalFactory,
    UserFactory,
    course_with_lessons,
    exam_for,
    grant_course,
)
from tests.support.forms import log_in, post_form, soup


def _page(response):
    return response.get_data(as_text=True)


def _evaluate(course, objectives, quality, usefulness, recommend, comment=""):
    db.session.add(CourseEvaluation(user_id=UserFactory().id, product_id=course.id, objectives_met=objectives,
                                    content_quality=quality, usefulness=usefulness, would_recommend=recommend,
                                    comment=comment))
    db.session.commit()


def test_the_index_lists_each_course_with_its_counts(client, admin):
    course, _lessons = course_with_lessons(lessons=3, title="Neck and Shoulders")
    exam_for(course, questions=4)
    ApprovalFactory(product_id=course.id, expires_on=date.today() + timedelta(days=200))
    grant_course(UserFactory(), course)
    _evaluate(course, 5, 4, 3, True)
    page = soup(_page(client.get("/backoffice/courses/")))
    [row] = [tr.th for tr in page.select("tbody tr") if "Neck and Shoulders" in tr.th.get_text()]
    cells = [td.get_text(" ", strip=True) for td in row.find_parent("tr").find_all("td")]
    assert cells[0] == "3" and cells[1] == "4" and cells[3] == "1"
    assert (date.today() + timedelta(days=200)).isoformat() in cells[2]
    assert cells[4].startswith("4.0 / 5")
    links = {a["href"] for a in row.find_parent("tr").find_all("a")}
    assert {f"/backoffice/courses/{course.id}/content", f"/backoffice/courses/{course.id}/evaluations"} <= links


def test_evaluations_show_averages_recommendation_and_comments_and_download_as_csv(client, admin):
    course, _lessons = course_with_lessons(lessons=1)
    _evaluate(course, 5, 4, 5, True, "Clear and practical.")
    _evaluate(course, 3, 4, 4, False, "=HYPERLINK(\"http://x\")")
    page = soup(_page(client.get(f"/backoffice/courses/{course.id}/evaluations")))
    text = page.get_text(" ", strip=True)
    assert "2 evaluations" in text and "4.00" in text and "50%" in text and "Clear and practical." in text
    download = client.get(f"/backoffice/courses/{course.id}/evaluations.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(_page(download))))
    assert rows[0] == ["date", "objectives_met", "content_quality", "usefulness", "would_recommend", "comment"]
    assert [r[1:5] for r in rows[1:]] == [["5", "4", "5", "yes"], ["3", "4", "4", "no"]]
    assert rows[2][5].startswith("'=")  # never a formula in a spreadsheet


def test_the_ce_broker_page_previews_completions_and_its_post_downloads_the_csv(client, admin):
    course, _lessons = course_with_lessons(lessons=1)
    ApprovalFactory(product_id=course.id, state="FL", body="Florida Board of Massage Therapy",
                    cebroker_tracking_number="20-123456", ce_hours=Decimal("2.50"))
    learner = UserFactory(licence_name="Sam Lee")
    db.session.add(Licence(user_id=learner.id, state="FL", number="MA12345"))
    db.session.commit()
    certificates.issue_for_pass(learner, course, None, today=date.today())
    db.session.commit()
    start, end = (date.today() - timedelta(days=7)).isoformat(), date.today().isoformat()
    page = client.get(f"/backoffice/courses/ce-broker?start={start}&end={end}")
    assert page.status_code == 200 and "MA12345" in _page(page) and "Not yet" in _page(page)
    assert client.get("/backoffice/courses/ce-broker").status_code == 200
    assert client.get("/backoffice/courses/ce-broker?start=soon&end=").status_code == 422
    download = post_form(client, "/backoffice/courses/ce-broker", {"start": start, "end": end},
                         page="/backoffice/courses/ce-broker")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "MA12345" in _page(download) and "20-123456" in _page(download)
    again = _page(client.get(f"/backoffice/courses/ce-broker?start={start}&end={end}"))
    assert "Already reported" in again
    backwards = post_form(client, "/backoffice/courses/ce-broker", {"start": end, "end": start},
                          page="/backoffice/courses/ce-broker")
    assert backwards.status_code == 422


def _png():
    out = io.BytesIO()
    Image.new("RGBA", (300, 100), (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


def test_an_admin_sets_the_certificate_signature_and_staff_see_the_image(client, admin):
    saved = post_form(client, "/backoffice/courses/signature", {
        "image": (io.BytesIO(_png()), "signature.png"), "signatory_name": "Mary Sanderson",
        "signatory_title": "Director of education"})
    assert saved.status_code == 302
    page = _page(client.get("/backoffice/courses/signature"))
    assert "Mary Sanderson" in page and "Director of education" in page
    image = client.get("/backoffice/courses/signature.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    bad = post_form(client, "/backoffice/courses/signature", {
        "image": (io.BytesIO(b"not an image"), "signature.png"), "signatory_name": "Mary Sanderson"})
    assert bad.status_code == 422


@pytest.mark.parametrize("role", ["marketing", "customer"])
def test_marketing_and_customers_cannot_open_the_courses_room(client, role):
    course, [lesson] = course_with_lessons(lessons=1)
    learner = UserFactory()
    log_in(client, UserFactory(role=role).email, DEFAULT_PASSWORD)
    for url in ("/backoffice/courses/", f"/backoffice/courses/{course.id}/content",
                f"/backoffice/courses/{course.id}/lessons/{lesson.id}", f"/backoffice/courses/{course.id}/exam",
                f"/backoffice/courses/{course.id}/approvals", f"/backoffice/courses/{course.id}/evaluations",
                "/backoffice/courses/learners", f"/backoffice/courses/learners/{learner.id}",
                "/backoffice/courses/ce-broker", "/backoffice/courses/signature"):
        assert client.get(url).status_code == 403, url


def test_the_back_office_navigation_links_to_courses_for_staff(client):
    log_in(client, UserFactory(role="staff").email, DEFAULT_PASSWORD)
    nav = soup(_page(client.get("/backoffice/"))).find("nav", class_="office-nav")
    assert nav.find("a", href="/backoffice/courses/").get_text() == "Courses"
