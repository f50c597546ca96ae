"""factory_boy factories for test data. They commit, so every test sees what a request would see."""

from datetime import timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from shop.catalogue.models import Category, ComboComponent, Product, ProductImage, StockMovement
from shop.content.models import Article
from shop.extensions import db


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class CategoryFactory(BaseFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    description = "A category"


class ProductFactory(BaseFactory):
    class Meta:
        model = Product

    kind = "course"
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    title = factory.Sequence(lambda n: f"Course number {n}")
    author = "Mary Sanderson"
    summary = "A short summary."
    description_md = "A **good** course."
    price_cents = 9900
    ce_hours = Decimal("6")
    course_format = "online"
    lesson_count = 6

    @factory.post_generation
    def with_image(obj, create, extracted, **kwargs):
        if extracted:
            obj.images.append(ProductImage(filename=f"products/{obj.slug}.svg", alt_text=f"{obj.title} artwork"))
            if create:
                db.session.commit()


class BookFactory(ProductFactory):
    """A book whose stock is recorded as an opening stock movement, as the shop always keeps it."""

    kind = "book"
    title = factory.Sequence(lambda n: f"Book number {n}")
    ce_hours = None
    course_format = None
    lesson_count = None
    isbn = "9780000000002"
    weight_grams = 600
    stock = 20
    price_cents = 4995

    @factory.post_generation
    def opening_stock(obj, create, extracted, **kwargs):
        if create and obj.stock:
            db.session.add(StockMovement(product_id=obj.id, change=obj.stock, reason="initial"))
            db.session.commit()


class MembershipFactory(ProductFactory):
    kind = "membership"
    title = "All-Access Course Membership"
    ce_hours = None
    course_format = None
    lesson_count = None
    billing_interval = "month"
    price_cents = 1995


class ComboFactory(ProductFactory):
    kind = "combo"
    title = factory.Sequence(lambda n: f"Combo number {n}")
    ce_hours = None
    course_format = None
    lesson_count = None
    price_cents = 15000

    @factory.post_generation
    def parts(obj, create, extracted, **kwargs):
        """parts=[(product, quantity), ...]"""
        for position, (product, quantity) in enumerate(extracted or []):
            obj.components.append(ComboComponent(component=product, quantity=quantity, position=position))
        if create and extracted:
            db.session.commit()


# --- orders (appended by the mail work) ---
from shop.orders.models import STATUS_PAID, Order, OrderLine  # noqa: E402


class OrderFactory(BaseFactory):
    """A paid web order with no lines; add lines with OrderLineFactory(order=...) and set the totals."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"STR-{100000 + n}")
    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    customer_name = "Pat Buyer"
    status = STATUS_PAID
    currency = "USD"
    subtotal_cents = 0
    discount_cents = 0
    shipping_cents = 0
    tax_cents = 0
    total_cents = 0
    pricing_snapshot = factory.LazyFunction(dict)


class OrderLineFactory(BaseFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product_id = None
    sku = factory.Sequence(lambda n: f"LINE-{n:05d}")
    title = factory.Sequence(lambda n: f"Line item {n}")
    kind = "course"
    is_physical = False
    unit_price_cents = 9900
    quantity = 1
    subtotal_cents = factory.LazyAttribute(lambda o: o.unit_price_cents * o.quantity)
    discount_cents = 0
    total_cents = factory.LazyAttribute(lambda o: o.subtotal_cents - o.discount_cents)


# --- accounts (appended by the accounts work) ---
from shop.accounts.models import Address, User  # noqa: E402
from shop.accounts.passwords import hash_password  # noqa: E402
from shop.core.timeutil import utcnow  # noqa: E402

DEFAULT_PASSWORD = "correct horse battery"


class UserFactory(BaseFactory):
    """A verified customer whose password is DEFAULT_PASSWORD (or password=...); role="staff" etc. for staff."""

    class Meta:
        model = User

    class Params:
        password = DEFAULT_PASSWORD

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Customer {n}")
    role = "customer"
    is_active_account = True
    email_verified_at = factory.LazyFunction(utcnow)
    password_hash = factory.LazyAttribute(lambda o: hash_password(o.password, fast=True))


class AddressFactory(BaseFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    line1 = factory.Sequence(lambda n: f"{n} Main Street")
    line2 = ""
    city = "Springfield"
    region = "IL"
    postal_code = "62701"
    country = "US"
    phone = ""
    is_default = False


# --- promotions (appended by the promotions work) ---

from shop.promotions.models import (  # noqa: E402
    ROLE_BUNDLE,
    ROLE_EXCLUDE,
    ROLE_TARGET,
    Promotion,
    PromotionCategory,
    PromotionCode,
    PromotionCustomer,
    PromotionProduct,
)


class PromotionFactory(BaseFactory):
    """A live automatic 10 % off everything, on the web and by phone, started yesterday, with no end.

    Extras: products=[...], exclude_products=[...], categories=[...], exclude_categories=[...],
    bundle=[(product, quantity), ...], customers=["a@example.com"], code="SPRING" (a shared code).
    """

    class Meta:
        model = Promotion

    name = factory.Sequence(lambda n: f"Offer {n}")
    public_description = "Save on your order."
    state = "active"
    starts_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=1))
    ends_at = None
    benefit_kind = "percent"
    basis_points = 1000
    applies_to_everything = True

    @factory.post_generation
    def products(obj, create, extracted, **kwargs):
        for product in extracted or []:
            obj.products.append(PromotionProduct(product_id=product.id, role=ROLE_TARGET))

    @factory.post_generation
    def exclude_products(obj, create, extracted, **kwargs):
        for product in extracted or []:
            obj.products.append(PromotionProduct(product_id=product.id, role=ROLE_EXCLUDE))

    @factory.post_generation
    def bundle(obj, create, extracted, **kwargs):
        for product, quantity in extracted or []:
            obj.products.append(PromotionProduct(product_id=product.id, role=ROLE_BUNDLE, quantity=quantity))

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        for category in extracted or []:
            obj.categories.append(PromotionCategory(category_id=category.id, role=ROLE_TARGET))

    @factory.post_generation
    def exclude_categories(obj, create, extracted, **kwargs):
        for category in extracted or []:
            obj.categories.append(PromotionCategory(category_id=category.id, role=ROLE_EXCLUDE))

    @factory.post_generation
    def customers(obj, create, extracted, **kwargs):
        for email in extracted or []:
            obj.customers.append(PromotionCustomer(email=email.lower()))

    @factory.post_generation
    def code(obj, create, extracted, **kwargs):
        if extracted:
            db.session.add(PromotionCode(promotion=obj, code=extracted.upper(), max_uses=None))
        if create:
            db.session.commit()


class PromotionCodeFactory(BaseFactory):
    """A code for a promotion: shared by default; max_uses=1 for a single-use one of a batch."""

    class Meta:
        model = PromotionCode

    promotion = factory.SubFactory(PromotionFactory, requires_code=True)
    code = factory.Sequence(lambda n: f"CODE-{n:05d}")
    max_uses = None
    batch = ""


# --- courses (appended by the course delivery work) ---
from datetime import date  # noqa: E402

from shop.courses.content import render_lesson  # noqa: E402
from shop.courses.models import (  # noqa: E402
    Approval,
    CourseAccess,
    CourseModule,
    Exam,
    ExamOption,
    ExamQuestion,
    Lesson,
)


class CourseModuleFactory(BaseFactory):
    class Meta:
        model = CourseModule

    product_id = factory.LazyFunction(lambda: ProductFactory().id)
    title = factory.Sequence(lambda n: f"Module {n}")
    position = factory.Sequence(int)


class LessonFactory(BaseFactory):
    class Meta:
        model = Lesson

    module_id = factory.LazyFunction(lambda: CourseModuleFactory().id)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    position = factory.Sequence(int)
    body_md = factory.Sequence(lambda n: f"Lesson {n} teaches **one technique**.")
    body_html = factory.LazyAttribute(lambda o: render_lesson(o.body_md))
    minutes = 20


def course_with_lessons(lessons=3, modules=1, **product_fields):
    """A published course with `modules` modules of `lessons` lessons each; returns (course, [lessons])."""
    course = ProductFactory(**product_fields)
    made = []
    for m in range(modules):
        module = CourseModuleFactory(product_id=course.id, title=f"Module {m + 1}", position=m)
        made.extend(LessonFactory(module_id=module.id, title=f"Lesson {m + 1}.{i + 1}", position=i)
                    for i in range(lessons))
    return course, made


def exam_for(course, questions=4, pass_percent=70, max_attempts=3, requires_all_lessons=True, lessons=()):
    """An exam of `questions` questions, each with four options "Answer n.1" to "n.4"; n.2 is the right one."""
    exam = Exam(product_id=course.id, pass_percent=pass_percent, max_attempts=max_attempts,
                requires_all_lessons=requires_all_lessons)
    for n in range(questions):
        question = ExamQuestion(prompt=f"Question {n + 1}?", position=n,
                                lesson_id=lessons[n % len(lessons)].id if lessons else None)
        question.options = [ExamOption(text=f"Answer {n + 1}.{i + 1}", is_correct=i == 1, position=i)
                            for i in range(4)]
        exam.questions.append(question)
    db.session.add(exam)
    db.session.commit()
    return exam


class ApprovalFactory(BaseFactory):
    """A current NCBTMB approval (fictional provider number) from last year to next year."""

    class Meta:
        model = Approval

    product_id = factory.LazyFunction(lambda: ProductFactory().id)
    body = "NCBTMB"
    state = ""
    body_statement = "This course is approved by a fictional approving body for continuing education credit."
    approved_title = factory.Sequence(lambda n: f"Approved Course Title {n}")
    ce_hours = Decimal("6.00")
    course_type = "Home study"
    provider_name = "Soft Tissue Release Education"
    provider_number = "DEMO-000000"
    provider_contact = "orders@softtissuerelease.example"
    starts_on = factory.LazyFunction(lambda: date.today() - timedelta(days=365))
    expires_on = factory.LazyFunction(lambda: date.today() + timedelta(days=365))
    cebroker_tracking_number = ""


def grant_course(user, course, order_id=None):
    """Give a customer access to a course, as a paid order would."""
    row = CourseAccess(email=user.email, user_id=user.id, product_id=course.id, order_id=order_id)
    db.session.add(row)
    db.session.commit()
    return row


# --- membership (appended by the members room work) ---
from shop.membership.models import Membership, MembershipInvoice  # noqa: E402


class MemberFactory(BaseFactory):
    """An active web membership of a new customer, started now, paid for a month (no Stripe behind it).
    state="ended" leaves live_user_id empty; set started_at / ended_at / channel for reports."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    live_user_id = factory.LazyAttribute(lambda o: o.user.id if o.state != "ended" else None)
    idempotency_key = factory.Sequence(lambda n: f"membership:factory:{n}")
    stripe_subscription_id = factory.Sequence(lambda n: f"sub_factory_{n}")
    state = "active"
    stripe_status = factory.LazyAttribute(lambda o: {"ended": "canceled", "past_due": "past_due",
                                                     "pending": "incomplete"}.get(o.state, "active"))
    channel = "web"
    price_cents = 1995
    currency = "USD"
    started_at = factory.LazyFunction(utcnow)
    current_period_end = factory.LazyAttribute(lambda o: o.started_at + timedelta(days=30) if o.started_at else None)
    ended_at = factory.LazyAttribute(lambda o: utcnow() if o.state == "ended" else None)


class MembershipInvoiceFactory(BaseFactory):
    """A paid monthly invoice of a membership, for its current period."""

    class Meta:
        model = MembershipInvoice

    membership = factory.SubFactory(MemberFactory)
    stripe_invoice_id = factory.Sequence(lambda n: f"in_factory_{n}")
    intent_id = factory.Sequence(lambda n: f"pi_factory_{n}")
    status = "paid"
    amount_cents = factory.LazyAttribute(lambda o: o.membership.price_cents)
    currency = "USD"
    period_start = factory.LazyAttribute(lambda o: o.membership.started_at)
    period_end = factory.LazyAttribute(lambda o: o.membership.current_period_end)
    paid_at = factory.LazyAttribute(lambda o: o.membership.started_at)


class ArticleFactory(BaseFactory):
    """A published article (publish_at a day ago) unless state/publish_at say otherwise."""

    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article number {n}")
    summary = "What this article is about."
    body_md = "Some **text**."
    body_html = "<p>Some <strong>text</strong>.</p>"
    author_name = "Mary Sanderson"
    state = "published"
    publish_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=1))
