"""Helpers shared by the benches: fresh databases, gunicorn servers (CPU time, workers' memory), wrk runs,
percentiles."""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BOOK_SLUG = "soft-tissue-release-book"

# Every wrk Lua script of the benches ends with this: one machine-readable summary line.
WRK_DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %.0f %.0f %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, capture_output=True, **kwargs)


def browser(base):
    """A requests.Session that says what a browser says of requests made by the shop's own pages: a first
    visit's Add to cart carries no token and is accepted on that word (shop.web.first_visit)."""
    session = requests.Session()
    session.headers.update({"Origin": base, "Sec-Fetch-Site": "same-origin", "Referer": f"{base}/"})
    return session


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_admin(sql):
    engine = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


class Database:
    """A fresh, migrated database seeded with the demo catalogue and shipping methods; drop() removes it."""

    def __init__(self, backend, tmp, tag, bulk_products=0):
        self.backend = backend
        self.pg_name = None
        if backend == "sqlite":
            self.url = f"sqlite:///{tmp}/shop.db"
        elif backend == "postgresql":
            self.pg_name = f"shop_bench_{tag}_{os.getpid()}"
            pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            pg_admin(f'CREATE DATABASE "{self.pg_name}"')
            self.url = f"{PG_SERVER_URL.rpartition('/')[0]}/{self.pg_name}"
        else:
            raise ValueError(f"unknown backend {backend!r}")
        self.media = f"{tmp}/media"
        self.engine = create_engine(self.url)
        try:
            self.flask("db", "upgrade")
            self.flask("seed-demo")  # also seeds the shipping methods
            if bulk_products:
                self.flask("seed-bulk", "--products", str(bulk_products))
        except BaseException:  # a failure or Ctrl-C while seeding: the caller never gets the object to drop
            self.drop()
            raise

    def flask(self, *args, input=None):
        """Run `flask <args>` against this database (development settings), e.g. `flask create-user`."""
        env = {**os.environ, "FLASK_APP": "wsgi.py", "SHOP_CONFIG": "development", "DATABASE_URL": self.url,
               "MEDIA_ROOT": self.media}
        return run([str(BIN / "flask"), *args], env=env, input=input)

    def execute(self, sql, **params):
        with self.engine.begin() as conn:
            return conn.execute(text(sql), params)

    def scalar(self, sql, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()

    def rows(self, sql, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).all()

    def drop(self):
        self.engine.dispose()
        if self.pg_name:
            pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def shop_env(db, **extra):
    """The environment gunicorn serves the shop with: production settings over plain HTTP on 127.0.0.1."""
    return {**os.environ, "SHOP_CONFIG": "production", "SECRET_KEY": secrets.token_urlsafe(36),  # 48 chars
            "SESSION_COOKIE_SECURE": "false", "PUBLIC_BASE_URL": "http://127.0.0.1", "ALLOW_LOCAL_STRIPE": "1",
            "CARD_ATTEMPTS_PER_IP": "1000000",  # every bench buyer comes from 127.0.0.1
            "STRIPE_SECRET_KEY": "sk_test_bench", "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
            "STRIPE_WEBHOOK_SECRET": "whsec_bench",
            "DATABASE_URL": db.url, "MEDIA_ROOT": db.media,
            "MAIL_SUPPRESS_SEND": "1", **extra}


class Server:
    """gunicorn in its own process group, so that it and its workers stop together."""

    def __init__(self, name, app, tmp, workers=2, env=None, cwd=ROOT, extra_args=()):
        self.port = free_port()
        self.log = Path(tmp) / f"{name}.log"
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
               "--worker-class", "sync", "--no-control-socket", "--error-logfile", str(self.log), *extra_args]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def get(self, path):
        return self.fetch(path)[0]

    def fetch(self, path, headers=None):
        """(status, body as text) of GET path, sent with headers (e.g. the Cookie wrk will send)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode(errors="replace")
        finally:
            conn.close()

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                self.get("/")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; its log {self.log} ends:\n{self.log_tail()}")

    def log_tail(self, chars=2000):
        return self.log.read_text(errors="replace")[-chars:]

    def _processes(self):
        """[(pid, /proc/<pid>/stat fields after the command name)] of the master and its workers."""
        found = []
        for entry in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = entry.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.proc.pid or entry.parent.name == str(self.proc.pid):
                found.append((int(entry.parent.name), fields))
        return found

    def cpu_seconds(self):
        """CPU time (user + system) used so far by gunicorn and its workers; 0 where /proc is missing."""
        total = sum(int(fields[11]) + int(fields[12]) for _, fields in self._processes())
        return total / os.sysconf("SC_CLK_TCK")

    def worker_rss_mb(self):
        """Resident memory (VmRSS) of each worker (the master's children), in MB, by pid; [] without /proc."""
        sizes = []
        for pid, _ in sorted(self._processes()):
            if pid == self.proc.pid:
                continue
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            if match := re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE):
                sizes.append(int(match[1]) / 1024)
        return sizes

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def rss_line(shop, hello=None):
    """`shop workers RSS: 71 MB, 69 MB (hello: 25 MB, 25 MB)`, read now: call it after the load."""
    def sizes(server):
        return ", ".join(f"{mb:.0f} MB" for mb in server.worker_rss_mb()) or "not readable (no /proc?)"

    return f"shop workers RSS: {sizes(shop)}" + (f" (hello: {sizes(hello)})" if hello else "")


def wrk(url, seconds, connections, lua, script_args=(), headers=()):
    """Load url with wrk and the Lua script `lua` (which must end with WRK_DONE_LUA); headers: extra
    "Name: value" strings sent with every request (wrk -H), e.g. a signed-in customer's Cookie."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make wrk` (apt-get install wrk), or `make bench`, which does.")
    threads = max(1, min(connections, os.cpu_count() or 1))
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", lua, url]
    for header in headers:
        cmd += ["-H", header]
    if script_args:
        cmd += ["--", *map(str, script_args)]
    for line in run(cmd).stdout.splitlines():
        if line.startswith("WRK "):
            requests, micros, p50, p99, bad_status, socket_errors = map(int, line.split()[1:])
            return {"rps": requests / (micros / 1e6), "requests": requests, "p50": p50 / 1000, "p99": p99 / 1000,
                    "bad": bad_status, "socket": socket_errors}
    raise RuntimeError(f"no result from {' '.join(cmd)}")


def best_of(results):
    """A load's rounds summed up: the best round (highest req/s, the one least disturbed by other work), the
    error counts of every round, and the worst round's req/s (to tell a busy machine)."""
    best = max(results, key=lambda r: r["rps"])
    return {**best, "bad": sum(r["bad"] for r in results), "socket": sum(r["socket"] for r in results),
            "worst": min(r["rps"] for r in results)}


def percentile(values, q):
    """The q-th percentile (0..100) of values, nearest-rank, as wrk and most load tools report it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def lua_table(name, rows):
    """A Lua table of string pairs for a wrk script: `name = { {"a", "b"}, ... }`."""
    def quote(value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    body = ",\n".join(f"  {{{quote(first)}, {quote(second)}}}" for first, second in rows)
    return f"{name} = {{\n{body}\n}}\n"


def load_arguments(description, *, sessions, sessions_help, target, target_help):
    """The options every load bench takes (backends, sessions, duration, rounds, connections, workers,
    target, --no-fail); add a bench's own with `parser.add_argument`, then call `parsed_backends`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sessions", type=int, default=sessions, help=sessions_help)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--target", type=float, default=target, help=target_help)
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even if the target is missed")
    return parser


def parsed_backends(parser, args):
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := set(backends) - {"sqlite", "postgresql"}:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    return backends


def handle_signals():
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C works even if started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks on kill too
