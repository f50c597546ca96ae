"""The customer page for staff: found by name, e-mail, phone or order number; a customer with web and phone
orders, calls and notes shows all of it with what they spent; refused to customers and marketing; two records
of one person merged, everything moved and audited, shown on both."""

from sqlalchemy import select

from shop.accounts.models import CustomerMerge, CustomerNote, User
from shop.core.models import AuditEntry
from shop.courses.models import CourseAccess, LessonProgress
from shop.extensions import db
from shop.orders.models import Order
from shop.phone.models import CallLogEntry
from tests.factories import AddressFactory, UserFactory, course_with_lessons, grant_course
from tests.support.desk_helpers import logged_in, page, quick_order
from tests.support.forms import csrf_token

ROOM = "/backoffice/customers"


def a_customer_with_history():
    pat = UserFactory(email="pat@example.com", full_name="Pat Caller", phone="(207) 555-0142")
    AddressFactory(user=pat, name="Pat Caller", line1="12 Harbor Street", city="Portland", region="ME",
                   postal_code="04101", is_default=True)
    web = quick_order(email=pat.email, user_id=pat.id, channel="web")
    phone = quick_order(email=pat.email, user_id=pat.id, channel="phone", payment_method="check")
    db.session.add(CallLogEntry(customer_id=pat.id, caller_name="Pat", caller_email=pat.email, outcome="question",
                                notes="Asked about the seminar dates"))
    db.session.commit()
    return pat, web, phone


def post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(page(client, ROOM)), **data})


def test_the_page_shows_orders_of_both_channels_calls_notes_addresses_and_total_spent(app):
    pat, web, phone = a_customer_with_history()
    staff, _ = logged_in(app, "staff")
    url = f"{ROOM}/{pat.id}"
    assert post(staff, f"{url}/notes", {"body": "Prefers calls after 3 pm"}).status_code == 303
    html = page(staff, url)
    for text in (web.number, phone.number, "Web", "Phone", "Asked about the seminar dates", "Prefers calls after 3 pm",
                 "12 Harbor Street", f"${(web.total_cents + phone.total_cents) / 100:.2f}",
                 "New phone order for this customer", "user:" + str(pat.id)):
        assert text in html, text
    note = db.session.scalar(select(CustomerNote))
    assert note.author_id is not None and note.user_id == pat.id
    empty = post(staff, f"{url}/notes", {"body": "   "})
    assert empty.status_code == 422 and "Write the note first" in empty.get_data(as_text=True)


def test_search_finds_by_name_email_phone_and_order_number(app):
    pat, web, _ = a_customer_with_history()
    UserFactory(email="someone@example.com", full_name="Someone Else")
    staff, _ = logged_in(app, "staff")
    for query in ("caller", "pat@exa", "207-555-0142", web.number):
        html = page(staff, f"{ROOM}?q={query}")
        assert f"{ROOM}/{pat.id}" in html and "Someone Else" not in html, query
    guest = quick_order(email="guest@example.com", customer_name="Gale Guest")
    assert guest.number in page(staff, f"{ROOM}?q=gale")


def test_the_page_is_reached_from_the_order_desk_and_the_phone_desks_caller_search(app):
    pat, web, _ = a_customer_with_history()
    staff, _ = logged_in(app, "staff")
    assert f"{ROOM}/{pat.id}" in page(staff, f"/backoffice/orders/{web.number}")
    assert f"{ROOM}/{pat.id}" in page(staff, "/backoffice/phone/new?q=pat@example.com")
    assert f'href="{ROOM}"' in page(staff, "/backoffice/orders")  # the menu


def test_customers_and_marketing_are_refused_and_visitors_sent_to_log_in(app):
    pat, _, _ = a_customer_with_history()
    for role in ("customer", "marketing"):
        client, _ = logged_in(app, role)
        assert client.get(f"{ROOM}/{pat.id}").status_code == 403
        assert client.get(ROOM).status_code == 403
    assert "/account/login" in app.test_client().get(f"{ROOM}/{pat.id}").headers["Location"]


def test_new_phone_order_for_this_customer_starts_a_draft_with_the_caller(app):
    pat, _, _ = a_customer_with_history()
    staff, _ = logged_in(app, "staff")
    response = post(staff, "/backoffice/phone/draft/caller", {"key": f"user:{pat.id}"})
    assert response.status_code == 303 and "draft=phone-" in response.headers["Location"]
    assert "pat@example.com" in page(staff, response.headers["Location"])


def test_merge_moves_orders_courses_progress_calls_notes_and_addresses_and_is_audited_on_both(app):
    pat, web, phone = a_customer_with_history()
    other = UserFactory(email="pat.work@example.com", full_name="Pat Caller")
    old_order = quick_order(email=other.email, user_id=other.id)
    course, lessons = course_with_lessons(lessons=2)
    grant_course(other, course)
    db.session.add(LessonProgress(user_id=other.id, lesson_id=lessons[0].id))
    db.session.add(CallLogEntry(customer_id=other.id, caller_email=other.email, notes="Called from work"))
    db.session.add(CustomerNote(user_id=other.id, body="Works at the clinic"))
    AddressFactory(user=other, line1="1 Clinic Way")
    db.session.commit()
    staff, _ = logged_in(app, "staff")
    url = f"{ROOM}/{other.id}/merge"
    confirm = post(staff, url, {"target": "PAT@example.com"})
    assert confirm.status_code == 200 and "Merge them" in confirm.get_data(as_text=True)
    assert db.session.get(User, other.id).merged_into_id is None  # nothing moves before the confirm
    done = post(staff, url, {"target": "pat@example.com", "confirmed": "yes"})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{ROOM}/{pat.id}")

    db.session.expire_all()
    assert db.session.get(Order, old_order.id).user_id == pat.id
    assert db.session.scalar(select(CourseAccess.user_id).where(CourseAccess.product_id == course.id)) == pat.id
    assert db.session.scalar(select(LessonProgress.user_id)) == pat.id
    assert {c.customer_id for c in db.session.scalars(select(CallLogEntry))} == {pat.id}
    assert {n.user_id for n in db.session.scalars(select(CustomerNote))} == {pat.id}
    assert "1 Clinic Way" in [a.line1 for a in db.session.get(User, pat.id).addresses]
    merged = db.session.get(User, other.id)
    assert merged.merged_into_id == pat.id and not merged.is_active_account
    merge = db.session.scalar(select(CustomerMerge))
    assert "1 orders" in merge.summary and "1 courses" in merge.summary
    audited = {e.entity_id for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "customer_merged"))}
    assert audited == {str(pat.id), str(other.id)}
    assert "pat.work@example.com merged into pat@example.com" in page(staff, f"{ROOM}/{pat.id}")
    assert "Merged into" in page(staff, f"{ROOM}/{other.id}")


def test_merge_refusals_say_why_and_change_nothing(app):
    pat, _, _ = a_customer_with_history()
    staff_user = UserFactory(role="staff", email="desk@example.com")
    staff, _ = logged_in(app, "staff")
    url = f"{ROOM}/{pat.id}/merge"
    for target, status, message in (("pat@example.com", 422, "into itself"), ("nobody@example.com", 404, "no customer"),
                                    (staff_user.email, 409, "Only customer records")):
        response = post(staff, url, {"target": target, "confirmed": "yes"})
        assert response.status_code == status and message in response.get_data(as_text=True), target
    assert db.session.scalar(select(CustomerMerge)) is None
    assert staff.get(f"{ROOM}/{staff_user.id}").status_code == 404  # staff accounts are not customer pages
