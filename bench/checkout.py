"""Checkout latency: place order to paid, over sequential buyers, against a local Stripe-compatible server.

Builds a fresh database (migrate, seed-demo with shipping methods; the book's stock set to 10^9),
starts localstripe, serves the shop with gunicorn (2 sync workers, production settings), registers
the shop's webhook, then runs the buyers one after the other, each with its own requests.Session:
add the item to the cart, GET /checkout, tokenize the card as Stripe.js would (not timed), and time
POST /checkout/place until its JSON answers "paid". Every few buyers a bare
stripe.PaymentIntent.create(confirm=True) against the same localstripe is timed as a baseline: the
part of "place" that is the processor's. gunicorn's access log gives the server-side time of each
request, the webhook deliveries included. Prints p50/p95/p99/max, first-50 vs last-50 p95 (localstripe
pickles its whole state after every POST, so it slows as objects pile up) and the paid orders found
in the database. Exits 1 if an order was not paid or the p95 target is missed (--no-fail to report only).

    .venv/bin/python bench/checkout.py [--backend sqlite|postgresql] [--orders 200] [--item book|course]
                                       [--baseline-every 4] [--workers 2] [--target-p95 300]
"""

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import requests
import stripe
from common import BOOK_SLUG, ROOT, Database, Server, handle_signals, percentile, shop_env

sys.path.insert(0, str(ROOT))
from shop.payments import local_server  # noqa: E402
from tests.support.checkout_helpers import ADDRESS  # noqa: E402
from tests.support.forms import csrf_token, soup  # noqa: E402
from tests.support.stripe_server import card_payment_method  # noqa: E402

COURSE_SLUG = "myofascial-release-principles"  # online only: no shipping
ACCESS_FORMAT = "ACCESS %(m)s %(U)s %(s)s %(M)s"  # method, path, status, milliseconds


def checkout_token(html):
    tag = soup(html).find("input", attrs={"name": "checkout_token", "value": True})
    if tag is None or not tag["value"]:
        raise RuntimeError("no checkout_token on the checkout page")
    return tag["value"]


class Timer:
    def __init__(self):
        self.samples = {}

    def time(self, name, func, *args, **kwargs):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        self.samples.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        return result


def buy(shop, api_base, product, number, timer, item):
    """One buyer, start to paid; returns the order number."""
    browser = requests.Session()
    email = f"buyer{number:05d}@example.com"
    page = timer.time("product page GET", browser.get, f"{shop}/products/{product['slug']}", timeout=30)
    response = timer.time("cart add POST+GET", browser.post, f"{shop}/cart/add", timeout=30, data={
        "csrf_token": csrf_token(page.text), "product_id": product["id"], "quantity": 1})
    if response.status_code != 200 or "/cart" not in response.url:
        raise RuntimeError(f"buyer {number}: add to cart answered {response.status_code}: {response.text[:300]}")
    page = timer.time("checkout page GET", browser.get, f"{shop}/checkout", timeout=30)
    form = {"csrf_token": csrf_token(page.text), "checkout_token": checkout_token(page.text)}
    card = timer.time("tokenize (localstripe)", card_payment_method, api_base)
    data = {**form, "email": email, "full_name": f"Pat Buyer {number}", "payment_method_id": card}
    if item == "book":
        data.update(ADDRESS, shipping_method="us-media-mail")
    response = timer.time("place order POST", browser.post, f"{shop}/checkout/place", data=data,
                          headers={"Accept": "application/json"}, timeout=60)
    answer = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
    if answer.get("status") != "paid":
        raise RuntimeError(f"buyer {number}: place answered {response.status_code}: {response.text[:300]}")
    return answer["redirect"].rstrip("/").split("/")[-2]


def bare_intent(api_base, number, timer):
    """What the shop's create_and_confirm costs at the processor, without the shop around it."""
    card = card_payment_method(api_base)
    timer.time("bare PaymentIntent.create", stripe.PaymentIntent.create, amount=5595, currency="usd",
               payment_method=card, payment_method_types=["card"], confirm=True,
               metadata={"bench": str(number)}, idempotency_key=f"bench-baseline-{number}")


def server_times(log_path):
    """{(method, path pattern): [ms]} from gunicorn's access log."""
    times = {}
    for line in Path(log_path).read_text(errors="replace").splitlines():
        if line.startswith("ACCESS "):
            _, method, path, status, millis = line.split()
            path = re.sub(r"/orders/[^/]+/", "/orders/<n>/", path)
            times.setdefault(f"{method} {path} {status}", []).append(float(millis))
    return times


def row(name, values, target=None):
    p95 = percentile(values, 95)
    verdict = "" if target is None else f"  target p95 < {target:.0f} ms: " + ("ok" if p95 < target else "MISS")
    return (f"{name:<32}{len(values):>5}{percentile(values, 50):9.1f}{p95:9.1f}{percentile(values, 99):9.1f}"
            f"{max(values):9.1f}{verdict}")


def drift(name, values, window=50):
    if len(values) < 2 * window:
        window = max(1, len(values) // 2)
    first, last = values[:window], values[-window:]
    return (f"{name:<32} first {window}: p95 {percentile(first, 95):7.1f} ms   "
            f"last {window}: p95 {percentile(last, 95):7.1f} ms   "
            f"(p50 {percentile(first, 50):.1f} -> {percentile(last, 50):.1f})")


def bench(args, tmp):
    db = Database(args.backend, tmp, "checkout")
    stripe_process = shop = None
    try:
        book_id = db.scalar("SELECT id FROM products WHERE slug = :slug", slug=BOOK_SLUG)
        db.execute("UPDATE products SET stock = :n WHERE id = :id", n=10**9, id=book_id)
        slug = BOOK_SLUG if args.item == "book" else COURSE_SLUG
        product = {"slug": slug, "id": db.scalar("SELECT id FROM products WHERE slug = :slug", slug=slug)}

        stripe_port = local_server.free_port()
        stripe_process = local_server.start(stripe_port, log_path=f"{tmp}/localstripe.log")
        api_base = f"http://127.0.0.1:{stripe_port}"
        env = shop_env(db, STRIPE_SECRET_KEY=local_server.DEV_SECRET_KEY,
                       STRIPE_PUBLISHABLE_KEY=local_server.DEV_PUBLISHABLE_KEY,
                       STRIPE_WEBHOOK_SECRET=local_server.DEV_WEBHOOK_SECRET, STRIPE_API_BASE=api_base,
                       STRIPE_JS_API_BASE=api_base)
        access_log = f"{tmp}/access.log"
        shop = Server("shop", "wsgi:app", tmp, workers=args.workers, env=env,
                      extra_args=["--access-logfile", access_log, "--access-logformat", ACCESS_FORMAT])
        shop.wait_ready()
        local_server.register_webhook(api_base, f"{shop.base}/stripe/webhook", local_server.DEV_WEBHOOK_SECRET)
        stripe.api_key, stripe.api_base = local_server.DEV_SECRET_KEY, api_base

        timer = Timer()
        for number in range(1, args.warmup + 1):  # each worker imports and renders once; not counted
            buy(shop.base, api_base, product, 90000 + number, Timer(), args.item)
        numbers = []
        started = time.monotonic()
        for number in range(1, args.orders + 1):
            numbers.append(buy(shop.base, api_base, product, number, timer, args.item))
            if args.baseline_every and number % args.baseline_every == 0:
                bare_intent(api_base, number, timer)
            if number % 50 == 0:
                print(f"  {number} orders paid ({time.monotonic() - started:.0f} s)", file=sys.stderr)
        time.sleep(3)  # localstripe sends its events a second after each call: let the last ones land
        paid = db.scalar("SELECT count(*) FROM orders WHERE status = 'paid' AND email LIKE 'buyer0%'")
        webhooks_paid = db.scalar("SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id "
                                  "WHERE e.kind = 'paid' AND o.email LIKE 'buyer0%'")
        events = db.scalar("SELECT count(*) FROM processed_events")
        return timer.samples, server_times(access_log), {"paid": paid, "distinct": len(set(numbers)),
                                                          "paid events": webhooks_paid, "webhook events": events}
    finally:
        if shop:
            shop.stop()
        if stripe_process:
            stripe_process.terminate()
            stripe_process.wait(10)
        db.drop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--item", choices=["book", "course"], default="book",
                        help="book: shipped, stock 10^9; course: online, a distinct e-mail per buyer")
    parser.add_argument("--baseline-every", type=int, default=4,
                        help="time a bare PaymentIntent.create after every Nth buyer (0: never)")
    parser.add_argument("--warmup", type=int, default=4, help="untimed buyers first")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--target-p95", type=float, default=300.0)
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even if the target is missed")
    args = parser.parse_args()
    handle_signals()
    print(f"{args.backend}: building the database, starting localstripe and the shop...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix=f"bench-checkout-{args.backend}-") as tmp:
        try:
            samples, server, counts = bench(args, tmp)
        except RuntimeError as error:
            sys.exit(f"{args.backend}: {error}")

    place = samples["place order POST"]
    print(f"\n{args.backend}: {args.orders} sequential buyers of the {args.item}, gunicorn {args.workers} sync "
          f"workers, localstripe; times in ms")
    print(f"{'client side (requests)':<32}{'n':>5}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    for name, values in samples.items():
        print(row(name, values, args.target_p95 if name == "place order POST" else None))
    print(f"{'server side (gunicorn log)':<32}")
    for name in ("POST /checkout/place 200", "GET /checkout 200", "POST /cart/add 303", "POST /stripe/webhook 200"):
        if server.get(name):
            print(row("  " + name, server[name][args.warmup:] if "webhook" not in name else server[name]))
    print("drift (localstripe's pickle grows with every object):")
    print(drift("  place order POST", place))
    print(drift("  tokenize (localstripe)", samples["tokenize (localstripe)"]))
    if "bare PaymentIntent.create" in samples:
        print(drift("  bare PaymentIntent.create", samples["bare PaymentIntent.create"], window=12))
    print(f"paid orders in the database: {counts['paid']} of {args.orders} "
          f"({counts['distinct']} distinct order numbers; {counts['paid events']} 'paid' order events; "
          f"{counts['webhook events']} webhook events processed)")
    failed = counts["paid"] != args.orders or counts["distinct"] != args.orders
    if failed:
        print("FAIL: not every buyer ended with exactly one paid order")
    if percentile(place, 95) >= args.target_p95:
        print(f"MISS: place order p95 {percentile(place, 95):.0f} ms >= {args.target_p95:.0f} ms")
        failed = failed or not args.no_fail
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
