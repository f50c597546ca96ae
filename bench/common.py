"""Helpers shared by the benches: fresh databases, gunicorn and localstripe servers, wrk runs, percentiles.

bench/storefront.py was written first and keeps its own copies for now; these are the same helpers
with the knobs the checkout and add-to-cart benches need (gunicorn environment, worker count).
"""

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

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

    def __init__(self, backend, tmp, tag):
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
        env = {**os.environ, "FLASK_APP": "wsgi.py", "SHOP_CONFIG": "development", "DATABASE_URL": self.url,
               "MEDIA_ROOT": self.media}
        for args in (["db", "upgrade"], ["seed-demo"]):  # seed-demo also seeds the shipping methods
            run([str(BIN / "flask"), *args], env=env)
        self.engine = create_engine(self.url)

    def execute(self, sql, **params):
        with self.engine.begin() as conn:
            return conn.execute(text(sql), params)

    def scalar(self, sql, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()

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
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            return conn.getresponse().status
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

    def cpu_seconds(self):
        """CPU time (user + system) used so far by gunicorn and its workers; 0 where /proc is missing."""
        total = 0
        for entry in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = entry.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.proc.pid or entry.parent.name == str(self.proc.pid):
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def wrk(url, seconds, connections, lua, script_args=()):
    """Load url with wrk and the Lua script `lua` (which must end with WRK_DONE_LUA)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make wrk` (apt-get install wrk), or `make bench`, which does.")
    threads = max(1, min(connections, os.cpu_count() or 1))
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", lua, url]
    if script_args:
        cmd += ["--", *map(str, script_args)]
    for line in run(cmd).stdout.splitlines():
        if line.startswith("WRK "):
            requests, micros, p50, p99, bad_status, socket_errors = map(int, line.split()[1:])
            return {"rps": requests / (micros / 1e6), "requests": requests, "p50": p50 / 1000, "p99": p99 / 1000,
                    "bad": bad_status, "socket": socket_errors}
    raise RuntimeError(f"no result from {' '.join(cmd)}")


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
