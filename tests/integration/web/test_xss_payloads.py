"""200 cross-site scripting payloads (tests.support.xss) through every kind of text people type into the shop:
product, course, lesson, exam and promotion text (staff and marketing), customers' names and addresses (anyone),
call notes (staff), and the e-mails that repeat them. Every page that shows them, to every kind of user, and
every e-mail's HTML carry nothing that could run (`active_content`), and each test shows that its payloads
reached the pages it checked (their markers are there, as text), so none passes by not showing the text.
"""

from urllib.parse import parse_qs, urljoin, urlsplit

from shop.content import directory
from shop.content.text import render_article_markdown
from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.membership import emails as membership_emails
from shop.orders import emails as order_emails
from shop.orders.models import CHANNEL_PHONE, Shipment
from tests.factories import (
    DEFAULT_PASSWORD,
    AddressFactory,
    ArticleFactory,
    MemberFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    PromotionFactory,
    UserFactory,
    course_with_lessons,
    exam_for,
    grant_course,
)
from tests.support.forms import csrf_token, log_in, post_form, soup
from tests.support.xss import PAYLOADS, active_content, markers_in

COUNT = len(PAYLOADS)


def _payload(n):
    return PAYLOADS[n % COUNT]


class Reader:
    """Fetches pages as one user and checks each: a 200, nothing active, and which markers it shows."""

    def __init__(self, client):
        self.client, self.seen = client, set()

    def check(self, url, status=200):
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        html = response.get_data(as_text=True)
        assert not active_content(html), (url, active_content(html)[:5])
        self.seen |= markers_in(html)
        return html

    def fragments(self, url):
        """A JSON answer's HTML fragments (the page puts them in as markup), each checked like a page; returns
        the markers they carry."""
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        parts = {key: value for key, value in response.get_json().items() if key.endswith("_html")}
        assert parts, url
        carried = set()
        for key, html in parts.items():
            assert not active_content(html), (url, key, active_content(html)[:5])
            carried |= markers_in(html)
        self.seen |= carried
        return carried

    def pages(self, url, limit=40):
        """`url` and every further page of its list, by the pagination links (same path, a `page=` query)."""
        path, queue, done = urlsplit(url).path, [url], set()
        while queue and len(done) < limit:
            current = queue.pop(0)
            if current in done:
                continue
            done.add(current)
            for link in soup(self.check(current)).find_all("a", href=True):
                href = urljoin(current, link["href"])
                if urlsplit(href).path == path and "page=" in urlsplit(href).query and href not in done:
                    queue.append(urlsplit(href).path + "?" + urlsplit(href).query)
        return done


def _reader(app, role="customer", **fields):
    user = UserFactory(role=role, **fields)
    client = app.test_client()
    assert log_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    return Reader(client), user


def _all_markers(count=COUNT):
    return {f"xss{n:03d}" for n in range(count)}


def _emails_checked():
    """Every e-mail in the outbox: its HTML carries nothing active; returns the markers the e-mails show."""
    seen = set()
    messages = db.session.execute(db.select(OutboxMessage)).scalars().all()
    assert messages
    for message in messages:
        assert not active_content(message.html_body), (message.subject, active_content(message.html_body)[:5])
        seen |= markers_in(message.html_body)
    return seen


# ---- staff's and marketing's text ---------------------------------------------------------------

def test_product_text_runs_nowhere_in_the_storefront_or_the_back_office(app, client):
    products = [ProductFactory(title=f"T{n} {_payload(n)}"[:200], subtitle=_payload(n + 1)[:200],
                               author=_payload(n + 2)[:200], summary=_payload(n + 3),
                               description_md=f"{_payload(n)}\n\n{_payload(n + 4)}\n\n[ok](https://example.com/{n})")
                for n in range(COUNT)]
    visitor = Reader(client)
    for product in products:
        visitor.check(f"/products/{product.slug}")
    visitor.pages("/catalogue")
    visitor.check("/")
    visitor.check("/search?q=alert")
    for product in products[:10]:
        post_form(client, "/cart/add", {"product_id": str(product.id), "quantity": "1"},
                  page=f"/products/{product.slug}")
    visitor.check("/cart")
    visitor.check("/checkout")
    assert visitor.fragments("/checkout/summary?country=US")  # the cart's titles in the order summary
    assert visitor.seen == _all_markers()

    staff, _ = _reader(app, "admin")
    staff.pages("/backoffice/products")
    for product in products:
        staff.check(f"/backoffice/products/{product.id}")
    assert staff.seen == _all_markers()


def test_course_lesson_and_exam_text_runs_nowhere_for_learners_or_authors(app):
    course, lessons = course_with_lessons(lessons=COUNT // 4, modules=4, title=f"Course {_payload(7)}")
    for n, lesson in enumerate(lessons):
        lesson.title = f"L{n} {_payload(n)}"[:200]
    db.session.commit()
    from shop.courses import authoring
    staff_user = UserFactory(role="admin")
    for n, lesson in enumerate(lessons):
        authoring.update_lesson(lesson, title=lesson.title, body_md=f"{_payload(n + 1)}\n\n{_payload(n + 2)}",
                                minutes=10, video_url="", actor=staff_user)
    db.session.commit()
    exam = exam_for(course, questions=10, requires_all_lessons=False)
    for n, question in enumerate(exam.questions):
        question.prompt = f"Q{n} {_payload(n * 20)}"
        for i, option in enumerate(question.options):
            option.text = _payload(n * 20 + i + 1)
    db.session.commit()

    learner, user = _reader(app)
    grant_course(user, course)
    learner.check(f"/products/{course.slug}")
    learner.check("/my/courses")
    learner.check(f"/my/courses/{course.slug}")
    for lesson in lessons:
        learner.check(f"/my/courses/{course.slug}/lessons/{lesson.id}")
    started = post_form(learner.client, f"/my/courses/{course.slug}/exam", {})
    assert started.status_code in (302, 303)
    learner.check(started.headers["Location"])
    assert learner.seen == _all_markers()

    author = Reader(app.test_client())
    assert log_in(author.client, staff_user.email, DEFAULT_PASSWORD).status_code == 302
    author.check(f"/backoffice/courses/{course.id}/content")
    for lesson in lessons:
        author.check(f"/backoffice/courses/{course.id}/lessons/{lesson.id}")
    author.check(f"/backoffice/courses/{course.id}/exam")
    for question in exam.questions:
        author.check(f"/backoffice/courses/{course.id}/exam/questions/{question.id}")
    assert author.seen == _all_markers()


def test_promotion_text_runs_nowhere_on_the_offers_page_the_cart_or_the_marketing_room(app, client):
    product = ProductFactory(title="Trigger Point Therapy")
    promotions = [PromotionFactory(name=f"P{n} {_payload(2 * n)}"[:120], public_description=_payload(2 * n + 1),
                                   basis_points=100 + n) for n in range(COUNT // 2)]
    visitor = Reader(client)
    visitor.check("/offers")
    post_form(client, "/cart/add", {"product_id": str(product.id), "quantity": "1"}, page=f"/products/{product.slug}")
    visitor.check("/cart")
    assert visitor.fragments("/checkout/summary?country=US")  # the promotions' names in the order summary
    visitor.check(f"/products/{product.slug}")
    assert visitor.seen

    marketer, _ = _reader(app, "marketing")
    marketer.pages("/marketing/promotions")
    for promotion in promotions:
        marketer.check(f"/marketing/promotions/{promotion.id}")
        marketer.check(f"/marketing/promotions/{promotion.id}/edit")
    marketer.check("/marketing/performance")
    assert marketer.seen == _all_markers()


def test_titles_and_offer_names_run_nowhere_in_the_phone_orders_saved_summary(app):
    """The phone order page saves its details as staff type and puts the answer's order summary in as markup."""
    products = [ProductFactory(title=f"T{n} {_payload(n)}"[:200], sku=f"XSS-{n:03d}") for n in range(COUNT // 10)]
    for n in range(COUNT // 10, COUNT):
        PromotionFactory(name=f"P{n} {_payload(n)}"[:120], basis_points=10 + n % 50)
    staff, _ = _reader(app, "staff")
    draft, token = "", csrf_token(staff.client.get("/backoffice/phone/new").get_data(as_text=True))
    for product in products:
        added = staff.client.post("/backoffice/phone/draft/items", data={
            "item": product.sku, "quantity": "1", "draft": draft, "csrf_token": token})
        assert added.status_code in (302, 303), added.status_code
        draft = parse_qs(urlsplit(added.headers["Location"]).query)["draft"][0]
    page = staff.client.get(f"/backoffice/phone/new?draft={draft}").get_data(as_text=True)
    saved = staff.client.post("/backoffice/phone/draft/details", headers={"Accept": "application/json"}, data={
        "draft": draft, "csrf_token": csrf_token(page), "ship_country": "US", "payment": "card",
        "call_notes": _payload(0)})
    assert saved.status_code == 200, saved.get_data(as_text=True)[:500]
    summary = saved.get_json()["summary_html"]
    assert not active_content(summary), active_content(summary)[:5]
    assert markers_in(summary) == _all_markers()


def test_article_text_runs_nowhere_in_the_list_the_article_the_home_page_the_feed_or_the_articles_room(app, client):
    articles = [ArticleFactory(title=f"A{n} {_payload(n)}"[:200], summary=_payload(n + 1)[:500],
                               author_name=_payload(n + 2)[:120], body_md=f"{_payload(n)}\n\n{_payload(n + 3)}",
                               body_html=render_article_markdown(f"{_payload(n)}\n\n{_payload(n + 3)}"))
                for n in range(COUNT)]
    visitor = Reader(client)
    for article in articles:
        visitor.check(f"/articles/{article.slug}")
    visitor.pages("/articles")
    visitor.check("/")
    feed = client.get("/articles/feed.xml").get_data(as_text=True)
    assert "<script" not in feed and markers_in(feed)  # XML-escaped text, never markup
    assert visitor.seen == _all_markers()

    marketer, _ = _reader(app, "marketing")
    marketer.check("/marketing/articles")
    for article in articles:
        marketer.check(f"/marketing/articles/{article.id}")
        marketer.check(f"/marketing/articles/{article.id}/preview")
    assert marketer.seen == _all_markers()


def test_directory_listings_run_nowhere_in_the_search_the_listing_the_owners_page_or_the_directory_room(app, client):
    listings = []
    for n in range(COUNT // 2):
        owner = UserFactory()
        listing = directory.save_listing(owner, directory.ListingInput(
            practice_name=f"L{n} {_payload(2 * n)}"[:160], full_name=_payload(2 * n + 1)[:160],
            city=f"Portland {_payload(2 * n)}"[:120], state="ME", zip_code="04101", modalities=("trigger-point",),
            street=_payload(2 * n + 1)[:200], show_street=True, bio=_payload(2 * n), phone="207 555 0110",
            website="https://example.com/" + str(n)))
        listing.status = "approved"
        listings.append((owner, listing))
    db.session.commit()
    visitor = Reader(client)
    visitor.pages("/professionals?zip=04101&radius=10")
    for _owner, listing in listings:
        visitor.check(f"/professionals/{listing.slug}")
    assert visitor.seen == _all_markers()
    staff, _ = _reader(app, "staff")
    staff.check("/backoffice/directory?status=all")
    for _owner, listing in listings[:20]:
        staff.check(f"/backoffice/directory/{listing.id}")
    owner_view = Reader(app.test_client())
    assert log_in(owner_view.client, listings[0][0].email, DEFAULT_PASSWORD).status_code == 302
    owner_view.check("/account/listing")
    assert owner_view.seen


# ---- customers' names and addresses, and staff's call notes -------------------------------------

def _orders_with_payloads():
    orders = []
    for n in range(COUNT // 5):
        user = UserFactory(full_name=f"U{n} {_payload(5 * n)}"[:200])
        order = OrderFactory(user_id=user.id, email=user.email, customer_name=f"C{n} {_payload(5 * n + 1)}"[:200],
                             ship_name=_payload(5 * n + 2)[:200], ship_line1=_payload(5 * n + 3)[:200],
                             ship_line2=_payload(5 * n + 4)[:200], ship_city=_payload(5 * n + 1)[:120],
                             ship_region=_payload(5 * n + 2)[:120], ship_postal_code="62701", ship_country="US",
                             call_notes=_payload(5 * n + 3), requires_shipping=True,
                             channel=CHANNEL_PHONE if n % 2 else "web",
                             subtotal_cents=4995, total_cents=4995)
        OrderLineFactory(order=order, title=f"Line {_payload(5 * n + 4)}"[:200], kind="book", is_physical=True,
                         unit_price_cents=4995)
        AddressFactory(user=user, name=_payload(5 * n), line1=_payload(5 * n + 1)[:200],
                       city=_payload(5 * n + 2)[:120], region=_payload(5 * n + 3)[:120])
        orders.append((user, order))
    return orders


def test_names_addresses_and_call_notes_run_nowhere_for_the_customer_or_staff(app):
    orders = _orders_with_payloads()
    staff, _ = _reader(app, "staff")
    staff.pages("/backoffice/orders")
    for _user, order in orders:
        staff.check(f"/backoffice/orders/{order.number}")
        staff.check(f"/backoffice/orders/{order.number}/packing-slip")
        if order.channel == CHANNEL_PHONE:
            staff.check(f"/backoffice/phone/orders/{order.number}")
    staff.check("/backoffice/orders/pick-list")
    staff.check("/backoffice/phone/new?q=xss")
    staff.check("/backoffice/phone/calls")

    admin, _ = _reader(app, "admin")
    for user, _order in orders:
        admin.check(f"/backoffice/users/{user.id}")
    admin.check("/backoffice/users?q=xss")
    assert staff.seen | admin.seen == _all_markers()  # account names on the users' pages, the rest on orders

    for user, order in orders[:10]:
        customer = Reader(app.test_client())
        assert log_in(customer.client, user.email, DEFAULT_PASSWORD).status_code == 302
        customer.check("/account")
        customer.check(f"/account/orders/{order.number}")
        assert markers_in(user.full_name) <= customer.seen


def test_members_names_run_nowhere_in_the_members_room(app):
    MembershipFactory()
    members = [MemberFactory(user=UserFactory(full_name=f"M{n} {_payload(n)}"[:200])) for n in range(COUNT)]
    staff, _ = _reader(app, "staff")
    staff.pages("/backoffice/members/")
    for member in members:
        staff.check(f"/backoffice/members/{member.id}")
    assert staff.seen == _all_markers()


# ---- the e-mails that repeat them ---------------------------------------------------------------

def test_the_e_mails_carry_no_payload_that_could_run(app):
    orders = _orders_with_payloads()
    for _user, order in orders:
        order_emails.order_confirmation(order)
        shipment = Shipment(order_id=order.id, carrier="usps", tracking_number="9400100000000000000000")
        db.session.add(shipment)
        db.session.flush()
        order_emails.shipment_notification(order, shipment)
    MembershipFactory(title=f"All-Access {_payload(3)}")
    for n in range(COUNT // 5):  # the members' names: the payloads the orders gave to account names
        member = MemberFactory(user=UserFactory(full_name=f"M{n} {_payload(n * 5)}"[:200]))
        membership_emails.welcome(member)
        membership_emails.cancellation_confirmed(member)
    db.session.commit()
    assert _emails_checked() == _all_markers()
