"""The simulated people of bench/soak.py, as Locust users, weighted like a real shop's visitors:

- Browser (most): home, catalogue, product pages, search, the special offers page;
- CartUser: adds to a cart, changes it, enters promo codes (the soak's limited code, its single-use codes,
  one already used, the demo's READER10, a mistyped one) and leaves without buying;
- Buyer: a fresh visitor each time who buys one thing (the limited book, a course or a combo), sometimes with a
  code, and pays with a test card as Stripe.js would: tokenized at localstripe, then POST /checkout/place;
  mostly 4242 4242 4242 4242, some 4000 0000 0000 0341 (declined when charged; half of those customers then
  pay with a good card in the same checkout), some 4000 0027 6000 3184 (3-D Secure: the challenge is passed at
  localstripe's _authenticate, as the Stripe.js stand-in does, then POST .../confirm); now and then a double
  click (two places of one checkout at once);
- Learner: a customer who owns the demo course: continues it, marks lessons done, takes the exam;
- Staff (a few): key phone orders in at the phone desk (caller, item, card by MOTO).

Each user sends from its own loopback address (127.0.x.y), so nginx forwards one client address per person
and the shop's per-address limits count people, not the load generator. Every request is named by its kind
(name=...). Locust counts as failed only real failures: a 5xx, a timeout or a connection error, or a status
or page the shop should not answer. An expected refusal (a declined card's 402, the book sold out, a code
already used, a promotion's limit reached, the limit on promo codes tried by one person) is a success reported
under its own kind, e.g. "checkout place: declined". soak.py hands every user the Plan (addresses,
products, codes, accounts) as environment.soak_plan.
"""

import itertools
import random
import re
import threading
from dataclasses import dataclass, field

import gevent
from locust import HttpUser, between, task
from locust.exception import RescheduleTask
from requests.adapters import HTTPAdapter

TIMEOUT = 30  # seconds: a slower answer is a failure (a timeout)
PUBLISHABLE_KEY = "pk_test_soak"  # what Stripe.js holds in the browser; localstripe accepts any
CARD_OK, CARD_DECLINED, CARD_3DS = "4242424242424242", "4000000000000341", "4000002760003184"
ADDRESS = {"ship_line1": "12 Elm Street", "ship_city": "Springfield", "ship_region": "IL",
           "ship_postal_code": "62701", "ship_country": "US"}
PHONE_DETAILS = {"ship_name": "Pat Caller", "ship_line1": "12 Harbor Street", "ship_city": "Portland",
                 "ship_region": "ME", "ship_postal_code": "04101", "ship_country": "US",
                 "caller_phone": "207 555 0142", "call_notes": "Soak test call."}
SOLD_OUT = re.compile(r"out of stock|only \d+ cop(y|ies)", re.IGNORECASE)
CODE_GONE = re.compile(r"already been used|used up|already used|has ended", re.IGNORECASE)
OVERLAPS = re.compile(r"overlaps with|one per customer", re.IGNORECASE)
OWNED = re.compile(r"already own", re.IGNORECASE)
UNKNOWN_CODE = re.compile(r"don't recognise", re.IGNORECASE)
TOO_MANY_CODES = re.compile(r"too many promo codes tried", re.IGNORECASE)  # the guessing limit, per person
ANYTHING = re.compile("")
INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')


@dataclass
class Plan:
    """What soak.py set up, shared by every user of the run."""

    stripe_base: str
    products: dict[str, int]  # slug -> id: everything a customer can browse and put in a cart
    book: str  # the book with a limited stock (the last copies are raced for)
    courses: list[str]
    combos: list[str]
    search_words: list[str]
    limited_code: str  # a shared code whose promotion has a small use limit
    single_codes: list[str]  # single-use codes, handed out one per customer
    password: str
    staff: list[str]  # staff e-mails
    learners: list[str]  # customers who own learner_course
    callers: list[str]  # customers the phone desk finds
    learner_course: str
    phone_skus: list[str]
    used_codes: list[str] = field(default_factory=list)
    _numbers: itertools.count = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def number(self):
        with self._lock:
            return next(self._numbers)

    def single_code(self):
        """A fresh single-use code, or None once they are all handed out."""
        with self._lock:
            if not self.single_codes:
                return None
            code = self.single_codes.pop()
            self.used_codes.append(code)
            return code

    def used_code(self):
        with self._lock:
            return random.choice(self.used_codes) if self.used_codes else None


class SourceAddress(HTTPAdapter):
    """Connections from one loopback address (the whole 127.0.0.0/8 is this machine)."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


def inputs(html):
    """[{attribute: value}] of every <input> of a page (the shop's templates quote attributes with ")."""
    return [dict(ATTRIBUTE.findall(tag)) for tag in INPUT.findall(html)]


def hidden(html, name):
    """The value of the first input called `name`, or "" (a first visitor's page has an empty csrf_token)."""
    return next((tag.get("value", "") for tag in inputs(html) if tag.get("name") == name), "")


def json_of(response):
    try:
        return response.json()
    except ValueError:
        return {}


class ShopUser(HttpUser):
    """A person with a browser: its own address and cookies; requests named by kind, refusals told apart."""

    abstract = True

    def on_start(self):
        self.plan = self.environment.soak_plan
        self.number = self.plan.number()
        address = f"127.0.{1 + self.number // 250}.{1 + self.number % 250}"
        self.client.mount("http://", SourceAddress(address))
        self.client.headers.update({"Origin": self.host, "Sec-Fetch-Site": "same-origin",
                                    "Referer": f"{self.host}/", "User-Agent": "Mozilla/5.0 (soak) Locust"})

    def call(self, method, path, kind, ok=(200,), refusals=(), **kwargs):
        """One request of this kind. Returns the response, with .refusal "" or the expected refusal's label
        ([(status, pattern, label)] matched against the body); anything else is a failure and ends the task."""
        kwargs.setdefault("timeout", TIMEOUT)
        with self.client.request(method, path, name=kind, catch_response=True, **kwargs) as response:
            response.refusal = next((label for status, pattern, label in refusals
                                     if response.status_code == status and pattern.search(response.text)), "")
            if response.status_code in ok:
                response.success()
            elif response.refusal:
                response.request_meta["name"] = f"{kind}: {response.refusal}"
                response.success()
            else:
                response.failure(f"{response.status_code} {response.error or response.text[:200]!r}")
        if response.status_code not in ok and not response.refusal:
            raise RescheduleTask()
        return response

    def get(self, path, kind, **kwargs):
        return self.call("GET", path, kind, **kwargs)

    def fresh_visit(self):
        """A new visitor on the same computer: no cookies (no session, no cart)."""
        self.client.cookies.clear()

    def log_in(self, email):
        page = self.get("/account/login", "login page")
        response = self.call("POST", "/account/login", "login", data={
            "csrf_token": hidden(page.text, "csrf_token"), "email": email, "password": self.plan.password})
        if "/account/login" in response.url:
            response.failure("login refused")
            raise RescheduleTask()

    def tokenize(self, number):
        """What Stripe.js does in the browser: card details to a PaymentMethod id, with the publishable key."""
        response = self.call("POST", f"{self.plan.stripe_base}/v1/tokens", "stripe tokenize", data={
            "key": PUBLISHABLE_KEY, "card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2030",
            "card[cvc]": "123"})
        return response.json()["card"]["id"]

    def pass_3ds(self, client_secret):
        """The 3-D Secure challenge passed, as the Stripe.js stand-in asks localstripe to; the intent's id."""
        intent_id = client_secret.split("_secret")[0]
        self.call("POST", f"{self.plan.stripe_base}/v1/payment_intents/{intent_id}/_authenticate?success=true",
                  "stripe 3ds", data={"key": PUBLISHABLE_KEY, "client_secret": client_secret})
        return intent_id

    def product_page(self, slug):
        return self.get(f"/products/{slug}", "product")

    def add_to_cart(self, slug, quantity=1):
        """The product page, then Add to cart; False if it was refused (sold out)."""
        page = self.product_page(slug)
        if 'action="/cart/add"' not in page.text:  # sold out: the page shows no Add to cart button to press
            return False
        response = self.call("POST", "/cart/add", "cart add", data={
            "csrf_token": hidden(page.text, "csrf_token"), "product_id": self.plan.products[slug],
            "quantity": quantity}, refusals=[(409, SOLD_OUT, "sold out"), (409, OVERLAPS, "already in the cart")])
        return not response.refusal

    def enter_code(self, code, page):
        """A promo code entered on the cart (as checkout.js posts it); True if applied."""
        response = self.call("POST", "/cart/code", "cart code", headers={"Accept": "application/json"},
                             refusals=[(422, CODE_GONE, "code used up"), (422, UNKNOWN_CODE, "code unknown"),
                                       (429, TOO_MANY_CODES, "too many codes tried")],
                             data={"csrf_token": hidden(page.text, "csrf_token"), "code": code})
        return not response.refusal


class Browser(ShopUser):
    weight = 10
    wait_time = between(2, 8)

    @task(3)
    def home(self):
        self.get("/", "home")

    @task(2)
    def catalogue(self):
        self.get("/catalogue", "catalogue")

    @task(5)
    def product(self):
        self.product_page(random.choice(list(self.plan.products)))

    @task(2)
    def search(self):
        self.get(f"/search?q={random.choice(self.plan.search_words)}", "search")

    @task(1)
    def offers(self):
        self.get("/offers", "offers")


class CartUser(ShopUser):
    weight = 4
    wait_time = between(3, 10)

    @task
    def shop_around(self):
        self.fresh_visit()
        self.get("/", "home")
        for slug in random.sample(list(self.plan.products), 2):
            self.add_to_cart(slug, random.choice((1, 1, 2)) if slug == self.plan.book else 1)
        cart = self.get("/cart", "cart")
        if "product_id" not in cart.text:  # both sold out
            return
        self.enter_code(self.pick_code(), cart)
        cart = self.get("/cart", "cart")
        lines = {tag["value"] for tag in inputs(cart.text) if tag.get("name") == "product_id"}
        book = str(self.plan.products[self.plan.book])
        if book in lines and random.random() < 0.5:  # a few more copies of the book (courses are one each)
            self.call("POST", "/cart/update", "cart update", refusals=[(409, SOLD_OUT, "sold out")], data={
                "csrf_token": hidden(cart.text, "csrf_token"), "product_id": book, "quantity": 3})
        elif product_id := next(iter(lines), None):
            self.call("POST", "/cart/remove", "cart remove", data={
                "csrf_token": hidden(cart.text, "csrf_token"), "product_id": product_id})

    def pick_code(self):
        roll = random.random()
        if roll < 0.3:
            return self.plan.limited_code
        if roll < 0.55:
            return self.plan.single_code() or self.plan.limited_code
        if roll < 0.7:
            return self.plan.used_code() or "READER10"
        return "READER10" if roll < 0.9 else "READER1O"  # a mistyped one too


class Buyer(ShopUser):
    """Paced (see soak.py's docstring): every purchase leaves several objects at localstripe."""

    weight = 4
    wait_time = between(25, 50)

    def on_start(self):
        super().on_start()
        gevent.sleep(random.uniform(0, 20))  # not every buyer at the first second
        self.purchases = 0

    @task
    def buy(self):
        self.fresh_visit()
        self.purchases += 1
        slug = random.choices([self.plan.book, *self.plan.courses, *self.plan.combos],
                              weights=[6 * len(self.plan.courses)] + [5] * len(self.plan.courses)
                              + [2] * len(self.plan.combos))[0]
        if not self.add_to_cart(slug):
            return
        code = self.pick_code()
        if code:
            self.enter_code(code, self.get("/cart", "cart"))
        page = self.get("/checkout", "checkout page")
        form = {"csrf_token": hidden(page.text, "csrf_token"), "checkout_token": hidden(page.text, "checkout_token"),
                "email": f"soak-{self.number}-{self.purchases}@example.com", "full_name": f"Soak Buyer {self.number}",
                "shipping_method": "us-media-mail", **ADDRESS}
        card = random.choices([CARD_OK, CARD_DECLINED, CARD_3DS], weights=[80, 10, 10])[0]
        form["payment_method_id"] = self.tokenize(card)
        answer = self.double_click(form) if random.random() < 0.03 else self.place(form)
        if answer.get("status") == "declined" and random.random() < 0.5:  # the customer tries another card
            answer = self.place({**form, "payment_method_id": self.tokenize(CARD_OK)})
        self.finish(answer, form["csrf_token"])

    def pick_code(self):
        roll = random.random()
        if roll < 0.2:
            return self.plan.limited_code
        if roll < 0.4:
            return self.plan.single_code()
        if roll < 0.45:
            return self.plan.used_code()  # a code another customer may be using right now
        return None

    def place(self, form, kind="checkout place"):
        response = self.call("POST", "/checkout/place", kind, ok=(200, 202), headers={"Accept": "application/json"},
                             data=form,
                             refusals=[(402, ANYTHING, "declined"), (409, SOLD_OUT, "sold out"),
                                       (409, CODE_GONE, "promotion used up")])
        return json_of(response)

    def double_click(self, form):
        """Two places of one checkout at once, as a double click past the page's guard would send them."""
        clicks = [gevent.spawn(self.click, form) for _ in range(2)]
        gevent.joinall(clicks)
        answers = [click.value or {} for click in clicks]
        return max(answers, key=lambda answer: (answer.get("status") == "paid", bool(answer)))

    def click(self, form):
        try:
            return self.place(form, "checkout place (double click)")
        except RescheduleTask:  # a failed click, already counted: the other one may have placed the order
            return {}

    def finish(self, answer, csrf):
        if answer.get("status") == "requires_action":
            intent_id = self.pass_3ds(answer["client_secret"])
            response = self.call("POST", answer["confirm_url"], "checkout confirm",
                                 headers={"Accept": "application/json"},
                                 data={"csrf_token": csrf, "payment_intent": intent_id})
            answer = json_of(response)
        if answer.get("status") in ("paid", "pending"):
            self.get(answer["redirect"], "thanks")


class Learner(ShopUser):
    weight = 2
    wait_time = between(5, 15)

    def on_start(self):
        super().on_start()
        self.log_in(self.plan.learners[self.number % len(self.plan.learners)])
        self.course = f"/my/courses/{self.plan.learner_course}"

    @task(3)
    def study(self):
        page = self.get(f"{self.course}/continue", "course continue")
        if "/lessons/" in page.url:
            self.call("POST", f"{page.url}/complete", "lesson complete",
                      data={"csrf_token": hidden(page.text, "csrf_token")})
        elif page.url.endswith("/exam"):
            self.take_exam(page)

    @task(1)
    def reread(self):
        page = self.get(self.course, "course page")
        lessons = re.findall(rf'href="({re.escape(self.course)}/lessons/\d+)"', page.text)
        if lessons:
            self.get(random.choice(lessons), "lesson")

    def take_exam(self, page):
        attempt = self.call("POST", f"{self.course}/exam", "exam start",
                            data={"csrf_token": hidden(page.text, "csrf_token")})
        if "/exam/" not in attempt.url:  # refused (passed already, or no attempts left): the page says why
            return
        answers = {}
        for tag in inputs(attempt.text):
            if re.fullmatch(r"q\d+", tag.get("name", "")) and (tag["name"] not in answers or random.random() < 0.3):
                answers[tag["name"]] = tag.get("value", "")
        self.call("POST", attempt.url, "exam submit", data={"csrf_token": hidden(attempt.text, "csrf_token"),
                                                              **answers})


class Staff(ShopUser):
    weight = 1
    wait_time = between(15, 30)
    desk = "/backoffice/phone"

    def on_start(self):
        super().on_start()
        self.log_in(self.plan.staff[self.number % len(self.plan.staff)])

    @task
    def phone_order(self):
        page = self.get(f"{self.desk}/new", "phone desk")
        token = hidden(page.text, "csrf_token")
        found = self.get(f"{self.desk}/new?q={random.choice(self.plan.callers)}", "phone find caller")
        key = hidden(found.text, "key")
        if not key:
            found.failure("the phone desk found no caller")
            raise RescheduleTask()
        draft_page = self.call("POST", f"{self.desk}/draft/caller", "phone caller",
                               data={"csrf_token": token, "draft": "", "key": key})
        draft = re.search(r"draft=(phone-[0-9a-f]+)", draft_page.url)
        if draft is None:
            draft_page.failure("no draft after choosing the caller")
            raise RescheduleTask()
        fields = {"csrf_token": token, "draft": draft[1]}
        sku = random.choice(self.plan.phone_skus)
        added = self.call("POST", f"{self.desk}/draft/items", "phone add item", data={**fields, "item": sku,
                                                                                       "quantity": 1},
                          refusals=[(409, SOLD_OUT, "sold out"), (422, SOLD_OUT, "sold out"),
                                    (422, OWNED, "caller owns it")])
        if added.refusal:
            self.call("POST", f"{self.desk}/draft/discard", "phone discard", data=fields)
            return
        card = CARD_DECLINED if random.random() < 0.1 else CARD_OK
        answer = self.place(fields, card)
        if answer.get("status") == "declined":
            answer = self.place(fields, CARD_OK)
        if answer.get("status") == "paid":
            self.get(answer["redirect"], "phone order page")

    def place(self, fields, card):
        data = {**fields, **PHONE_DETAILS, "shipping_method": "us-media-mail", "payment": "card",
                "payment_method_id": self.tokenize(card)}
        response = self.call("POST", f"{self.desk}/draft/place", "phone place",
                             headers={"Accept": "application/json"}, data=data,
                             refusals=[(402, ANYTHING, "declined")])
        return json_of(response)
