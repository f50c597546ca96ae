"""Storefront throughput beside a bare Flask app, on SQLite and PostgreSQL.

For each backend: build a fresh database (migrate, seed-demo, seed-bulk), serve the shop and
bench/hello.py with identical gunicorn settings, load each page with wrk (round-robin, several
rounds) and print the best round's req/s, p50 and p99 latency, and req/s as a percentage of
hello's. Exits 1 if any page answered non-2xx/3xx.

    .venv/bin/python bench/storefront.py [--backends sqlite,postgresql] [--products 10000]
                                         [--duration 10] [--rounds 3] [--connections 8] [--workers 2]
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from common import Server, pg_admin, run
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PAGES = {  # name: a path, or (path prefix, range) to add a random number from that range to every request
    "home": "/",
    "catalogue": "/catalogue",
    "catalogue p3": "/catalogue?kind=course&sort=price-asc&page=3",
    "catalogue any": ("/catalogue?page=", "pages"),
    "product": "/products/soft-tissue-release-book",
    "product bulk": "/products/bulk-{middle}",
    "product any": ("/products/bulk-", "bulk"),
    "search": "/search?q=myofascial",
}
TARGETS = {"catalogue": 40, "product": 50}  # % of hello's req/s, for the pages whose name starts so
LUA = """
init = function(args)
  if #args == 3 then
    local prefix, low, high = args[1], tonumber(args[2]), tonumber(args[3])
    math.randomseed(os.time() + tonumber(string.match(tostring({}), "0x(%x+)"), 16))
    request = function() return wrk.format(nil, prefix .. math.random(low, high)) end
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %.0f %.0f %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def build_database(backend, tmp, products):
    """A fresh, seeded database; returns (database URL, PG database name or None)."""
    name = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp}/shop.db"
    else:
        name = f"shop_bench_{os.getpid()}"
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{name}"')
        url = f"{PG_SERVER_URL.rpartition('/')[0]}/{name}"
    env = {**os.environ, "FLASK_APP": "wsgi.py", "SHOP_CONFIG": "development", "DATABASE_URL": url,
           "MEDIA_ROOT": f"{tmp}/media"}
    flask = str(BIN / "flask")
    for args in (["db", "upgrade"], ["seed-demo"], ["seed-bulk", "--products", str(products)]):
        run([flask, *args], env=env)
    return url, name


def number_ranges(url, per_page):
    """Listing page numbers and bulk product ids (ranges for the random pages), and a middle bulk id."""
    engine = create_engine(url)
    with engine.connect() as conn:
        low, high = conn.execute(text("SELECT min(id), max(id) FROM products WHERE sku LIKE 'BULK-%'")).one()
        total = conn.execute(text("SELECT count(*) FROM products WHERE is_active")).scalar_one()
    engine.dispose()
    return {"pages": (1, -(-total // per_page)), "bulk": (low, high), "middle": (low + high) // 2}


def wrk(base, path, seconds, args, lua, random=None):
    """Load base + path (or path plus a random number from the range `random` per request) with wrk."""
    threads = max(1, min(args.connections, os.cpu_count() or 1))
    cmd = ["wrk", "-t", str(threads), "-c", str(args.connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", lua, base + path]
    if random:
        cmd += ["--", path, *map(str, random)]
    for line in run(cmd).stdout.splitlines():
        if line.startswith("WRK "):
            requests, micros, p50, p99, bad_status, socket_errors = map(int, line.split()[1:])
            return {"rps": requests / (micros / 1e6), "p50": p50 / 1000, "p99": p99 / 1000,
                    "bad": bad_status, "socket": socket_errors}
    raise RuntimeError(f"no result from {' '.join(cmd)}")


def bench_backend(backend, args, lua):
    """Rows (name, path, best round's result) for one backend; raises on setup failure."""
    servers = []
    pg_name = None
    with tempfile.TemporaryDirectory(prefix=f"bench-{backend}-") as tmp:
        try:
            url, pg_name = build_database(backend, tmp, args.products)
            ranges = number_ranges(url, per_page=24)
            shop_env = {**os.environ, "SHOP_CONFIG": "production", "SECRET_KEY": secrets.token_hex(32),
                        "PUBLIC_BASE_URL": "http://127.0.0.1", "STRIPE_SECRET_KEY": "sk_test_bench",
                        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench", "STRIPE_WEBHOOK_SECRET": "whsec_bench",
                        "DATABASE_URL": url, "MEDIA_ROOT": f"{tmp}/media"}
            hello = Server("hello", "hello:app", tmp, workers=args.workers, cwd=ROOT / "bench")
            servers.append(hello)
            shop = Server("shop", "wsgi:app", tmp, workers=args.workers, env=shop_env)
            servers.append(shop)
            for server in servers:
                server.wait_ready()
            pages = {"hello": (hello, "/", None)}  # name: (server, path or prefix, random range)
            for name, page in PAGES.items():
                prefix, key = page if isinstance(page, tuple) else (page.format(middle=ranges["middle"]), None)
                pages[name] = (shop, prefix, ranges[key] if key else None)
            for name, (server, path, random) in pages.items():
                example = path + str(random[1]) if random else path
                status = server.get(example)
                if not 200 <= status < 300:
                    raise RuntimeError(f"{name} ({example}) answered {status}; log:\n{server.log.read_text()[-2000:]}")
                wrk(server.base, path, 2, args, lua, random)  # warm-up: every worker renders and caches it
            samples = {name: [] for name in pages}
            for round_ in range(1, args.rounds + 1):  # round-robin, so that every page meets the same noise
                for name, (server, path, random) in pages.items():
                    samples[name].append(wrk(server.base, path, args.duration, args, lua, random))
                    print(f"  round {round_} {name:<13} {samples[name][-1]['rps']:8.0f} req/s", file=sys.stderr)
            rows = []
            for name, (_, path, random) in pages.items():
                best = max(samples[name], key=lambda r: r["rps"])
                totals = {key: sum(r[key] for r in samples[name]) for key in ("bad", "socket")}
                totals["worst"] = min(r["rps"] for r in samples[name])
                rows.append((name, path + (f"<{random[0]}..{random[1]}>" if random else ""), {**best, **totals}))
            return rows
        finally:
            for server in servers:
                server.stop()
            if pg_name:
                pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def print_table(backend, rows, args):
    hello_rps = rows[0][2]["rps"]
    print(f"\n{backend}: {args.products:,} products, gunicorn {args.workers} sync workers, "
          f"wrk {args.connections} connections, best of {args.rounds} x {args.duration} s per page")
    print(f"{'page':<14}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'% hello':>9}  {'target':<12}path")
    failed = False
    for name, path, r in rows:
        share = 100 * r["rps"] / hello_rps
        target = next((t for prefix, t in TARGETS.items() if name.startswith(prefix)), None)
        verdict = f">={target}% " + ("ok" if share >= target else "MISS") if target else ""
        notes = []
        if r["bad"]:
            notes.append(f"{r['bad']} non-2xx/3xx!")
            failed = True
        if r["socket"]:
            notes.append(f"{r['socket']} socket errors")
        print(f"{name:<14}{r['rps']:8.0f}{r['p50']:9.1f}{r['p99']:9.1f}{share:8.0f}%  {verdict:<12}{path}"
              + ("  " + ", ".join(notes) if notes else ""))
    hello = rows[0][2]
    if hello["worst"] < 0.8 * hello["rps"]:
        print(f"Note: hello's rounds ranged from {hello['worst']:.0f} to {hello['rps']:.0f} req/s: something else "
              "was using the CPU; run again on a quiet machine before trusting the ratios.")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all pages; the best is shown")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := set(backends) - {"sqlite", "postgresql"}:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C works even if started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks on kill too

    failed = False
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(LUA)
        lua.flush()
        for backend in backends:
            print(f"{backend}: building a {args.products:,}-product database and serving it...", file=sys.stderr)
            try:
                rows = bench_backend(backend, args, lua.name)
            except subprocess.CalledProcessError as error:
                sys.exit(f"{backend}: {' '.join(error.cmd)} failed:\n{error.stdout}{error.stderr}")
            except RuntimeError as error:
                sys.exit(f"{backend}: {error}")
            failed |= print_table(backend, rows, args)
    if failed:
        sys.exit("Some pages answered with errors during the run (see 'non-2xx/3xx').")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
