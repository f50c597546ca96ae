"""The order desk's list with 100,000 orders on PostgreSQL: p50/p95/p99 unfiltered, filtered and searched.

Builds a fresh PostgreSQL database (migrate, seed-demo), COPYs N orders (default 100,000) with their
lines, some promotion redemptions and a few staff members into it, ANALYZEs, serves the shop with
gunicorn (production settings, 2 sync workers), logs a staff member in (the session cookie goes to
wrk) and loads each list URL with wrk. Every request of a searched or filtered kind picks one of
many prepared URLs at random, so no query repeats itself into a cache. Kinds are loaded round-robin,
several rounds; each kind's best round (lowest p95: the one least disturbed by other work on the
machine) is printed with its req/s and latency percentiles, and the worst round's p95 beside it.
Exits 1 when a best p95 misses the target or a response was not 200.

    .venv/bin/python bench/order_list.py [--orders 100000] [--duration 10] [--rounds 3] [--connections 2]
                                         [--workers 2] [--target-p95 100] [--no-fail] [--keep]
    .venv/bin/python bench/order_list.py --seed-only URL   # seed an existing, migrated database
"""

import argparse
import json
import random
import re
import sys
import tempfile
import time
from datetime import datetime, timedelta

import psycopg
import requests
from common import ROOT, Database, Server, handle_signals, run, shop_env

sys.path.insert(0, str(ROOT))
from tests.support.forms import csrf_token  # noqa: E402

STAFF_EMAIL = "bench-staff@example.com"
STAFF_PASSWORD = "bench staff password 1"  # noqa: S105 (a throwaway database)
_FIRST_NAMES = (
    "Alex Ana Ben Carla Chen Dana Eli Emma Farah Gus Hana Ian Ivy Jon Kai Lena Luis Maya Nia Omar "
    "Pat Quinn Rosa Sam Tara Uma Vic Wen Xia Yuri Zoe Aiden Bea Cora Dev Elise Finn Greta Hugo Iris "
    "Jade Kofi Lars Mila Nora Oren Pia Ravi Sofia Theo"
)
FIRST = tuple(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Abbott Baker Castillo Dubois Edwards Fischer Garcia Hughes Ito Jensen Kowalski Lopez Martin "
    "Nguyen Okafor Patel Quintero Rossi Schmidt Tanaka Underwood Vasquez Walsh Xu Yilmaz Zimmer "
    "Anders Brennan Costa Dalton Ellis Fontaine Gallo Hart Ivanova Jacobs Keller Lindqvist Moreau "
    "Novak Olsen Price Reyes Sato Torres Ueda Varga Weber Young"
)
LAST = tuple(_LAST_NAMES.split())
DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "massageclinic.com", "physio.org", "icloud.com", "mtcollege.edu")
STATUS_WEIGHTS = (("paid", 86), ("pending_payment", 3), ("cancelled", 3), ("expired", 8))
ORDER_COLUMNS = ("id", "number", "email", "customer_name", "phone", "channel", "status", "currency",
                 "subtotal_cents", "discount_cents", "shipping_cents", "tax_cents", "total_cents", "requires_shipping",
                 "shipping_method_code", "shipping_method_name", "ship_name", "ship_line1", "ship_line2", "ship_city",
                 "ship_region", "ship_postal_code", "ship_country", "pricing_snapshot", "placed_at", "paid_at",
                 "version_id", "staff_id", "caller_phone", "call_notes", "payment_method", "fulfilment_status",
                 "paid_cents", "refunded_cents")
LINE_COLUMNS = ("order_id", "product_id", "sku", "title", "kind", "is_physical", "unit_price_cents", "quantity",
                "subtotal_cents", "discount_cents", "total_cents")
LUA = """
local paths = {}
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(string.match(tostring({}), "0x(%x+)"), 16))
  wrk.headers["Cookie"] = args[2]
end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %.0f %.0f %.0f %.0f %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def _psycopg_url(url):
    return url.replace("postgresql+psycopg://", "postgresql://")


def seed(url, count, seed_value=5716):
    """COPY `count` orders (1-3 lines each), redemptions and staff users into a migrated, demo-seeded database."""
    rng = random.Random(seed_value)
    from shop.accounts.passwords import hash_password

    with psycopg.connect(_psycopg_url(url)) as conn, conn.cursor() as cur:
        cur.execute("SELECT id, sku, title, kind, price_cents FROM products ORDER BY id")
        products = cur.fetchall()
        staff_ids = []
        for n, (email, name) in enumerate(((STAFF_EMAIL, "Bench Staff"), ("maria@example.com", "Maria Phone"),
                                           ("joe@example.com", "Joe Phone"), ("li@example.com", "Li Desk"))):
            password = hash_password(STAFF_PASSWORD if n == 0 else f"unused {n} password", fast=True)
            cur.execute("INSERT INTO users (email, password_hash, full_name, phone, role, is_active_account, "
                        "email_verified_at, created_at) VALUES (%s, %s, %s, '', 'staff', true, now(), now()) "
                        "RETURNING id", (email, password, name))
            staff_ids.append(cur.fetchone()[0])
        cur.execute("INSERT INTO promotions (name, public_description, state, channel_web, channel_phone, "
                    "requires_code, is_public, exclusive, priority, benefit_kind, basis_points, amount_cents, "
                    "buy_quantity, get_quantity, applies_to_everything, target_kinds, exclude_kinds, "
                    "min_subtotal_cents, min_quantity, first_order_only, email_domains, redemption_count, "
                    "discount_given_cents, created_at, updated_at, version_id) "
                    "SELECT 'Bench promo ' || g, '', 'active', true, true, false, true, false, "
                    "0, 'percent', 1000, 0, 0, 0, true, '', '', 0, 0, false, '', 0, 0, now(), now(), 1 "
                    "FROM generate_series(1, 5) g RETURNING id")
        promotion_ids = [row[0] for row in cur.fetchall()]
        cur.execute("SELECT coalesce(max(id), 0) FROM orders")
        next_id = cur.fetchone()[0] + 1
        now = datetime.utcnow().replace(microsecond=0)  # noqa: DTZ003 (naive UTC, as the shop stores it)
        span = timedelta(days=730).total_seconds()
        order_rows, line_rows, redemptions = [], [], []
        statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
        for order_id in range(next_id, next_id + count):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first}.{last}{rng.randint(1, 999)}@{rng.choice(DOMAINS)}".lower()
            placed = now - timedelta(seconds=span * (1 - (order_id - next_id) / count) + rng.random())
            phone = rng.random() < 0.25
            status = rng.choice(statuses)
            subtotal = 0
            physical = False
            for product_id, sku, title, kind, price in rng.sample(products, rng.choice((1, 1, 1, 2, 2, 3))):
                quantity = 1 if kind != "book" else rng.choice((1, 1, 2))
                is_physical = kind in ("book", "combo")
                physical |= is_physical
                line_rows.append((order_id, product_id, sku, title, kind, is_physical, price, quantity,
                                  price * quantity, 0, price * quantity))
                subtotal += price * quantity
            shipping = 795 if physical else 0
            paid = status == "paid"
            fulfilment = "not_needed" if not physical else (
                rng.choice(("shipped", "shipped", "shipped", "unfulfilled")) if paid else "unfulfilled")
            address = (f"{first} {last}", f"{rng.randint(1, 9999)} Main Street", "", "Springfield", "IL", "62701",
                       "US") if physical else ("",) * 7
            order_rows.append((
                order_id, f"STR-{100000 + order_id}", email, f"{first} {last}", "", "phone" if phone else "web",
                status, "USD", subtotal, 0, shipping, 0, subtotal + shipping, physical,
                "us-media-mail" if physical else "", "Media Mail" if physical else "", *address, json.dumps({}),
                placed, placed + timedelta(minutes=2) if paid else None, 1, rng.choice(staff_ids) if phone else None,
                "", "", "card", fulfilment, subtotal + shipping if paid else 0, 0))
            if rng.random() < 0.08:
                redemptions.append((rng.choice(promotion_ids), order_id, email, "phone" if phone else "web",
                                    subtotal // 10, "confirmed" if paid else "held", placed))
        with cur.copy(f"COPY orders ({', '.join(ORDER_COLUMNS)}) FROM STDIN") as copy:
            for row in order_rows:
                copy.write_row(row)
        with cur.copy(f"COPY order_lines ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            for row in line_rows:
                copy.write_row(row)
        with cur.copy("COPY promotion_redemptions (promotion_id, order_id, email, channel, discount_cents, status, "
                      "created_at) FROM STDIN") as copy:
            for row in redemptions:
                copy.write_row(row)
        cur.execute("SELECT setval('orders_id_seq', (SELECT max(id) FROM orders))")
        conn.commit()
        conn.autocommit = True
        cur.execute("VACUUM ANALYZE orders")
        cur.execute("VACUUM ANALYZE order_lines")
        cur.execute("VACUUM ANALYZE promotion_redemptions")
    return {"staff_ids": staff_ids, "promotion_ids": promotion_ids, "first_id": next_id, "now": now}


def log_in(base):
    """A staff session cookie, logged in through the login form as a browser would."""
    browser = requests.Session()
    page = browser.get(f"{base}/account/login", timeout=30)
    response = browser.post(f"{base}/account/login", timeout=30, allow_redirects=False, data={
        "csrf_token": csrf_token(page.text), "email": STAFF_EMAIL, "password": STAFF_PASSWORD})
    if response.status_code not in (302, 303):
        raise RuntimeError(f"logging in answered {response.status_code}: {response.text[:300]}")
    if browser.get(f"{base}/backoffice/orders", timeout=30).status_code != 200:
        raise RuntimeError("the logged-in staff member cannot open the order list")
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def url_sets(seeded, count, rng):
    """{kind: [paths]}: the URLs wrk picks from for each measured kind."""
    today = seeded["now"].date()
    kinds = {
        "unfiltered": ["/backoffice/orders"],
        "unfiltered deep": [],  # keyset pages deep in the list: the cursor of a random order
        "status+channel+date": [],
        "product": [],
        "promotion": [f"/backoffice/orders?promotion={p}" for p in seeded["promotion_ids"]],
        "staff": [f"/backoffice/orders?staff={s}" for s in seeded["staff_ids"]],
        "search e-mail": [],
        "search name": [],
        "search number": [],
    }
    epoch = datetime(1970, 1, 1)
    for _ in range(200):
        days_ago = rng.randint(0, 700)
        placed = seeded["now"] - timedelta(days=days_ago)
        micros = (placed - epoch) // timedelta(microseconds=1)
        kinds["unfiltered deep"].append(f"/backoffice/orders?after={micros}_{seeded['first_id'] + count}&page=9")
        start = today - timedelta(days=days_ago)
        end = start + timedelta(days=rng.choice((1, 7, 30, 90)))
        status, channel = rng.choice(("paid", "paid", "expired")), rng.choice(("web", "phone"))
        kinds["status+channel+date"].append(
            f"/backoffice/orders?status={status}&channel={channel}&date_from={start.isoformat()}&date_to={end.isoformat()}")
        email_fragment = f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()[:4]}"
        kinds["search e-mail"].append(f"/backoffice/orders?q={email_fragment}")
        name = rng.choice([n for n in LAST if len(n) >= 3]).lower()
        kinds["search name"].append(f"/backoffice/orders?q={name[:rng.randint(3, 6)]}")
        number = 100000 + seeded["first_id"] + rng.randrange(count)
        kinds["search number"].append(f"/backoffice/orders?q=STR-{number}")
    kinds["product"] = [f"/backoffice/orders?product={sku}" for sku in
                        ("STR-BOOK", "CE-STR-FND", "CE-ETHICS", "COMBO-TPT", "MEMBER-MONTHLY")]
    return kinds


def load(base, cookie, paths, seconds, connections, tmp, name):
    path_file = f"{tmp}/{re.sub(r'[^a-z]+', '-', name)}.txt"
    with open(path_file, "w") as out:
        out.write("\n".join(paths) + "\n")
    lua = f"{tmp}/list.lua"
    with open(lua, "w") as out:
        out.write(LUA)
    threads = max(1, min(connections, 2))
    result = run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
                  "-s", lua, base + paths[0], "--", path_file, cookie])
    for line in result.stdout.splitlines():
        if line.startswith("WRK "):
            requests_, micros, p50, p95, p99, worst, bad, sock = map(int, line.split()[1:])
            return {"rps": requests_ / (micros / 1e6), "requests": requests_, "p50": p50 / 1000, "p95": p95 / 1000,
                    "p99": p99 / 1000, "max": worst / 1000, "bad": bad, "socket": sock}
    raise RuntimeError(f"no result from wrk for {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per kind of URL and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all kinds; each kind's best is shown")
    parser.add_argument("--connections", type=int, default=2,
                        help="staff clicking at once, each as fast as the server answers (default: one per worker)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--target-p95", type=float, default=100.0, help="milliseconds")
    parser.add_argument("--no-fail", action="store_true", help="report only: exit 0 even when a target is missed")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (prints its URL)")
    parser.add_argument("--seed-only", metavar="URL", help="only seed this migrated, demo-seeded database")
    args = parser.parse_args()
    handle_signals()
    if args.seed_only:
        started = time.perf_counter()
        seed(args.seed_only, args.orders)
        print(f"Seeded {args.orders:,} orders in {time.perf_counter() - started:.1f} s")
        return
    rng = random.Random(800)
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-orders-") as tmp:
        print("Building a PostgreSQL database with the demo catalogue...", file=sys.stderr)
        database = Database("postgresql", tmp, "orders")
        server = None
        try:
            started = time.perf_counter()
            seeded = seed(database.url, args.orders)
            print(f"Seeded {args.orders:,} orders in {time.perf_counter() - started:.1f} s (COPY)", file=sys.stderr)
            server = Server("shop", "wsgi:app", tmp, workers=args.workers, env=shop_env(database))
            server.wait_ready()
            cookie = log_in(server.base)
            kinds = url_sets(seeded, args.orders, rng)
            for name, paths in kinds.items():
                load(server.base, cookie, paths, 2, args.connections, tmp, name)  # warm-up
            samples = {name: [] for name in kinds}
            for round_ in range(1, args.rounds + 1):  # round-robin: every kind meets the same noise
                for name, paths in kinds.items():
                    result = load(server.base, cookie, paths, args.duration, args.connections, tmp, name)
                    samples[name].append(result)
                    print(f"  round {round_} {name:<20} {result['rps']:7.0f} req/s  p95 {result['p95']:6.1f} ms",
                          file=sys.stderr)
            rows = []
            for name, paths in kinds.items():
                best = min(samples[name], key=lambda r: r["p95"])
                bad = {key: sum(r[key] for r in samples[name]) for key in ("bad", "socket")}
                rows.append((name, len(paths), {**best, **bad, "worst_p95": max(r["p95"] for r in samples[name])}))
        finally:
            if server is not None:
                server.stop()
            if args.keep:
                print(f"Database kept: {database.url}", file=sys.stderr)
                database.engine.dispose()
            else:
                database.drop()
    print(f"\nOrder list, {args.orders:,} orders on PostgreSQL; gunicorn {args.workers} sync workers, "
          f"wrk {args.connections} connections, logged in as staff; the best of {args.rounds} rounds of "
          f"{args.duration} s per kind (worst round's p95 beside it)")
    print(f"{'kind':<21}{'URLs':>5}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
          f"{'worst p95':>11}  target")
    for name, count, r in rows:
        ok = r["p95"] < args.target_p95 and not r["bad"] and not r["socket"]
        failed |= not ok
        notes = f"  {r['bad']} non-2xx/3xx!" if r["bad"] else ""
        notes += f"  {r['socket']} socket errors" if r["socket"] else ""
        print(f"{name:<21}{count:5}{r['rps']:8.0f}{r['p50']:9.1f}{r['p95']:9.1f}{r['p99']:9.1f}{r['max']:9.1f}"
              f"{r['worst_p95']:11.1f}  p95<{args.target_p95:g} {'ok' if ok else 'MISS'}{notes}")
    if failed and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
