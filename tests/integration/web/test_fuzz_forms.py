"""Every form of the shop fuzzed with Hypothesis-generated posts (FUZZ_EXAMPLES on each database), each with a valid
CSRF token so the view itself meets the input: unicode, NUL bytes, very long text, numbers out of range,
negative quantities, fields repeated or left out, files and JSON values where text is expected. No answer is a
5xx, and a refused post (4xx) saves nothing: no table gains or loses a row, and the row an edit form edits stays
as it was.

The fields of each form are read from its page (tests.support.fuzzing.fields_of), so a field added to a
form is fuzzed too. Each test keeps one client and one CSRF token (fetched again only when a post ended
the session).
"""

import pytest

from shop.accounts import tokens, two_factor
from shop.accounts.models import User
from shop.catalogue.models import Product
from shop.content import directory
from shop.content.models import Article, Listing
from shop.core.timeutil import utcnow
from shop.courses.models import ExamAttempt
from shop.extensions import db
from shop.orders.models import Order
from shop.promotions.models import Promotion
from shop.shipping import services as shipping
from shop.shipping.models import ShippingMethod
from tests.factories import (
    ArticleFactory,
    BookFactory,
    MemberFactory,
    MembershipFactory,
    ProductFactory,
    PromotionFactory,
    UserFactory,
    course_with_lessons,
    exam_for,
    grant_course,
)
from tests.support.desk_helpers import quick_order, web_order
from tests.support.fuzzing import EXAMPLES, NAME, PASSWORD, WORDS, Fuzzer, fuzz, fuzz_form


def _reached(statuses):
    """The walk posted every example and the form refused some of them (so the view read the input)."""
    assert sum(statuses.values()) >= EXAMPLES
    assert any(400 <= status < 500 for status in statuses), statuses


def _as(app, role, **fields):
    user = UserFactory(role=role, **fields)
    return Fuzzer(app.test_client(), user), user


def _row(model, row_id):
    """The row's columns as they are in the database now (a refused edit must leave them so)."""
    def read():
        db.session.expire_all()
        row = db.session.get(model, row_id)
        return {column.key: getattr(row, column.key) for column in model.__table__.columns}
    return read


# ---- a visitor's forms: register, log in, reset -------------------------------------------------

@pytest.mark.parametrize("url", ["/account/register", "/account/login", "/account/forgot-password"])
def test_fuzzed_account_forms_never_fail_and_save_nothing_when_refused(app, client, url):
    UserFactory(email="customer@example.com")
    _reached(fuzz_form(Fuzzer(client), url))


def test_fuzzed_password_reset_never_fails(app, client):
    user = UserFactory(email="customer@example.com")
    url = f"/account/reset/{tokens.make_reset_token(user)}"
    _reached(fuzz(Fuzzer(client), url, {"password": PASSWORD}))


# ---- a customer's forms -------------------------------------------------------------------------

@pytest.mark.parametrize("url, page", [
    ("/account/password", None),
    ("/account/addresses", "/account/addresses/new"),
    ("/account/ce-profile", None),
    ("/account/ce-profile/licences", "/account/ce-profile"),
])
def test_fuzzed_customer_forms_never_fail(app, url, page):
    fuzzer, _ = _as(app, "customer")
    _reached(fuzz_form(fuzzer, url, page))


def test_fuzzed_cart_and_promo_code_forms_never_fail(app, client):
    book = BookFactory(stock=5)
    PromotionFactory(code="SPRING", requires_code=True)
    fuzzer = Fuzzer(client)
    _reached(fuzz_form(fuzzer, "/cart/add", f"/products/{book.slug}"))
    _reached(fuzz_form(fuzzer, "/cart/code", "/cart"))


def test_fuzzed_checkout_never_fails(app, client, payments_on):
    shipping.seed_defaults()
    db.session.commit()
    book = BookFactory(stock=5)
    fuzzer = Fuzzer(client)
    fuzzer.post("/cart/add", {"product_id": [str(book.id)], "quantity": ["1"]})
    _reached(fuzz_form(fuzzer, "/checkout/place", "/checkout"))


def test_fuzzed_exam_answers_never_fail(app):
    fuzzer, user = _as(app, "customer")
    course, lessons = course_with_lessons(lessons=1)
    exam = exam_for(course, questions=3, max_attempts=1000, requires_all_lessons=False)
    grant_course(user, course)
    start = fuzzer.client.post(f"/my/courses/{course.slug}/exam", data={"csrf_token": fuzzer.token})
    attempt_url = start.headers["Location"]
    answers = {f"q{question.id}": None for question in exam.questions}
    statuses = fuzz_form(fuzzer, attempt_url, overrides=answers)
    assert sum(statuses.values()) >= EXAMPLES


def test_fuzzed_membership_join_never_fails(app, client, payments_on):
    MembershipFactory()
    _reached(fuzz_form(Fuzzer(client), "/membership/join", "/membership"))


# ---- the back office ----------------------------------------------------------------------------

def test_fuzzed_phone_order_steps_never_fail(app):
    fuzzer, _ = _as(app, "staff")
    shipping.seed_defaults()
    db.session.commit()
    book = BookFactory(stock=50, title="Soft Tissue Release")
    UserFactory(email="caller@example.com", full_name="Pat Caller")
    steps = {"customer": None, "code": None, "details": None, "place": "details"}  # place: the details form's button
    for step, form in steps.items():  # each on a draft of its own: a step may end it
        added = fuzzer.post("/backoffice/phone/draft/items", {"item": [book.sku], "quantity": ["1"], "draft": [""]})
        _reached(fuzz_form(fuzzer, f"/backoffice/phone/draft/{step}", added.headers["Location"],
                           form_action=f"/backoffice/phone/draft/{form}" if form else None))


def test_fuzzed_phone_order_first_item_saves_nothing_when_refused(app):
    fuzzer, _ = _as(app, "staff")
    BookFactory(stock=50)
    _reached(fuzz_form(fuzzer, "/backoffice/phone/draft/items", "/backoffice/phone/new"))


@pytest.mark.parametrize("url, page", [
    ("/backoffice/phone/calls", None),
    ("/backoffice/categories", None),
    ("/backoffice/products/new/book", None),
    ("/backoffice/products/new/course", None),
])
def test_fuzzed_staff_forms_never_fail(app, url, page):
    fuzzer, _ = _as(app, "admin")
    _reached(fuzz_form(fuzzer, url, page))


def test_fuzzed_product_edit_and_stock_never_fail_nor_change_the_product_when_refused(app):
    fuzzer, _ = _as(app, "admin")
    book = BookFactory(stock=10)
    url = f"/backoffice/products/{book.id}"
    _reached(fuzz_form(fuzzer, url, snapshot=_row(Product, book.id)))
    _reached(fuzz_form(fuzzer, f"/backoffice/stock/{book.id}", snapshot=_row(Product, book.id)))


def test_fuzzed_promotion_forms_never_fail(app):
    fuzzer, _ = _as(app, "marketing")
    ProductFactory()
    _reached(fuzz_form(fuzzer, "/marketing/promotions/new"))
    promotion = PromotionFactory(requires_code=True)
    _reached(fuzz_form(fuzzer, f"/marketing/promotions/{promotion.id}/codes", f"/marketing/promotions/{promotion.id}"))


def test_fuzzed_user_role_and_settings_forms_never_fail(app):
    fuzzer, _ = _as(app, "admin")
    customer = UserFactory()
    _reached(fuzz_form(fuzzer, f"/backoffice/users/{customer.id}/role", f"/backoffice/users/{customer.id}",
                       overrides={"reauth_password": PASSWORD}))
    statuses = fuzz_form(fuzzer, "/backoffice/settings", overrides={"reauth_password": PASSWORD})
    assert sum(statuses.values()) >= EXAMPLES  # most posts ask for the password again (a redirect)


def test_fuzzed_course_content_and_exam_forms_never_fail(app):
    fuzzer, _ = _as(app, "admin")
    course, lessons = course_with_lessons(lessons=2)
    exam_for(course, questions=2)
    base = f"/backoffice/courses/{course.id}"
    _reached(fuzz_form(fuzzer, f"{base}/lessons/{lessons[0].id}"))
    _reached(fuzz_form(fuzzer, f"{base}/modules", f"{base}/content", overrides={"title": NAME}))
    _reached(fuzz_form(fuzzer, f"{base}/exam"))
    _reached(fuzz_form(fuzzer, f"{base}/exam/questions", f"{base}/exam", overrides={"prompt": WORDS}))
    _reached(fuzz_form(fuzzer, f"{base}/approvals"))


def test_fuzzed_phone_membership_forms_never_fail(app, payments_on):
    fuzzer, _ = _as(app, "staff")
    MembershipFactory()
    _reached(fuzz_form(fuzzer, "/backoffice/members/new/account", "/backoffice/members/new"))
    caller = UserFactory()
    _reached(fuzz_form(fuzzer, "/backoffice/members/new/start", f"/backoffice/members/new?user={caller.id}"))


def test_fuzzed_membership_card_form_never_fails(app, payments_on):
    fuzzer, user = _as(app, "customer")
    MembershipFactory()
    MemberFactory(user=user)
    _reached(fuzz_form(fuzzer, "/account/membership/card", "/account/membership"))



def test_phone_membership_start_refuses_a_nul_byte(app, payments_on):
    fuzzer, _ = _as(app, "staff")
    MembershipFactory()
    caller = UserFactory()
    answer = fuzzer.post("/backoffice/members/new/start",
                         {"user_id": [str(caller.id)], "payment_method_id": ["pm\x00"]})
    assert answer.status_code == 400 and "card details" in answer.get_data(as_text=True)


# ---- the order desk, shipping methods, promotion edits, learners, evaluations, two-factor -------

def test_fuzzed_order_desk_forms_never_fail_nor_change_the_order_when_refused(app, payments_on):
    fuzzer, _ = _as(app, "admin")
    order, _ = web_order(app, payments_on, copies=2)
    base, unchanged = f"/backoffice/orders/{order.number}", _row(Order, order.id)
    _reached(fuzz_form(fuzzer, f"{base}/notes", base, snapshot=unchanged))
    _reached(fuzz_form(fuzzer, f"{base}/edit", snapshot=unchanged))
    _reached(fuzz_form(fuzzer, f"{base}/ship", snapshot=unchanged))
    for action in ("refund", "cancel"):  # each on an order of its own: a refund or a cancellation may end it
        order, _ = web_order(app, payments_on, copies=1, email=f"{action}@example.com")
        _reached(fuzz_form(fuzzer, f"/backoffice/orders/{order.number}/{action}",
                           overrides={"reauth_password": PASSWORD}, snapshot=_row(Order, order.id)))


def test_fuzzed_shipping_method_and_promotion_edit_forms_never_fail_nor_change_them_when_refused(app):
    fuzzer, _ = _as(app, "admin")
    shipping.seed_defaults()
    db.session.commit()
    _reached(fuzz_form(fuzzer, "/backoffice/settings/shipping/new"))
    method = db.session.scalars(db.select(ShippingMethod)).first()
    _reached(fuzz_form(fuzzer, f"/backoffice/settings/shipping/{method.id}", snapshot=_row(ShippingMethod, method.id)))
    ProductFactory()
    promotion = PromotionFactory()
    _reached(fuzz_form(fuzzer, f"/marketing/promotions/{promotion.id}/edit", snapshot=_row(Promotion, promotion.id)))


def test_fuzzed_tax_rate_and_order_list_forms_never_fail_nor_change_anything_when_refused(app):
    fuzzer, _ = _as(app, "admin")
    _reached(fuzz_form(fuzzer, "/backoffice/settings/tax/US/OH"))
    shipping.seed_defaults()
    db.session.commit()
    quick_order(lines=[{"kind": "book", "title": "Soft Tissue Release", "sku": "STR-BOOK", "quantity": 1,
                        "unit_price_cents": 4995, "is_physical": True}],
                ship_line1="1 Elm Street", ship_city="Columbus", ship_region="OH", ship_postal_code="43004",
                ship_country="US")
    _reached(fuzz_form(fuzzer, "/backoffice/orders/bulk", "/backoffice/orders"))


def test_fuzzed_customer_note_and_merge_forms_never_fail(app):
    fuzzer, _ = _as(app, "staff")
    customer = UserFactory(email="pat@example.com")
    UserFactory(email="pat.work@example.com")
    _reached(fuzz_form(fuzzer, f"/backoffice/customers/{customer.id}/notes", f"/backoffice/customers/{customer.id}"))
    _reached(fuzz_form(fuzzer, f"/backoffice/customers/{customer.id}/merge", f"/backoffice/customers/{customer.id}",
                       snapshot=_row(User, customer.id)))


def test_fuzzed_learner_forms_never_fail(app):
    fuzzer, _ = _as(app, "admin")
    learner = UserFactory()
    course, _ = course_with_lessons(lessons=1)
    _reached(fuzz_form(fuzzer, f"/backoffice/courses/learners/{learner.id}/grant",
                       f"/backoffice/courses/learners/{learner.id}"))
    _reached(fuzz_form(fuzzer, "/backoffice/courses/signature"))


def test_fuzzed_course_evaluation_never_fails(app):
    fuzzer, user = _as(app, "customer")
    course, _ = course_with_lessons(lessons=1)
    exam_for(course, questions=1, requires_all_lessons=False)
    grant_course(user, course)
    db.session.add(ExamAttempt(user_id=user.id, product_id=course.id, number=1, layout=[], submitted_at=utcnow(),
                               score_percent=100, passed=True))
    db.session.commit()
    statuses = fuzz_form(fuzzer, f"/my/courses/{course.slug}/evaluation")
    assert sum(statuses.values()) >= EXAMPLES  # kept once: after the first good one, the page sends back


def test_fuzzed_two_factor_setup_never_fails(app):
    fuzzer, user = _as(app, "staff")
    two_factor.begin_setup(user)
    _reached(fuzz_form(fuzzer, "/account/two-factor/setup"))


def test_fuzzed_article_forms_never_fail_nor_change_the_article_when_refused(app):
    fuzzer, _ = _as(app, "marketing")
    ProductFactory()
    _reached(fuzz_form(fuzzer, "/marketing/articles/new"))
    article = ArticleFactory(state="draft", publish_at=None)
    url = f"/marketing/articles/{article.id}"
    _reached(fuzz_form(fuzzer, url, snapshot=_row(Article, article.id)))
    statuses = fuzz_form(fuzzer, f"{url}/publish", url)
    assert sum(statuses.values()) >= EXAMPLES


def test_fuzzed_directory_forms_never_fail_nor_change_a_listing_when_refused(app, client):
    fuzzer, owner = _as(app, "customer")
    _reached(fuzz_form(fuzzer, "/account/listing"))
    other = UserFactory()
    listing = directory.save_listing(other, directory.ListingInput(
        practice_name="Casco Bay", full_name="Dana", city="Portland", state="ME", zip_code="04101",
        modalities=("trigger-point",)))
    listing.status = "approved"
    db.session.commit()
    visitor = Fuzzer(client)
    _reached(fuzz_form(visitor, f"/professionals/{listing.slug}/contact", f"/professionals/{listing.slug}"))
    staff, _ = _as(app, "staff")
    _reached(fuzz_form(staff, f"/backoffice/directory/{listing.id}", snapshot=_row(Listing, listing.id)))


def test_fuzzed_marketing_consent_box_never_fails(app):
    fuzzer, _ = _as(app, "customer")
    _reached(fuzz_form(fuzzer, "/account/news-and-offers", "/account"))
