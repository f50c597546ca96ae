"""The demo customer's history: a paid order and a course under way, made through the shop's own services.

The order is a phone order as staff key one in (shop.phone: the caller found, the printed book and a course
added, the address and shipping set, placed to be paid by check), then the check recorded
(shop.phone.placing.record_check → orders.mark_paid: the stock taken, the promotions' uses counted, the
course opened, the confirmation e-mail queued). So it is a real order on the customer's account page and in
the back office, waiting to be shipped, and staff can refund it. No card processor is involved.

Then a few of the course's lessons are marked done (shop.courses.progress), so "My courses" shows it in
progress with a Continue link.

Made once: the order is found again by its call notes; lessons are marked only while none is done.
"""

from sqlalchemy import select

from shop.accounts.models import User
from shop.catalogue import demo_data
from shop.catalogue.models import Product
from shop.courses import access, content, progress
from shop.demo.people import CUSTOMER_ADDRESS
from shop.extensions import db
from shop.money import format_cents
from shop.orders.models import CHANNEL_PHONE, PAY_CHECK, STATUS_EXPIRED, STATUS_PENDING_PAYMENT, Order
from shop.phone import changes, drafts, placing
from shop.phone.lookup import caller_by_key

COURSE_SKU = "CE-MFR-PRIN"  # Myofascial Release: Principles and Practice (not the course the README buys)
LESSONS_DONE = 3
CALL_NOTES = "Wants the book before her seminar next month. (Demo order, made by flask seed-demo.)"
CHECK_REFERENCE = "1042"  # the check number
SHIPPING = "us-media-mail"


def _product(sku: str) -> Product:
    product = db.session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise LookupError(f"The demo product {sku} is missing: load the demo catalogue first.")
    return product


def demo_course() -> Product:
    return _product(COURSE_SKU)


def find_demo_order(customer: User) -> Order | None:
    """The demo order placed for this customer (not a draft still being keyed in), newest first."""
    return db.session.scalar(
        select(Order).where(Order.user_id == customer.id, Order.channel == CHANNEL_PHONE,
                            Order.call_notes == CALL_NOTES, Order.cart_id.is_(None))
        .order_by(Order.id.desc()).limit(1))


def _place_by_check(customer: User, staff: User) -> Order:
    """Key the phone order in as staff do, and place it to be paid by check."""
    draft = drafts.start(staff)
    caller = caller_by_key(f"user:{customer.id}")
    if caller is None:
        raise LookupError(f"The demo customer {customer.email} cannot be found as a caller.")
    changes.use_caller(draft, caller)
    changes.add_item(draft, 1, product_id=_product(demo_data.BOOK["sku"]).id)
    changes.add_item(draft, 1, product_id=demo_course().id)
    address = {key: CUSTOMER_ADDRESS[key] for key in (*changes.ADDRESS_KEYS, "country")}
    changes.update_details(draft, address=address, shipping_code=SHIPPING, caller_phone=CUSTOMER_ADDRESS["phone"],
                           call_notes=CALL_NOTES)
    placed = placing.place(draft, staff, PAY_CHECK)
    return placed.order


def ensure_paid_order(customer: User, staff: User) -> tuple[Order, bool]:
    """(the demo customer's paid order, whether it was made now). A demo order left waiting for its check is
    paid now; one paid (or since refunded or cancelled by someone trying the shop) is left as it is."""
    order = find_demo_order(customer)
    created = order is None
    if order is None:
        order = _place_by_check(customer, staff)
    if order.status in (STATUS_PENDING_PAYMENT, STATUS_EXPIRED) and order.payment_method == PAY_CHECK:
        placing.record_check(order, format_cents(order.total_cents), CHECK_REFERENCE, staff)
        db.session.refresh(order)
    return order, created


def ensure_course_progress(customer: User, course: Product) -> progress.CourseProgress:
    """The first LESSONS_DONE lessons done, if the customer can open the course and has done none yet."""
    done = progress.course_progress(customer.id, course.id)
    if done.started or not access.can_open(customer, course):
        return done
    for lesson in content.outline(course.id).lessons[:LESSONS_DONE]:
        progress.mark_complete(customer.id, lesson.id)
    return progress.course_progress(customer.id, course.id)
