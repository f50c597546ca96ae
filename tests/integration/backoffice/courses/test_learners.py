"""Staff find a learner, grant and revoke a course, add an exam attempt, reissue or revoke a certificate: audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shop.accounts.models import User
from shop.core.models import AuditEntry
from shop.courses import access, certificates
from shop.courses.models import Certificate, ExamAllowance
from shop.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    ApprovalFactory,
    OrderFactory,
    UserFactory,
    course_with_lessons,
    exam_for,
    grant_course,
)
from tests.support.forms import log_in, post_form, soup


@pytest.fixture
def staff(client):
    user = UserFactory(role="staff", email="desk@example.com")
    log_in(client, user.email, DEFAULT_PASSWORD)
    return user


@pytest.fixture
def pat(app):
    return UserFactory(email="pat@example.com", full_name="Pat Kneader", licence_name="Patricia Kneader")


def _page(response):
    return response.get_data(as_text=True)


def _actions(staff):
    return [e.action for e in db.session.scalars(select(AuditEntry).filter_by(actor_id=staff.id)
                                                 .order_by(AuditEntry.id))]


def test_a_learner_is_found_by_email_or_name(client, staff, pat):
    UserFactory(email="someone@example.com", full_name="Someone Else")
    for q in ("pat@exa", "kneader"):
        page = soup(_page(client.get(f"/backoffice/courses/learners?q={q}")))
        assert [a.get_text() for a in page.select("table a")] == ["pat@example.com"], q
    assert "No customer matches" in _page(client.get("/backoffice/courses/learners?q=nobody-at-all"))
    assert client.get("/backoffice/courses/learners?q=%00&page=-3").status_code == 200


def test_staff_grant_a_course_the_customer_can_then_open_and_revoke_it(client, staff, pat):
    course, _lessons = course_with_lessons(lessons=2, title="Neck and Shoulders")
    url = f"/backoffice/courses/learners/{pat.id}"
    granted = post_form(client, f"{url}/grant", {"product_id": str(course.id), "note": "paid by check"}, page=url,
                        follow_redirects=True)
    assert granted.status_code == 200 and "can now open “Neck and Shoulders”" in _page(granted)
    assert access.can_open(db.session.get(User, pat.id), course)
    page = _page(client.get(url))
    assert "granted by staff" in page and "paid by check" in page and "0 of 2 lessons" in page

    twice = post_form(client, f"{url}/grant", {"product_id": str(course.id)}, page=url)
    assert twice.status_code in (409, 422)
    nothing = post_form(client, f"{url}/grant", {"product_id": "0"}, page=url)
    assert nothing.status_code == 422 and "Choose the course" in _page(nothing)

    revoked = post_form(client, f"{url}/courses/{course.id}/revoke", {"reason": "cheque bounced"}, page=url,
                        follow_redirects=True)
    assert "can no longer open" in _page(revoked)
    assert not access.can_open(db.session.get(User, pat.id), course)
    again = post_form(client, f"{url}/courses/{course.id}/revoke", {"reason": ""}, page=url)
    assert again.status_code == 409
    assert _actions(staff) == ["course granted", "course revoked"]


def test_the_learner_page_shows_where_a_course_came_from_and_the_attempts(client, staff, pat):
    course, _lessons = course_with_lessons(lessons=1, title="Trigger Points")
    order = OrderFactory(email=pat.email, number="STR-10042")
    grant_course(pat, course, order_id=order.id)
    page = soup(_page(client.get(f"/backoffice/courses/learners/{pat.id}")))
    assert page.find("a", href="/backoffice/orders/STR-10042") is not None
    assert "0 of 1 lessons" in page.get_text()


def test_an_extra_exam_attempt_adds_one_each_time_and_is_audited(client, staff, pat):
    course, _lessons = course_with_lessons(lessons=1)
    exam_for(course, questions=2, max_attempts=3)
    grant_course(pat, course)
    url = f"/backoffice/courses/learners/{pat.id}"
    for expected in (1, 2):
        response = post_form(client, f"{url}/courses/{course.id}/extra-attempt", page=url, follow_redirects=True)
        assert f"({expected} extra in all)" in _page(response)
        row = db.session.scalar(select(ExamAllowance).filter_by(user_id=pat.id, product_id=course.id))
        assert row.extra_attempts == expected
    assert "0 of 5 used" in _page(client.get(url))
    assert _actions(staff) == ["exam attempt granted", "exam attempt granted"]


def test_a_certificate_is_reissued_with_its_number_or_revoked_with_a_reason(client, staff, pat):
    course, _lessons = course_with_lessons(lessons=1)
    ApprovalFactory(product_id=course.id, starts_on=date.today() - timedelta(days=10),
                    expires_on=date.today() + timedelta(days=300))
    grant_course(pat, course)
    [certificate] = certificates.issue_for_pass(pat, course, None, today=date.today())
    db.session.commit()
    number, cert_id = certificate.number, certificate.id
    url = f"/backoffice/courses/learners/{pat.id}"
    assert number in _page(client.get(url))
    reissued = post_form(client, f"{url}/certificates/{cert_id}/reissue", page=url, follow_redirects=True)
    assert f"Certificate {number} reissued (revision 2)" in _page(reissued)
    no_reason = post_form(client, f"{url}/certificates/{cert_id}/revoke", {"reason": ""}, page=url)
    assert no_reason.status_code == 422 and "reason" in _page(no_reason)
    revoked = post_form(client, f"{url}/certificates/{cert_id}/revoke", {"reason": "exam taken by another person"},
                        page=url, follow_redirects=True)
    assert f"Certificate {number} revoked" in _page(revoked)
    kept = db.session.get(Certificate, cert_id)
    assert (kept.number, kept.revision, kept.revoked_reason) == (number, 2, "exam taken by another person")
    assert _actions(staff) == ["certificate reissued", "certificate revoked"]


def test_a_certificate_of_someone_else_is_not_found(client, staff, pat):
    course, _lessons = course_with_lessons(lessons=1)
    ApprovalFactory(product_id=course.id)
    other = UserFactory()
    [certificate] = certificates.issue_for_pass(other, course, None, today=date.today())
    db.session.commit()
    url = f"/backoffice/courses/learners/{pat.id}"
    assert post_form(client, f"{url}/certificates/{certificate.id}/reissue", page=url).status_code == 404
    assert client.get(f"/backoffice/courses/learners/{pat.id + 999}").status_code == 404
