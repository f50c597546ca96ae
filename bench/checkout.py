"""Checkout latency: place order to paid, sequential or concurrent buyers, against a local Stripe-compatible server.

Builds a fresh database (migrate, seed-demo with shipping methods; the book's stock set to 10^9),
starts localstripe, serves the shop with gunicorn (2 sync workers, production settings), registers
the shop's webhook, then runs --orders buyers, one after the other (the default) or --concurrency N at
a time (N threads), each buyer with its own requests.Session: add the item to the cart, GET /checkout,
tokenize the card as Stripe.js would (not timed), and time POST /checkout/place until its JSON answers
"paid". After every few buyers the buyer's thread times a bare stripe.PaymentIntent.create(confirm=True)
against the same localstripe as a baseline (so under --concurrency it runs amid the other buyers): the
part of "place" that is the processor's. gunicorn's access log gives the server-side time of each
request, the webhook deliveries included; bench/stripe_timing.py (gunicorn hooks) measures in the
workers how long each request waited for localstripe, so "shop's own" = server time minus that wait.
Prints p50/p95/p99/max, first-50 vs last-50 p95 (localstripe pickles its whole state after every POST,
so it slows as objects pile up), the workers' resident memory, and checks the database and localstripe:
one order per buyer's e-mail, paid, charged once (succeeded payments per e-mail in the database,
succeeded PaymentIntents per buyer at localstripe). Exits 1 if an order is missing, unpaid, duplicated or
charged twice, or a target is missed (--no-fail to report only): the shop's own place time p95 < 100 ms,
and, sequential runs only, the client's place p95 < 300 ms.

    .venv/bin/python bench/checkout.py [--backend sqlite|postgresql] [--orders 200] [--concurrency 1]
                                       [--item book|course] [--baseline-every 4] [--workers 2]
                                       [--target-p95 300] [--target-own-p95 100]
"""

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter

import stripe
from common import BOOK_SLUG, ROOT, Database, Server, browser, handle_signals, percentile, rss_line, shop_env

sys.path.insert(0, str(ROOT))
from shop.payments import local_server  # noqa: E402
from tests.support.checkout_helpers import ADDRESS  # noqa: E402
from tests.support.forms import csrf_token, soup  # noqa: E402
from tests.support.stripe_server import card_payment_method  # noqa: E402

COURSE_SLUG = "myofascial-release-principles"  # online only: no shipping
ACCESS_FORMAT = "ACCESS %(m)s %(U)s %(s)s %(M)s"  # method, path, status, milliseconds
TIMING_CONFIG = ROOT / "bench" / "stripe_timing.py"  # gunicorn hooks: each request's wait for localstripe
PLACE = "POST /checkout/place 200"


def checkout_token(html):
    tag = soup(html).find("input", attrs={"name": "checkout_token", "value": True})
    if tag is None or not tag["value"]:
        raise RuntimeError("no checkout_token on the checkout page")
    return tag["value"]


class Timer:
    """Client-side times by step, from any number of buyer threads."""

    def __init__(self):
        self.samples = {}
        self.lock = threading.Lock()

    def time(self, name, func, *args, **kwargs):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.samples.setdefault(name, []).append(elapsed)
        return result


def buy(shop, api_base, product, number, timer, item):
    """One buyer, start to paid; returns the order number."""
    visitor = browser(shop)
    email = f"buyer{number:05d}@example.com"
    page = timer.time("product page GET", visitor.get, f"{shop}/products/{product['slug']}", timeout=30)
    response = timer.time("cart add POST+GET", visitor.post, f"{shop}/cart/add", timeout=30, data={
        "csrf_token": csrf_token(page.text), "product_id": product["id"], "quantity": 1})
    if response.status_code != 200 or "/cart" not in response.url:
        raise RuntimeError(f"buyer {number}: add to cart answered {response.status_code}: {response.text[:300]}")
    page = timer.time("checkout page GET", visitor.get, f"{shop}/checkout", timeout=30)
    form = {"csrf_token": csrf_token(page.text), "checkout_token": checkout_token(page.text)}
    card = timer.time("tokenize (localstripe)", card_payment_method, api_base)
    data = {**form, "email": email, "full_name": f"Pat Buyer {number}", "payment_method_id": card}
    if item == "book":
        data.update(ADDRESS, shipping_method="us-media-mail")
    response = timer.time("place order POST", visitor.post, f"{shop}/checkout/place", data=data,
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


def _normal(path):
    return re.sub(r"/orders/[^/]+/", "/orders/<n>/", path)


def server_times(log_path, offset):
    """{"method path status": [ms]} from gunicorn's access log, from byte `offset` on (after the warm-up)."""
    times = {}
    with open(log_path, "rb") as log:
        log.seek(offset)
        for line in log.read().decode(errors="replace").splitlines():
            if line.startswith("ACCESS "):
                _, method, path, status, millis = line.split()
                times.setdefault(f"{method} {_normal(path)} {status}", []).append(float(millis))
    return times


def worker_times(log_path, offset):
    """{"method path status": [(ms in the worker, ms waiting for localstripe, stripe calls, CPU ms)]} from
    the lines bench/stripe_timing.py wrote, from byte `offset` on."""
    times = {}
    with open(log_path, "rb") as log:
        log.seek(offset)
        for line in log.read().decode(errors="replace").splitlines():
            if line.startswith("TIMING "):
                _, method, path, status, total, waited, calls, cpu = line.split()
                times.setdefault(f"{method} {_normal(path)} {status}", []).append(
                    (float(total), float(waited), int(calls), float(cpu)))
    return times


def size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


def row(name, values, target=None):
    p95 = percentile(values, 95)
    verdict = "" if target is None else f"  target p95 < {target:.0f} ms: " + ("ok" if p95 < target else "MISS")
    return (f"{name:<48}{len(values):>5}{percentile(values, 50):9.1f}{p95:9.1f}{percentile(values, 99):9.1f}"
            f"{max(values):9.1f}{verdict}")


def drift(name, values, window=50):
    if len(values) < 2 * window:
        window = max(1, len(values) // 2)
    first, last = values[:window], values[-window:]
    return (f"{name:<48} first {window}: p95 {percentile(first, 95):7.1f} ms   "
            f"last {window}: p95 {percentile(last, 95):7.1f} ms   "
            f"(p50 {percentile(first, 50):.1f} -> {percentile(last, 50):.1f})")


def run_buyers(args, shop, api_base, product, timer):
    """--orders buyers, --concurrency at a time (1: one after the other); returns their order numbers.
    The first failure stops every thread and is raised; Ctrl-C or SIGTERM interrupts the wait."""
    pending = iter(range(1, args.orders + 1))
    numbers, errors = [], []
    lock, stop = threading.Lock(), threading.Event()
    started = time.monotonic()

    def buyer():
        while not stop.is_set():
            with lock:
                number = next(pending, None)
            if number is None:
                return
            try:
                order = buy(shop, api_base, product, number, timer, args.item)
                if args.baseline_every and number % args.baseline_every == 0:
                    bare_intent(api_base, number, timer)
            except Exception as error:  # noqa: BLE001 (any failure of any buyer ends the run, reported below)
                errors.append(error if isinstance(error, RuntimeError) else RuntimeError(f"buyer {number}: "
                                                                                         f"{error!r}"))
                stop.set()
                return
            with lock:
                numbers.append(order)
                done = len(numbers)
            if done % 50 == 0:
                print(f"  {done} orders paid ({time.monotonic() - started:.0f} s)", file=sys.stderr)

    threads = [threading.Thread(target=buyer, name=f"buyer-{n}", daemon=True) for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        stop.set()  # on Ctrl-C the threads stop after their current step; the shop is stopped under them
    if errors:
        raise errors[0]
    return numbers


def check_orders(db, numbers):
    """What the database and localstripe hold for the buyers (e-mails buyer0NNNN@): orders, payments, charges."""
    buyers = "o.email LIKE 'buyer0%'"
    counts = {
        "paid": db.scalar(f"SELECT count(*) FROM orders o WHERE status = 'paid' AND {buyers}"),
        "distinct": len(set(numbers)),
        "paid events": db.scalar("SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id "
                                 f"WHERE e.kind = 'paid' AND {buyers}"),
        "webhook events": db.scalar("SELECT count(*) FROM processed_events"),
        "orders": db.scalar(f"SELECT count(*) FROM orders o WHERE {buyers}"),
        "buyers with an order": db.scalar(f"SELECT count(DISTINCT email) FROM orders o WHERE {buyers}"),
        "duplicate orders": db.rows(f"SELECT email, count(*) FROM orders o WHERE {buyers} GROUP BY email "
                                    "HAVING count(*) > 1 ORDER BY email"),
        "payments": db.scalar("SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id "
                              f"WHERE p.status = 'succeeded' AND {buyers}"),
        "charged twice (db)": db.rows("SELECT o.email, count(*) FROM payments p JOIN orders o ON o.id = p.order_id "
                                      f"WHERE p.status = 'succeeded' AND {buyers} GROUP BY o.email "
                                      "HAVING count(*) > 1 ORDER BY o.email"),
    }
    email_of = dict(db.rows(f"SELECT number, email FROM orders o WHERE {buyers} AND number IS NOT NULL"))
    charges = Counter()  # succeeded PaymentIntents at localstripe per buyer's e-mail, by the order number sent
    for intent in stripe.PaymentIntent.list(limit=100).auto_paging_iter():
        intent = intent.to_dict()
        number = (intent.get("metadata") or {}).get("order_number")
        if intent.get("status") == "succeeded" and number in email_of:
            charges[email_of[number]] += 1
    counts["charges"] = sum(charges.values())
    counts["charged twice (localstripe)"] = sorted((email, n) for email, n in charges.items() if n > 1)
    return counts


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
        access_log, timing_log = f"{tmp}/access.log", f"{tmp}/timing.log"
        env["BENCH_TIMING_LOG"] = timing_log
        shop = Server("shop", "wsgi:app", tmp, workers=args.workers, env=env,
                      extra_args=["--access-logfile", access_log, "--access-logformat", ACCESS_FORMAT,
                                  "-c", str(TIMING_CONFIG)])
        shop.wait_ready()
        local_server.register_webhook(api_base, f"{shop.base}/stripe/webhook", local_server.DEV_WEBHOOK_SECRET)
        stripe.api_key, stripe.api_base = local_server.DEV_SECRET_KEY, api_base

        timer = Timer()
        for number in range(1, args.warmup + 1):  # each worker imports and renders once; not counted
            buy(shop.base, api_base, product, 90000 + number, Timer(), args.item)
        time.sleep(1.5)  # the warm-up orders' webhooks arrive a second later: keep them out of the figures
        offsets = size(access_log), size(timing_log)
        numbers = run_buyers(args, shop.base, api_base, product, timer)
        time.sleep(3)  # localstripe sends its events a second after each call: let the last ones land
        rss = rss_line(shop)
        counts = check_orders(db, numbers)
        return (timer.samples, server_times(access_log, offsets[0]), worker_times(timing_log, offsets[1]),
                counts, rss)
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
    parser.add_argument("--concurrency", type=int, default=1,
                        help="buyers at a time, each in its own thread (1: one after the other)")
    parser.add_argument("--target-p95", type=float, default=300.0,
                        help="client-side place p95 target in ms (sequential runs only)")
    parser.add_argument("--target-own-p95", type=float, default=100.0,
                        help="the shop's own place time p95 target in ms: server time minus waiting for localstripe")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even if a target is missed")
    args = parser.parse_args()
    if args.concurrency < 1 or args.orders < args.concurrency:
        parser.error("--concurrency must be from 1 to --orders")
    handle_signals()
    print(f"{args.backend}: building the database, starting localstripe and the shop...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix=f"bench-checkout-{args.backend}-") as tmp:
        try:
            samples, server, workers, counts, rss = bench(args, tmp)
        except (RuntimeError, stripe.StripeError) as error:
            sys.exit(f"{args.backend}: {error}")
    if not workers.get(PLACE):
        sys.exit(f"{args.backend}: no {PLACE} lines from bench/stripe_timing.py: the gunicorn hooks did not run")
    sys.exit(1 if report(args, samples, server, workers, counts, rss) else 0)


def report(args, samples, server, workers, counts, rss):
    """Print the tables; True if the run failed (an order wrong, or a target missed without --no-fail)."""
    sequential = args.concurrency == 1
    place = samples["place order POST"]
    mode = "sequential buyers" if sequential else f"buyers, {args.concurrency} at a time (one thread each)"
    print(f"\n{args.backend}: {args.orders} {mode} of the {args.item}, gunicorn {args.workers} sync workers, "
          "localstripe; times in ms")
    print(f"{'client side (requests)':<48}{'n':>5}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    for name, values in samples.items():
        print(row(name, values, args.target_p95 if name == "place order POST" and sequential else None))
    if "bare PaymentIntent.create" in samples:
        print(f"  (the bare PaymentIntent.create: timed after every {args.baseline_every}th buyer "
              + ("by the bench, between buyers)" if sequential else
                 f"in the buyer's thread, amid the other {args.concurrency - 1} buyers)"))
    if not sequential:
        print(f"  (client times include queueing behind the other buyers for the {args.workers} workers; the "
              f"client target, p95 < {args.target_p95:.0f} ms, applies to sequential runs only)")
    print("server side (gunicorn access log)")
    for name in (PLACE, "GET /checkout 200", "POST /cart/add 303", "POST /stripe/webhook 200"):
        if server.get(name):
            print(row("  " + name, server[name]))
    print("in the workers (bench/stripe_timing.py): shop's own = time in the worker - waiting for localstripe")
    own_place = None
    for name, label in ((PLACE, "place"), ("POST /stripe/webhook 200", "webhook")):
        lines = workers.get(name)
        if not lines:
            continue
        own = [total - waited for total, waited, _, _ in lines]
        calls = sum(line[2] for line in lines) / len(lines)
        if calls:
            print(row(f"  {label}: time in the worker", [line[0] for line in lines]))
            print(row(f"  {label}: waiting for localstripe ({calls:.1f} calls)", [line[1] for line in lines]))
        print(row(f"  {label}: shop's own" + ("" if calls else " (no localstripe calls)"), own,
                  args.target_own_p95 if name == PLACE else None))
        print(row(f"  {label}: of which CPU in the worker", [line[3] for line in lines]))
        if name == PLACE:
            own_place = own
    print("drift (localstripe's pickle grows with every object):")
    print(drift("  place order POST", place))
    print(drift("  tokenize (localstripe)", samples["tokenize (localstripe)"]))
    if "bare PaymentIntent.create" in samples:
        print(drift("  bare PaymentIntent.create", samples["bare PaymentIntent.create"], window=12))
    print(rss)
    print(f"paid orders in the database: {counts['paid']} of {args.orders} "
          f"({counts['distinct']} distinct order numbers; {counts['paid events']} 'paid' order events; "
          f"{counts['webhook events']} webhook events processed)")
    print(f"orders per buyer: {counts['orders']} orders for {counts['buyers with an order']} of {args.orders} buyers' "
          f"e-mails; succeeded payments: {counts['payments']} in the database, {counts['charges']} PaymentIntents "
          "at localstripe")
    problems = []
    if counts["paid"] != args.orders or counts["distinct"] != args.orders:
        problems.append("not every buyer ended with exactly one paid order")
    if counts["orders"] != args.orders or counts["buyers with an order"] != args.orders:
        problems.append(f"{counts['orders']} orders for {counts['buyers with an order']} buyers, not one each")
    for key, what in (("duplicate orders", "orders"), ("charged twice (db)", "succeeded payments in the database"),
                      ("charged twice (localstripe)", "succeeded PaymentIntents at localstripe")):
        if counts[key]:
            shown = ", ".join(f"{email} x{n}" for email, n in counts[key][:5])
            problems.append(f"{len(counts[key])} buyers with several {what}: {shown}")
    if counts["payments"] != args.orders or counts["charges"] != args.orders:
        problems.append(f"{counts['payments']} succeeded payments and {counts['charges']} charges at localstripe "
                        f"for {args.orders} buyers")
    for problem in problems:
        print(f"FAIL: {problem}")
    failed = bool(problems)
    if sequential and percentile(place, 95) >= args.target_p95:
        print(f"MISS: place order p95 {percentile(place, 95):.0f} ms >= {args.target_p95:.0f} ms")
        failed = failed or not args.no_fail
    if percentile(own_place, 95) >= args.target_own_p95:
        print(f"MISS: the shop's own place time p95 {percentile(own_place, 95):.0f} ms >= "
              f"{args.target_own_p95:.0f} ms")
        failed = failed or not args.no_fail
    return failed


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
