"""Add-to-cart POST throughput beside a bare Flask app, on SQLite and PostgreSQL.

For each backend: build a fresh database (migrate, seed-demo; the book's stock set to 10^9), serve
the shop and bench/hello.py with identical gunicorn settings, and prefetch --sessions visitor
sessions (GET the book's page, take the session cookie and the form's csrf_token, add the book once
so that each session has a cart). wrk then POSTs /cart/add (the book, quantity 1) with those
sessions in rotation, each request carrying its session cookie and csrf_token; a 303 is success
(wrk does not follow redirects). Cart quantities are reset to 1 before each round (a cart line
stops at 99). Rounds alternate hello and add-to-cart; the best round of each is shown with p50,
p99, req/s as a percentage of hello's, and the adds the database recorded, then each gunicorn
worker's resident memory after the load. Exits 1 on any non-2xx/3xx answer or a missed target
(--no-fail to report only). "CPU ms/req" is the gunicorn workers' CPU time per request (from
/proc): unlike req/s, it hardly moves when other work shares the machine.

    .venv/bin/python bench/add_to_cart.py [--backends sqlite,postgresql] [--sessions 300] [--duration 10]
                                          [--rounds 3] [--connections 8] [--workers 2] [--target 20]
"""

import http.client
import os
import subprocess
import sys
import tempfile
import urllib.parse

from common import (
    BOOK_SLUG,
    ROOT,
    WRK_DONE_LUA,
    Database,
    Server,
    best_of,
    browser,
    handle_signals,
    load_arguments,
    lua_table,
    parsed_backends,
    rss_line,
    shop_env,
    wrk,
)

sys.path.insert(0, str(ROOT))
from tests.support.forms import csrf_token  # noqa: E402

HELLO_LUA = WRK_DONE_LUA
ADD_LUA = """
local counter = 0
setup = function(thread)
  thread:set("first", counter)
  counter = counter + 1
end
init = function(args)
  step = tonumber(args[1])
  i = first
end
request = function()
  local s = sessions[i % #sessions + 1]
  i = i + step
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded",
                                  ["Cookie"] = s[1]}, s[2])
end
"""


def prefetch_sessions(base, book_id, count):
    """[(Cookie header, form body)]: visitors who opened the book's page and have it in their cart once.

    A first visit has no session and its page no token; its first Add to cart makes the session, and the
    page then holds the token that every later add carries (as a returning visitor's would)."""
    sessions = []
    for _ in range(count):
        visitor = browser(base)
        page = visitor.get(f"{base}/products/{BOOK_SLUG}", timeout=30)
        first = urllib.parse.urlencode({"csrf_token": csrf_token(page.text), "product_id": book_id, "quantity": 1})
        added = visitor.post(f"{base}/cart/add", data=first, timeout=30,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        if added.status_code != 200 or not added.url.endswith("/cart"):  # the 303 was followed to /cart
            raise RuntimeError(f"prefetch: add to cart answered {added.status_code}: {added.text[:300]}")
        token = csrf_token(visitor.get(f"{base}/products/{BOOK_SLUG}", timeout=30).text)
        body = urllib.parse.urlencode({"csrf_token": token, "product_id": book_id, "quantity": 1})
        sessions.append((f"session={visitor.cookies['session']}", body))
    return sessions


def check_one(port, cookie, body):
    """The request wrk will send, once by hand: it must answer 303 to /cart."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/cart/add", body=body,
                     headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        if response.status != 303 or not response.getheader("Location", "").endswith("/cart"):
            raise RuntimeError(f"add to cart answered {response.status}: {response.read()[:300]!r}")
    finally:
        conn.close()



def bench_backend(backend, args, tmp):
    db = Database(backend, tmp, "cart")
    servers = []
    try:
        book_id = db.scalar("SELECT id FROM products WHERE slug = :slug", slug=BOOK_SLUG)
        db.execute("UPDATE products SET stock = :n WHERE id = :id", n=10**9, id=book_id)
        hello = Server("hello", "hello:app", tmp, workers=args.workers, cwd=ROOT / "bench")
        shop = Server("shop", "wsgi:app", tmp, workers=args.workers, env=shop_env(db))
        servers += [hello, shop]
        for server in servers:
            server.wait_ready()
        sessions = prefetch_sessions(shop.base, book_id, args.sessions)
        check_one(shop.port, *sessions[0])
        hello_lua, add_lua = f"{tmp}/hello.lua", f"{tmp}/add.lua"
        with open(hello_lua, "w") as out:
            out.write(HELLO_LUA)
        with open(add_lua, "w") as out:
            out.write(lua_table("sessions", sessions) + ADD_LUA + WRK_DONE_LUA)
        threads = max(1, min(args.connections, os.cpu_count() or 1))
        loads = {"hello": (f"{hello.base}/", hello_lua, ()), "add to cart": (f"{shop.base}/cart/add", add_lua,
                                                                           (threads,))}

        def reset_carts():
            db.execute("UPDATE cart_items SET quantity = 1")
            return db.scalar("SELECT coalesce(sum(quantity), 0) FROM cart_items")

        for url, lua, script_args in loads.values():  # warm-up
            reset_carts()
            wrk(url, 2, args.connections, lua, script_args)
        samples = {name: [] for name in loads}
        for round_ in range(1, args.rounds + 1):
            for name, (url, lua, script_args) in loads.items():
                before = reset_carts()
                server = hello if name == "hello" else shop
                cpu = server.cpu_seconds()
                result = wrk(url, args.duration, args.connections, lua, script_args)
                result["cpu_ms"] = 1000 * (server.cpu_seconds() - cpu) / max(1, result["requests"])
                if name == "add to cart":
                    result["recorded"] = db.scalar("SELECT coalesce(sum(quantity), 0) FROM cart_items") - before
                samples[name].append(result)
                print(f"  round {round_} {name:<12} {result['rps']:8.0f} req/s", file=sys.stderr)
        rss = rss_line(shop, hello)
        rows = {}
        for name, results in samples.items():
            rows[name] = best_of(results)
        return rows, rss
    finally:
        for server in servers:
            server.stop()
        db.drop()


def print_table(backend, rows, rss, args):
    hello_rps = rows["hello"]["rps"]
    print(f"\n{backend}: POST /cart/add (the book, {args.sessions} sessions in rotation) beside hello; gunicorn "
          f"{args.workers} sync workers, wrk {args.connections} connections, best of {args.rounds} x {args.duration} s")
    print(f"{'load':<13}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'% hello':>9}  {'target':<12}{'CPU ms/req':>10}  notes")
    failed = False
    for name, r in rows.items():
        share = 100 * r["rps"] / hello_rps
        verdict = ""
        notes = []
        if name == "add to cart":
            verdict = f">={args.target:.0f}% " + ("ok" if share >= args.target else "MISS")
            failed |= share < args.target and not args.no_fail
            notes.append(f"{r['requests']} requests, {r['recorded']} adds in the database")
        if r["bad"]:
            notes.append(f"{r['bad']} non-2xx/3xx!")
            failed = True
        if r["socket"]:
            notes.append(f"{r['socket']} socket errors")
        print(f"{name:<13}{r['rps']:8.0f}{r['p50']:9.1f}{r['p99']:9.1f}{share:8.0f}%  {verdict:<12}"
              f"{r['cpu_ms']:10.2f}  " + ", ".join(notes))
    print(rss)
    return failed


def main():
    parser = load_arguments(__doc__.split("\n\n")[0], sessions=300,
                            sessions_help="visitor sessions wrk rotates through",
                            target=20.0, target_help="add-to-cart req/s as a %% of hello's")
    args = parser.parse_args()
    backends = parsed_backends(parser, args)
    handle_signals()
    failed = False
    for backend in backends:
        print(f"{backend}: building the database, serving it, prefetching {args.sessions} sessions...",
              file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix=f"bench-cart-{backend}-") as tmp:
            try:
                rows, rss = bench_backend(backend, args, tmp)
            except subprocess.CalledProcessError as error:
                sys.exit(f"{backend}: {' '.join(error.cmd)} failed:\n{error.stdout}{error.stderr}")
            except RuntimeError as error:
                sys.exit(f"{backend}: {error}")
        failed |= print_table(backend, rows, rss, args)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
