"""`flask seed-demo` in development opens every door: an account for each kind of user with the password it
prints, live promotions (a sale on /offers, a code for the cart, a phone-only offer), and a demo customer with
a paid order and a course in progress. Outside development it makes none of that.

The `app` fixture runs the test settings, so the development runs here turn development's marker on
(DEV_MAILBOX, with TESTING off) for the command alone, or call shop.demo.seed(development=True).
"""

import re

from config import DevelopmentConfig, ProductionConfig, TestConfig
from shop import demo
from shop.accounts.models import User
from shop.catalogue import demo_data
from shop.catalogue.models import Product
from shop.core.models import AuditEntry
from shop.courses.models import CourseAccess, LessonProgress
from shop.demo import offers, orders, people
from shop.extensions import db
from shop.orders.models import CHANNEL_PHONE, STATUS_PAID, Order, Payment
from shop.promotions.models import Promotion, PromotionCode, PromotionRedemption
from shop.quote import quote_lines
from tests.support.checkout_helpers import add_to_cart
from tests.support.forms import csrf_token, log_in

ROW = re.compile(r"^\s+(staff|marketing|admin|customer)\s+(\S+@\S+)\s+(\S+)\s+(/\S*)\s+(new|already there)$")
DEMO_TABLES = (User, Promotion, PromotionCode, Order, Payment, PromotionRedemption, CourseAccess, LessonProgress)


def _settings(config_class):
    return {name: getattr(config_class, name) for name in dir(config_class) if name.isupper()}


def _seed_demo(app, monkeypatch, development=True):
    """`flask seed-demo` as `make run` runs it (development) or under the test settings; returns its output."""
    with monkeypatch.context() as patch:
        if development:
            patch.setitem(app.config, "DEV_MAILBOX", True)
            patch.setitem(app.config, "TESTING", False)
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def _printed_accounts(output):
    """{role: (e-mail, password, start page, new or already there)} from the printed table."""
    return {match[1]: match.group(2, 3, 4, 5) for match in map(ROW.match, output.splitlines()) if match}


def _counts():
    return {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model)) for model in DEMO_TABLES}


def _demo_users():
    return db.session.scalars(db.select(User).where(User.email.in_([a.email for a in people.ACCOUNTS]))).all()


def _user(account):
    return db.session.scalar(db.select(User).where(User.email == account.email))


def test_seed_demo_twice_in_development_makes_each_account_once_and_prints_them(app, monkeypatch):
    first = _seed_demo(app, monkeypatch)
    printed = _printed_accounts(first)
    assert printed == {a.role: (a.email, a.password, a.start_at, "new") for a in people.ACCOUNTS}
    assert f"Promo code to type in the cart: {offers.CODE}" in first
    counts = _counts()

    second = _seed_demo(app, monkeypatch)
    assert {role: row[3] for role, row in _printed_accounts(second).items()} == dict.fromkeys(printed, "already there")
    assert _counts() == counts  # nothing duplicated: accounts, promotions, codes, the order and what it gave
    users = _demo_users()
    assert sorted((u.email, u.role) for u in users) == sorted((a.email, a.role) for a in people.ACCOUNTS)
    for user in users:  # made as `flask create-user` makes them: hashed with Argon2id, verified, audited
        assert user.password_hash.startswith("$argon2id$") and user.email_verified_at is not None
        assert db.session.scalar(db.select(AuditEntry.summary).where(
            AuditEntry.entity_type == "user", AuditEntry.entity_id == str(user.id))).endswith("(command line)")
    assert db.session.scalar(db.select(db.func.count(Order.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Promotion.id))) == 3


def test_each_demo_account_signs_in_with_its_printed_password_and_reaches_its_room(app, monkeypatch):
    printed = _printed_accounts(_seed_demo(app, monkeypatch))
    order = db.session.scalar(db.select(Order))
    rooms = {"staff": ("/backoffice/", "Dashboard"),
             "marketing": ("/marketing/promotions", offers.PHONE_NAME),
             "admin": ("/backoffice/users", people.CUSTOMER.email),
             "customer": ("/account", order.number)}
    for role, (email, password, start_at, _) in printed.items():
        client = app.test_client()
        response = log_in(client, email, password)
        assert response.status_code in (302, 303), (role, response.status_code)
        path, shows = rooms[role]
        assert start_at == path
        page = client.get(path, follow_redirects=True)
        assert page.status_code == 200 and shows in page.get_data(as_text=True), role
    assert log_in(app.test_client(), people.STAFF.email, "not-the-password").status_code == 422  # refused


def test_the_demo_customer_has_a_paid_order_and_a_course_in_progress(app, monkeypatch):
    _seed_demo(app, monkeypatch, development=False)  # the catalogue and its courses, as in any settings
    seeded = demo.seed(development=True)
    order, course = seeded.order, orders.demo_course()
    assert order.status == STATUS_PAID and order.channel == CHANNEL_PHONE and order.paid_cents == order.total_cents
    assert order.email == people.CUSTOMER.email and order.user_id == _user(people.CUSTOMER).id
    assert sorted(line.sku for line in order.lines) == sorted([demo_data.BOOK["sku"], orders.COURSE_SKU])
    payment = db.session.scalar(db.select(Payment).where(Payment.order_id == order.id))
    assert payment.provider == "check" and payment.amount_cents == order.total_cents
    # priced as any phone order: the sale on the course, the phone offer on the book, each use counted
    redemptions = db.session.scalars(db.select(PromotionRedemption)).all()
    assert sorted(r.promotion.name for r in redemptions) == sorted([seeded.promotions[0].promotion.name,
                                                                    offers.PHONE_NAME])
    assert all(r.status == "confirmed" and r.channel == CHANNEL_PHONE for r in redemptions)
    assert db.session.scalar(db.select(Product.stock).where(Product.sku == demo_data.BOOK["sku"])) == \
        demo_data.BOOK["stock"] - 1

    customer = app.test_client()
    log_in(customer, people.CUSTOMER.email, people.CUSTOMER.password)
    account = customer.get("/account").get_data(as_text=True)
    assert order.number in account and "Paid" in account
    detail = customer.get(f"/account/orders/{order.number}").get_data(as_text=True)
    assert course.title in detail and demo_data.BOOK["title"] in detail
    courses = customer.get("/my/courses").get_data(as_text=True)
    total = seeded.course_progress.total
    assert course.title in courses and f"{orders.LESSONS_DONE} of {total} lessons" in courses and "Continue" in courses
    resume = customer.get(f"/my/courses/{course.slug}/continue")
    assert resume.status_code == 302 and "/lessons/" in resume.headers["Location"]

    staff = app.test_client()
    log_in(staff, people.STAFF.email, people.STAFF.password)
    desk = staff.get(f"/backoffice/orders/{order.number}")
    assert desk.status_code == 200 and people.CUSTOMER.email in desk.get_data(as_text=True)
    assert order.number in staff.get("/backoffice/orders").get_data(as_text=True)


def test_the_sale_is_on_offers_the_code_applies_in_the_cart_and_the_phone_offer_stays_off_the_web(app, monkeypatch,
                                                                                                   client):
    _seed_demo(app, monkeypatch, development=False)
    seeded = demo.seed(development=True)
    sale = seeded.promotions[0].promotion
    offers_page = client.get("/offers").get_data(as_text=True)
    assert sale.name in offers_page and "Ends " in offers_page
    assert offers.PHONE_NAME not in offers_page and offers.CODE_NAME not in offers_page  # phone-only; unlisted

    course = db.session.scalar(db.select(Product).where(Product.sku == "CE-ETHICS"))
    book = db.session.scalar(db.select(Product).where(Product.sku == demo_data.BOOK["sku"]))
    add_to_cart(client, course)
    add_to_cart(client, book)
    token = csrf_token(client.get("/cart").get_data(as_text=True))
    applied = client.post("/cart/code", data={"csrf_token": token, "code": offers.CODE.lower(), "next": "cart"})
    assert applied.status_code == 303
    cart = client.get("/cart").get_data(as_text=True)
    assert f"{offers.CODE} applied" in cart and offers.CODE_NAME in cart and sale.name in cart
    assert offers.PHONE_NAME not in cart  # the web cart never gets the phone-only offer

    def discount_on_book(channel):
        priced = quote_lines([book.pricing_line()], channel=channel)
        return {a.name: a.amount_cents for a in priced.breakdown.adjustments}

    assert discount_on_book("phone") == {offers.PHONE_NAME: 500}
    assert discount_on_book("web") == {}


def test_outside_development_seed_demo_makes_no_demo_accounts_promotions_or_orders(app, monkeypatch):
    assert demo.is_development(_settings(DevelopmentConfig))
    assert not demo.is_development(_settings(ProductionConfig)) and not demo.is_development(_settings(TestConfig))
    assert not demo.is_development(app.config)

    output = _seed_demo(app, monkeypatch, development=False)  # the test settings, as the `app` fixture has them
    assert "made only in development" in output and "try-the-" not in output
    assert demo.seed(development=False) is None
    assert db.session.scalar(db.select(db.func.count(Product.id))) > 0  # the catalogue is loaded all the same
    assert all(count == 0 for count in _counts().values()), _counts()
    assert _demo_users() == []
