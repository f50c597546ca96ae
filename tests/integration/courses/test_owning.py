"""A course opens in "My courses" however it was bought: online alone or in a combo, by phone, or granted by staff;
a refund or a cancellation takes it away again, and certificates already earned stay."""

import pytest

from shop.catalogue import admin as catalogue_admin
from shop.core.audit import entries_for
from shop.courses import access, certificates
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.orders.models import Order
from tests.factories import (
    DEFAULT_PASSWORD,
    ApprovalFactory,
    ComboFactory,
    UserFactory,
    course_with_lessons,
)
from tests.support.checkout_helpers import seed_shipping
from tests.support.desk_helpers import web_order
from tests.support.forms import csrf_token, log_in, post_form
from tests.support.phone_helpers import PhoneDesk, staff_client


def _my_courses(app, email):
    client = app.test_client()
    log_in(client, email, DEFAULT_PASSWORD)
    return client, client.get("/my/courses").get_data(as_text=True)


def test_courses_bought_online_alone_and_in_a_combo_open_for_the_buyers_account(app, payments_on):
    alone, _ = course_with_lessons(lessons=2, title="Myofascial Release", slug="mfr")
    inside, _ = course_with_lessons(lessons=1, title="Assisted Stretching", slug="stretch")
    combo = ComboFactory(title="Stretch combo", slug="stretch-combo", parts=[(inside, 1)])
    UserFactory(email="buyer@example.com")  # bought as a guest with a verified account's address
    web_order(app, payments_on, extra_products=(alone, combo), email="buyer@example.com")
    client, page = _my_courses(app, "buyer@example.com")
    assert "Myofascial Release" in page and "Assisted Stretching" in page and "Stretch combo" not in page
    assert "0 of 2 lessons" in page
    assert client.get("/my/courses/mfr").status_code == 200
    assert client.get("/my/courses/stretch").status_code == 200


def test_a_course_ordered_by_phone_and_paid_by_check_opens_for_the_caller(app):
    seed_shipping()
    course, _ = course_with_lessons(lessons=1, title="Trigger Point Course", sku="CE-TPT", slug="tp-course",
                                    price_cents=11900)
    UserFactory(email="pat@example.com", full_name="Pat Caller")
    staff, _ = staff_client(app)
    desk = PhoneDesk(staff)
    assert desk.use_first_caller("pat@example.com").status_code == 303
    assert desk.add("tp-course").status_code == 303
    assert desk.place("check").status_code == 303
    order = db.session.scalar(db.select(Order))
    _, before = _my_courses(app, "pat@example.com")
    assert "Trigger Point Course" not in before  # not paid yet
    page = f"/backoffice/phone/orders/{order.number}"
    assert post_form(staff, f"{page}/check", {"amount": "119.00", "reference": "1042"}, page=page).status_code == 303
    client, after = _my_courses(app, "pat@example.com")
    assert "Trigger Point Course" in after
    assert client.get("/my/courses/tp-course").status_code == 200


def test_staff_grant_and_revoke_a_course_and_each_is_audited(app):
    course, _ = course_with_lessons(lessons=1, title="Sports Massage", slug="sports")
    customer = UserFactory(email="pat@example.com")
    staff = UserFactory(role="staff")
    access.grant(customer, course, actor=staff, note="Paid by check")
    with pytest.raises(access.AccessRefused):
        access.grant(customer, course, actor=staff)
    client, page = _my_courses(app, "pat@example.com")
    assert "Sports Massage" in page
    access.revoke(customer, course, actor=staff, reason="Check bounced")
    assert client.get("/my/courses/sports").status_code == 404
    with pytest.raises(access.AccessRefused):
        access.revoke(customer, course, actor=staff)
    assert [e.action for e in entries_for("user", customer.id)][:2] == ["course revoked", "course granted"]


def test_refunding_a_course_line_takes_the_course_away_and_keeps_the_certificate(app, payments_on):
    course, _ = course_with_lessons(lessons=1, title="Myofascial Release", slug="mfr")
    other, _ = course_with_lessons(lessons=1, title="Assisted Stretching", slug="stretch")
    buyer = UserFactory(email="buyer@example.com")
    order, _book = web_order(app, payments_on, extra_products=(course, other), email="buyer@example.com")
    approval = ApprovalFactory(product_id=course.id)
    [certificate] = certificates.issue_for_pass(buyer, course, None, today=approval.starts_on)
    db.session.commit()
    admin, _ = staff_client(app, "boss@example.com")  # staff: the refund is within the staff limit
    line = next(line for line in order.lines if line.product_id == course.id)
    page = f"/backoffice/orders/{order.number}/refund"
    form = admin.get(page).get_data(as_text=True)
    response = admin.post(page, data={
        "csrf_token": csrf_token(form), "refund_key": "refund-1", "mode": "lines", f"refund-qty-{line.id}": "1",
        "reason": "Changed their mind"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    owned = set(db.session.scalars(db.select(CourseAccess.product_id)))
    assert owned == {other.id}  # the refunded course only
    client, mine = _my_courses(app, "buyer@example.com")
    assert client.get("/my/courses/mfr").status_code == 404
    assert certificate.number in client.get("/account/transcript").get_data(as_text=True)


def test_a_course_anyone_holds_a_certificate_for_is_never_deleted(app):
    course, _ = course_with_lessons(lessons=1)
    holder = UserFactory()
    approval = ApprovalFactory(product_id=course.id)
    assert catalogue_admin.was_sold(course.id) is False
    certificates.issue_for_pass(holder, course, None, today=approval.starts_on)
    db.session.commit()
    assert catalogue_admin.was_sold(course.id) is True  # access gone or never given, the record stays


def test_a_course_staff_granted_before_the_check_cleared_goes_with_a_refund_of_that_order(app):
    seed_shipping()
    course, _ = course_with_lessons(lessons=1, title="Trigger Point Course", sku="CE-TPT", slug="tp-course",
                                    price_cents=11900)
    caller = UserFactory(email="pat@example.com", full_name="Pat Caller")
    staff, staff_user = staff_client(app)
    desk = PhoneDesk(staff)
    desk.use_first_caller("pat@example.com")
    desk.add("tp-course")
    assert desk.place("check").status_code == 303
    order = db.session.scalar(db.select(Order))
    access.grant(caller, course, actor=staff_user, note=f"Check for {order.number} is in the post")
    page = f"/backoffice/phone/orders/{order.number}"
    assert post_form(staff, f"{page}/check", {"amount": "119.00", "reference": "1042"}, page=page).status_code == 303
    assert db.session.scalar(db.select(CourseAccess.order_id)) == order.id  # the paid order carries the grant
    refund = f"/backoffice/orders/{order.number}/refund"
    line = db.session.get(Order, order.id).lines[0]
    admin = app.test_client()  # $119 is over the staff refund limit
    log_in(admin, UserFactory(role="admin").email, DEFAULT_PASSWORD)
    response = admin.post(refund, data={"csrf_token": csrf_token(admin.get(refund).get_data(as_text=True)),
                                        "refund_key": "r-1", "mode": "lines", f"refund-qty-{line.id}": "1",
                                        "reason": "Check returned by the bank"})
    assert response.status_code in (302, 303)
    assert db.session.scalar(db.select(db.func.count(CourseAccess.id))) == 0


def test_an_unverified_account_is_not_told_which_courses_its_address_bought(app):
    course, _ = course_with_lessons(lessons=1, title="Myofascial Release", slug="mfr")
    db.session.add(CourseAccess(email="buyer@example.com", product_id=course.id))
    db.session.commit()
    UserFactory(email="buyer@example.com", email_verified_at=None)
    client = app.test_client()
    log_in(client, "buyer@example.com", DEFAULT_PASSWORD)
    page = client.get("/products/mfr").get_data(as_text=True)
    assert "You own this course" not in page
