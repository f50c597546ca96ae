"""A pass while no approval is in force: the dashboard says so, and staff issue the certificate once an
approval covers the day of the pass (never under one that does not)."""

from datetime import timedelta

from shop.core.timeutil import local_today, utcnow
from shop.courses.models import Certificate, ExamAttempt
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, ApprovalFactory, UserFactory, course_with_lessons, grant_course
from tests.support.forms import csrf_token, log_in


def _staff(app):
    client = app.test_client()
    log_in(client, UserFactory(role="staff").email, DEFAULT_PASSWORD)
    return client


def test_staff_see_the_gap_and_issue_the_certificate_once_an_approval_covers_the_pass(app):
    course, _ = course_with_lessons(lessons=1, title="Sports Massage Essentials", slug="sports")
    lapsed = ApprovalFactory(product_id=course.id, starts_on=local_today("UTC") - timedelta(days=400),
                             expires_on=local_today("UTC") - timedelta(days=30))
    customer = UserFactory(full_name="Robin Reyes")
    grant_course(customer, course)
    db.session.add(ExamAttempt(user_id=customer.id, product_id=course.id, number=1, layout=[], total=8, correct=8,
                               score_percent=100, passed=True, submitted_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    staff = _staff(app)
    dashboard = staff.get("/backoffice/").get_data(as_text=True)
    assert "Courses on sale with no CE approval in force" in dashboard and "Sports Massage Essentials" in dashboard
    assert "Passed, waiting for a certificate" in dashboard and "Robin Reyes" in dashboard

    page = f"/backoffice/courses/learners/{customer.id}"
    learner = staff.get(page).get_data(as_text=True)
    assert "Issue the certificate" in learner
    url = f"{page}/courses/{course.id}/issue-certificate"
    refused = staff.post(url, data={"csrf_token": csrf_token(learner)})
    assert refused.status_code == 409 and "correct the approval" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0

    lapsed.expires_on = local_today("UTC") + timedelta(days=300)  # the board renewed it without a gap
    db.session.commit()
    issued = staff.post(url, data={"csrf_token": csrf_token(learner)})
    assert issued.status_code in (302, 303)
    [certificate] = db.session.scalars(db.select(Certificate)).all()
    passed_on = local_today(app.config["SHOP_TIMEZONE"], utcnow() - timedelta(days=3))
    assert (certificate.user_id, certificate.completed_on) == (customer.id, passed_on)
    again = staff.get("/backoffice/").get_data(as_text=True)
    assert "Passed, waiting for a certificate" not in again
    assert "Courses on sale with no CE approval in force" not in again
