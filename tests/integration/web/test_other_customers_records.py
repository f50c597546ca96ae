"""Another customer's records are 404 by every route that takes an id, number or token: orders, addresses,
certificates, lessons, files, exam attempts, a membership being confirmed, payment links.

The table below names every storefront route with an argument; a new one fails
test_every_route_with_an_argument_is_checked until it is added here (or declared public on purpose).
"""

from datetime import date
from decimal import Decimal

import pytest

from shop.courses.models import Certificate, CourseFile, ExamAttempt
from shop.extensions import db
from shop.membership.models import Membership
from tests.factories import (
    DEFAULT_PASSWORD,
    AddressFactory,
    ApprovalFactory,
    OrderFactory,
    UserFactory,
    course_with_lessons,
    exam_for,
    grant_course,
)
from tests.support.forms import csrf_token, log_in, text

# Routes whose argument names a public thing (a product, a page, a file anyone may fetch), or whose token
# is itself the key (a reset or confirmation link, a payment link: a wrong token is already a 404 or a
# refusal, proved by their own tests), or development only.
PUBLIC_ARGUMENTS = {
    "static", "catalogue.media", "catalogue.product", "pages.page", "certificates.public_page",
    "accounts.reset_password", "accounts.verify_email", "dev_mail.message", "certificates.remove_licence",
    "payment_links.page", "payment_links.pay", "payment_links.confirm",
    # public pages by their slug: a published article, an approved listing and its contact form
    "articles.article", "directory.listing", "directory.contact",
    # the unsubscribe link of marketing e-mails: the signed token is the key
    "my_account.unsubscribe",
}


@pytest.fixture
def records(app):
    """Alex's records, and Blake, who shares one course with Alex (so its slug opens) but nothing else."""
    alex, blake = UserFactory(full_name="Alex Owner"), UserFactory(full_name="Blake Other")
    shared, lessons = course_with_lessons(lessons=2, title="Shared course", slug="shared-course")
    private, private_lessons = course_with_lessons(lessons=1, title="Alex's course", slug="alex-course")
    exam_for(shared, requires_all_lessons=False)
    for user, course in ((alex, shared), (blake, shared), (alex, private)):
        grant_course(user, course)
    approval = ApprovalFactory(product_id=shared.id)
    attempt = ExamAttempt(user_id=alex.id, product_id=shared.id, number=1, layout=[], total=0)
    file = CourseFile(product_id=private.id, purpose="material", title="Chart", storage_key="alex/chart.pdf",
                      content_type="application/pdf")
    db.session.add_all([attempt, file])
    db.session.flush()
    certificate = Certificate(
        number="STR-ALEX-0001-AA", user_id=alex.id, product_id=shared.id, approval_id=approval.id,
        attempt_id=attempt.id, participant_name="Alex Owner", approved_title="Shared course", ce_hours=Decimal(3),
        course_type="Home study", body="NCBTMB", provider_name="STR", provider_number="1", provider_contact="x",
        completed_on=date.today())
    membership = Membership(user_id=alex.id, live_user_id=alex.id, idempotency_key="alex-join", price_cents=1995,
                            state="pending")
    order = OrderFactory(email=alex.email, user_id=alex.id)
    address = AddressFactory(user_id=alex.id)
    db.session.add_all([certificate, membership])
    db.session.commit()
    return {"blake": blake, "number": order.number, "address_id": address.id, "certificate": certificate.number,
            "shared": shared.slug, "private": private.slug, "attempt_id": attempt.id, "file_id": file.id,
            "lesson_id": private_lessons[0].id, "shared_lesson_id": lessons[0].id, "membership_id": membership.id}


def _requests(r):
    """(endpoint, method, path, form data) as Blake would try them with Alex's ids."""
    return [
        ("my_account.order", "GET", f"/account/orders/{r['number']}", None),
        ("my_account.receipt", "GET", f"/account/orders/{r['number']}/receipt", None),
        ("my_account.receipt_pdf", "GET", f"/account/orders/{r['number']}/receipt.pdf", None),
        ("checkout.thanks", "GET", f"/orders/{r['number']}/thanks", None),
        ("checkout.confirm", "POST", f"/checkout/orders/{r['number']}/confirm", {"payment_intent": "pi_x"}),
        ("accounts.edit_address", "GET", f"/account/addresses/{r['address_id']}/edit", None),
        ("accounts.update_address", "POST", f"/account/addresses/{r['address_id']}", {"line1": "1 Main St"}),
        ("accounts.delete_address", "POST", f"/account/addresses/{r['address_id']}/delete", {}),
        ("accounts.default_address", "POST", f"/account/addresses/{r['address_id']}/default", {}),
        ("certificates.download", "GET", f"/account/certificates/{r['certificate']}.pdf", None),
        ("learning.course", "GET", f"/my/courses/{r['private']}", None),
        ("learning.resume", "GET", f"/my/courses/{r['private']}/continue", None),
        ("learning.lesson", "GET", f"/my/courses/{r['private']}/lessons/{r['lesson_id']}", None),
        ("learning.complete", "POST", f"/my/courses/{r['private']}/lessons/{r['lesson_id']}/complete", {}),
        ("learning.file", "GET", f"/my/courses/files/{r['file_id']}", None),
        ("learning.exam", "GET", f"/my/courses/{r['private']}/exam", None),
        ("learning.evaluation", "GET", f"/my/courses/{r['private']}/evaluation", None),
        ("learning.attempt", "GET", f"/my/courses/{r['shared']}/exam/{r['attempt_id']}", None),
        ("learning.result", "GET", f"/my/courses/{r['shared']}/exam/{r['attempt_id']}/result", None),
        ("membership.confirm", "POST", "/membership/confirm", {"membership_id": r["membership_id"]}),
    ]


def test_every_route_with_an_argument_is_checked(app, records):
    checked = {endpoint for endpoint, *_ in _requests(records)}
    with_arguments = {rule.endpoint for rule in app.url_map.iter_rules()
                      if rule.arguments and not rule.rule.startswith(("/backoffice", "/marketing"))}
    assert sorted(with_arguments - checked - PUBLIC_ARGUMENTS) == []


def test_another_customers_records_are_404_to_a_signed_in_customer(app, records):
    client = app.test_client()
    log_in(client, records["blake"].email, DEFAULT_PASSWORD)
    token = csrf_token(text(client.get("/account")))
    answers = {}
    for endpoint, method, path, data in _requests(records):
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token, **(data or {})})
        answers[endpoint] = response.status_code
    assert {endpoint: status for endpoint, status in answers.items() if status != 404} == {}
    # Blake's own course still opens: the refusals above are about Alex's records, not a broken page
    assert client.get(f"/my/courses/{records['shared']}").status_code == 200
