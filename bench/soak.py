"""Soak: N simulated customers and staff for M minutes through nginx and two app servers, then the books
are checked: nothing oversold, no promotion past its limit, no order or charge twice, no e-mail lost.

Everything runs on loopback in one temporary directory, each server on a free port: a fresh PostgreSQL
database (migrated, seed-demo; the book's stock set to --stock copies, so that its last copies are raced
for; a promotion with a shared code and a use limit of --promo-limit, a promotion of single-use codes,
staff, learner and caller accounts, made through the app as the back office makes them), localstripe, two
gunicorn servers (separate processes, each with its own caches; production settings, ProxyFix trusting one
proxy), nginx in front of them (bench/soak_nginx.conf), the mail worker and an SMTP sink (aiosmtpd writing
a Maildir), and the shop's webhook registered at localstripe through nginx. Locust (no web UI, driven from
here on gevent) then runs --users users of bench/soak_users.py for --minutes minutes, or until
--requests-per-user x --users requests; the whole run stops at a hard cap of --minutes plus 10 minutes.

Pacing: localstripe pickles its whole state after every POST, so it slows as its objects pile up. A
purchase leaves about five (a PaymentMethod, a PaymentIntent, a charge, their events; a declined or 3-D
Secure card a few more), so the buyers wait 25 to 50 s between purchases: with 200 users (about 38 buyers)
for 10 minutes that is at most ~600 purchases and phone orders, ~3,000 objects, and localstripe's POSTs stay
well under the shop's timeouts. Browsers and cart users touch localstripe not at all.

When Locust is done the mail worker gets a grace period to send what is due, then the database, localstripe
and the Maildir are checked. Printed: a table by kind of request (requests, failures, p50/p95/p99 ms) and,
as the last line, the figures: requests, failure ratio, p50/p95/p99 by kind, orders paid, oversold copies
(stock below 0, or more copies paid for than --stock), promotion and code uses over their limits, duplicate
orders (a cart or a buyer's e-mail with two paid orders), duplicate charges (more than one succeeded payment
in the database, or PaymentIntent at localstripe, per order), e-mails lost (order confirmations in the
outbox for paid orders that the SMTP sink never received, by Message-ID). Targets: failure ratio under 1%,
every count 0; exits 1 if one is missed (--no-fail to report only). Stops everything it started on a normal
end, an exception, Ctrl-C or SIGTERM.

    .venv/bin/python bench/soak.py [--users 200] [--minutes 10] [--workers 2] [--stock 30] [--redis URL]
                                   [--promo-limit 10] [--requests-per-user 400] [--no-fail]
"""

# isort: off
import locust  # noqa: F401 (first: Locust's gevent patches the standard library before anything uses it)

# isort: on
import argparse
import logging
import mailbox
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import gevent
import stripe
from common import BIN, BOOK_SLUG, ROOT, Database, Server, free_port, handle_signals, percentile, shop_env
from locust.env import Environment
from soak_redis import print_redis_counts, start_redis_counting
from soak_users import Browser, Buyer, CartUser, Learner, Plan, Staff

sys.path.insert(0, str(ROOT))
from shop import create_app  # noqa: E402
from shop.accounts import admin as users_admin  # noqa: E402
from shop.catalogue import stock  # noqa: E402
from shop.catalogue.models import MOVEMENT_CORRECTION, Product  # noqa: E402
from shop.courses.models import CourseAccess  # noqa: E402
from shop.extensions import db as shop_db  # noqa: E402
from shop.payments import local_server  # noqa: E402
from shop.pricing import promotions as pricing  # noqa: E402
from shop.promotions import admin as promotion_admin  # noqa: E402
from shop.promotions import admin_codes  # noqa: E402
from shop.promotions.validation import PromotionInput  # noqa: E402

NGINX_TEMPLATE = ROOT / "bench" / "soak_nginx.conf"
PASSWORD = "soak-password-Kq7-rests"
LEARNER_COURSE = "soft-tissue-release-foundations"  # the demo course with lessons and an exam
LIMITED_CODE = "SOAK-LIMITED"
SENDER_DOMAIN = "softtissuerelease.example"  # the outbox's Message-IDs end @ the sender's domain
SEARCH_WORDS = ["release", "trigger point", "myofascial", "stretching", "ethics", "low back", "book", "neck"]
MAIL_GRACE_SECONDS = 30
HARD_CAP_EXTRA_SECONDS = 600
TARGET_FAILURE_RATIO = 0.01
USER_CLASSES = [Browser, CartUser, Buyer, Learner, Staff]


# ---- the data the run needs, made through the app -------------------------------------------------

def make_fixtures(db, args):
    """The book's stock, the soak's promotions and codes, and its accounts; returns the Plan's data."""
    app = create_app("development", overrides={"SQLALCHEMY_DATABASE_URI": db.url, "MEDIA_ROOT": db.media})
    timezone = app.config["SHOP_TIMEZONE"]
    with app.app_context():
        book = shop_db.session.execute(shop_db.select(Product).filter_by(slug=BOOK_SLUG)).scalar_one()
        stock.change(book.id, args.stock - book.stock, MOVEMENT_CORRECTION, note="soak: a limited stock")
        shop_db.session.commit()
        limited = promotion_admin.create(PromotionInput(
            name="Soak: 10% off, few uses", benefit_kind=pricing.PERCENT_OFF, percent_bp=1000, requires_code=True,
            code=LIMITED_CODE, is_public=False, max_redemptions=args.promo_limit), timezone)
        promotion_admin.activate(limited, timezone)
        single = promotion_admin.create(PromotionInput(
            name="Soak: 15% off, single-use codes", benefit_kind=pricing.PERCENT_OFF, percent_bp=1500,
            requires_code=True, is_public=False), timezone)
        admin_codes.generate_codes(single, max(20, args.users), prefix="SOAK", timezone=timezone)
        promotion_admin.activate(single, timezone)
        codes = [code.code for code in single.codes]
        accounts = {role: make_accounts(role, count) for role, count in
                    (("staff", max(1, args.users // 50)), ("learner", max(2, min(40, args.users // 10))),
                     ("caller", 10))}
        course = shop_db.session.execute(shop_db.select(Product).filter_by(slug=LEARNER_COURSE)).scalar_one()
        for email, user_id in accounts["learner"]:
            shop_db.session.add(CourseAccess(email=email, user_id=user_id, product_id=course.id, source="staff",
                                             note="soak"))
        shop_db.session.commit()
    return codes, {role: [email for email, _ in found] for role, found in accounts.items()}


def make_accounts(role, count):
    """[(e-mail, id)] of `count` new verified accounts (staff, or customers for the other roles)."""
    made = []
    for n in range(count):
        user = users_admin.create_user(f"soak-{role}-{n}@example.com", PASSWORD,
                                       "staff" if role == "staff" else "customer", f"Soak {role.title()} {n}")
        made.append((user.email, user.id))
    return made


def make_plan(db, stripe_base, codes, accounts):
    products = db.rows("SELECT slug, id, kind, sku FROM products WHERE is_active AND kind <> 'membership' "
                       "ORDER BY position, id")
    return Plan(
        stripe_base=stripe_base, products={slug: pid for slug, pid, _, _ in products}, book=BOOK_SLUG,
        courses=[slug for slug, _, kind, _ in products if kind == "course"],
        combos=[slug for slug, _, kind, _ in products if kind == "combo"],
        search_words=SEARCH_WORDS, limited_code=LIMITED_CODE, single_codes=codes, password=PASSWORD,
        staff=accounts["staff"], learners=accounts["learner"], callers=accounts["caller"],
        learner_course=LEARNER_COURSE,
        phone_skus=[sku for slug, _, kind, sku in products if kind == "course"][:4] + ["STR-BOOK"])


# ---- the servers -----------------------------------------------------------------------------------

def spawn(stack, name, cmd, tmp, env=None):
    """A process in its own process group, logging to tmp/name.log, stopped (group and all) with the stack."""
    log = open(Path(tmp) / f"{name}.log", "ab")  # noqa: SIM115 (closed with the stack)
    stack.callback(log.close)
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    stack.callback(stop_group, process)
    return process


def stop_group(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def start_localstripe(stack, tmp):
    port = local_server.free_port()
    process = local_server.start(port, log_path=f"{tmp}/localstripe.log")

    def stop():
        process.terminate()
        process.wait(10)

    stack.callback(stop)
    return f"http://127.0.0.1:{port}"


def start_smtp_sink(stack, tmp):
    """aiosmtpd writing every message it receives into tmp/maildir; returns (port, Maildir path)."""
    port, maildir = free_port(), Path(tmp) / "maildir"
    spawn(stack, "smtp-sink", [str(BIN / "python"), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Mailbox", str(maildir)], tmp)
    local_server.wait_for_port(port)
    return port, maildir


def app_env(db, nginx_port, stripe_base, smtp_port, **extra):
    """Production settings behind one proxy (nginx), paying at localstripe, mailing the sink."""
    return shop_env(db, **extra, PUBLIC_BASE_URL=f"http://127.0.0.1:{nginx_port}", TRUSTED_HOSTS="127.0.0.1",
                    PROXY_FIX_HOPS="1", STRIPE_SECRET_KEY=local_server.DEV_SECRET_KEY,
                    STRIPE_PUBLISHABLE_KEY=local_server.DEV_PUBLISHABLE_KEY,
                    STRIPE_WEBHOOK_SECRET=local_server.DEV_WEBHOOK_SECRET, STRIPE_API_BASE=stripe_base,
                    STRIPE_JS_API_BASE=stripe_base, MAIL_SUPPRESS_SEND="0", MAIL_SERVER="127.0.0.1",
                    MAIL_PORT=str(smtp_port), FLASK_APP="wsgi.py")


def start_app_servers(stack, tmp, env, workers):
    servers = []
    for name in ("shop-a", "shop-b"):
        server = Server(name, "wsgi:app", tmp, workers=workers, env=env)
        stack.callback(server.stop)
        servers.append(server)
    for server in servers:
        server.wait_ready(60)
    return servers


def start_nginx(stack, tmp, port, servers):
    if not (nginx := shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")):
        raise SystemExit("nginx is not installed: apt-get install -y nginx (or make soak, which does).")
    conf_dir = Path(tmp) / "nginx"
    conf_dir.mkdir()
    upstreams = "\n".join(f"        server 127.0.0.1:{server.port};" for server in servers)
    conf = (NGINX_TEMPLATE.read_text().replace("@DIR@", str(conf_dir)).replace("@PORT@", str(port))
            .replace("@UPSTREAM_SERVERS@", upstreams).replace("@USER@", pwd.getpwuid(os.getuid()).pw_name))
    (conf_dir / "nginx.conf").write_text(conf)
    process = spawn(stack, "nginx", [nginx, "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf"),
                                     "-e", str(conf_dir / "error.log"), "-g", "daemon off;"], tmp)
    try:
        local_server.wait_for_port(port, timeout=10)
    except RuntimeError:
        raise RuntimeError(f"nginx did not start (exit {process.poll()}): "
                           f"{(conf_dir / 'error.log').read_text(errors='replace')[-2000:]}") from None
    return f"http://127.0.0.1:{port}"


# ---- the load ------------------------------------------------------------------------------------------

def run_locust(base, plan, args):
    """Run the users until --minutes or the request cap; returns Locust's stats."""
    environment = Environment(user_classes=USER_CLASSES, host=base)
    environment.soak_plan = plan
    runner = environment.create_local_runner()
    runner.start(args.users, spawn_rate=max(1.0, args.users / 20))
    cap, deadline, started = args.requests_per_user * args.users, time.monotonic() + args.minutes * 60, time.monotonic()
    reported = 0
    while time.monotonic() < deadline and environment.stats.total.num_requests < cap:
        gevent.sleep(1)
        if time.monotonic() - started >= reported + 30:
            reported += 30
            total = environment.stats.total
            print(f"  {reported:4d} s: {runner.user_count} users, {total.num_requests} requests, "
                  f"{total.num_failures} failures", file=sys.stderr)
    runner.quit()
    runner.greenlet.join(timeout=30)
    return environment


# ---- the checks ----------------------------------------------------------------------------------------

def check(db, args, baseline, maildir):
    """The figures after the run, from the database, localstripe and the Maildir."""
    after = {"base": baseline}
    book_id = db.scalar("SELECT id FROM products WHERE slug = :slug", slug=BOOK_SLUG)
    paid_units = db.scalar(
        "SELECT coalesce(sum(l.quantity * coalesce(c.quantity, 1)), 0) FROM order_lines l "
        "JOIN orders o ON o.id = l.order_id LEFT JOIN combo_components c ON c.combo_id = l.product_id "
        "AND c.component_id = :book WHERE o.status = 'paid' AND o.id > :base "
        "AND (l.product_id = :book OR c.id IS NOT NULL)", book=book_id, **after)
    stock_now = db.scalar("SELECT stock FROM products WHERE id = :book", book=book_id)
    return {
        "orders paid": db.scalar("SELECT count(*) FROM orders WHERE status = 'paid' AND id > :base", **after),
        "phone orders paid": db.scalar("SELECT count(*) FROM orders WHERE status = 'paid' AND channel = 'phone' "
                                       "AND id > :base", **after),
        "book copies paid": paid_units,
        "book stock left": stock_now,
        "oversold": max(0, -stock_now) + max(0, paid_units - args.stock),
        "promotion overuse": promotion_overuse(db),
        "duplicate orders": duplicate_orders(db, baseline),
        "duplicate charges": duplicate_charges(db, baseline),
        "e-mails lost": emails_lost(db, baseline, maildir),
    }


def promotion_overuse(db):
    """Uses (held or confirmed redemptions) past each promotion's max_redemptions and each code's max_uses."""
    counted = "r.status IN ('held', 'confirmed')"
    over_promotions = db.scalar(
        "SELECT coalesce(sum(greatest(n - max_redemptions, 0)), 0) FROM (SELECT p.max_redemptions, count(r.id) "
        f"AS n FROM promotions p LEFT JOIN promotion_redemptions r ON r.promotion_id = p.id AND {counted} "
        "WHERE p.max_redemptions IS NOT NULL GROUP BY p.id) AS uses")
    over_codes = db.scalar(
        "SELECT coalesce(sum(greatest(n - max_uses, 0)), 0) FROM (SELECT c.max_uses, count(r.id) AS n "
        f"FROM promotion_codes c LEFT JOIN promotion_redemptions r ON r.code_id = c.id AND {counted} "
        "WHERE c.max_uses IS NOT NULL GROUP BY c.id) AS uses")
    return over_promotions + over_codes


def duplicate_orders(db, baseline):
    """Paid orders beyond the first for one cart, or for one web buyer's e-mail (each checkout has its own)."""
    extra = "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM orders WHERE status = 'paid' " \
            "AND id > :base AND {key} GROUP BY {group} HAVING count(*) > 1) AS twice"
    return (db.scalar(extra.format(key="cart_id IS NOT NULL", group="cart_id"), base=baseline)
            + db.scalar(extra.format(key="email LIKE 'soak-%-%@example.com' AND channel = 'web'", group="email"),
                        base=baseline))


def duplicate_charges(db, baseline):
    """Succeeded payments beyond one per order: in the database, and PaymentIntents at localstripe."""
    in_db = db.scalar("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM payments p JOIN orders o "
                      "ON o.id = p.order_id WHERE p.status = 'succeeded' AND o.id > :base GROUP BY p.order_id "
                      "HAVING count(*) > 1) AS twice", base=baseline)
    succeeded = {}
    for intent in stripe.PaymentIntent.list(limit=100).auto_paging_iter():
        intent = intent.to_dict()
        number = (intent.get("metadata") or {}).get("order_number")
        if intent.get("status") == "succeeded" and number:
            succeeded[number] = succeeded.get(number, 0) + 1
    return in_db + sum(n - 1 for n in succeeded.values())


def expected_message_ids(db, baseline):
    """The Message-ID the mail worker gives each paid order's confirmation (shop.mail.worker._message_id)."""
    rows = db.rows("SELECT m.id, m.created_at FROM outbox_messages m JOIN orders o ON o.id = m.order_id "
                   "WHERE o.status = 'paid' AND o.id > :base AND m.dedupe_key LIKE 'order-confirmation:%'",
                   base=baseline)
    return {f"<outbox.{mid}.{created:%Y%m%d%H%M%S}@{SENDER_DOMAIN}>" for mid, created in rows}


def received_message_ids(maildir):
    if not maildir.exists():
        return set()
    return {message["Message-ID"] for message in mailbox.Maildir(maildir, create=False)}


def emails_lost(db, baseline, maildir):
    """Confirmations never received, after giving the mail worker MAIL_GRACE_SECONDS to catch up."""
    deadline = time.monotonic() + MAIL_GRACE_SECONDS
    while True:
        missing = expected_message_ids(db, baseline) - received_message_ids(maildir)
        if not missing or time.monotonic() > deadline:
            return len(missing)
        time.sleep(1)


# ---- the report ----------------------------------------------------------------------------------------

def by_kind(environment):
    """{kind: (requests, failures, p50, p95, p99)} in ms, kinds sorted by name."""
    kinds = {}
    for entry in environment.stats.entries.values():
        times = [ms for ms, n in entry.response_times.items() for _ in range(n)]
        requests, failures, merged = kinds.get(entry.name, (0, 0, []))
        kinds[entry.name] = (requests + entry.num_requests, failures + entry.num_failures, merged + times)
    return {name: (n, f, percentile(t, 50), percentile(t, 95), percentile(t, 99))
            for name, (n, f, t) in sorted(kinds.items())}


def report(environment, figures, args):
    """Print the table, the failures and the last line; returns True if a target was missed."""
    kinds = by_kind(environment)
    print(f"{'kind':<42}{'requests':>9}{'fail':>6}{'p50':>8}{'p95':>8}{'p99':>8}")
    for name, (n, failures, p50, p95, p99) in kinds.items():
        print(f"{name:<42}{n:>9}{failures:>6}{p50:>8.0f}{p95:>8.0f}{p99:>8.0f}")
    for error in list(environment.stats.errors.values())[:10]:
        print(f"FAILED x{error.occurrences}: {error.method} {error.name}: {str(error.error)[:300]}")
    for name, value in figures.items():
        print(f"{name:<42}{value:>9}")
    total = environment.stats.total
    ratio = total.num_failures / total.num_requests if total.num_requests else 1.0
    counts = ("oversold", "promotion overuse", "duplicate orders", "duplicate charges", "e-mails lost")
    missed = [f"failure ratio {ratio:.2%} >= {TARGET_FAILURE_RATIO:.0%}"] if ratio >= TARGET_FAILURE_RATIO else []
    missed += [f"{name} {figures[name]}" for name in counts if figures[name]]
    for miss in missed:
        print(f"MISS: {miss}")
    latency = "; ".join(f"{name} {p50:.0f}/{p95:.0f}/{p99:.0f}" for name, (_, _, p50, p95, p99) in kinds.items())
    print(f"SOAK users={args.users} minutes={args.minutes:g} requests={total.num_requests} failures={ratio:.2%} "
          f"| p50/p95/p99 ms: {latency} | paid={figures['orders paid']} oversold={figures['oversold']} "
          f"promo_over={figures['promotion overuse']} dup_orders={figures['duplicate orders']} "
          f"dup_charges={figures['duplicate charges']} mails_lost={figures['e-mails lost']} "
          f"| {'MISS' if missed else 'ok'}")
    return bool(missed)


def soak(args, tmp):
    with ExitStack() as stack:
        db = Database("postgresql", tmp, "soak")
        stack.callback(db.drop)
        codes, accounts = make_fixtures(db, args)
        baseline = db.scalar("SELECT coalesce(max(id), 0) FROM orders")
        stripe_base = start_localstripe(stack, tmp)
        stripe.api_key, stripe.api_base = local_server.DEV_SECRET_KEY, stripe_base
        smtp_port, maildir = start_smtp_sink(stack, tmp)
        nginx_port = free_port()
        counting = start_redis_counting(stack, args.redis)
        env = app_env(db, nginx_port, stripe_base, smtp_port, **counting)
        servers = start_app_servers(stack, tmp, env, args.workers)
        base = start_nginx(stack, tmp, nginx_port, servers)
        spawn(stack, "mail-worker", [str(BIN / "flask"), "mail-worker", "--interval", "0.5"], tmp, env)
        local_server.register_webhook(stripe_base, f"{base}/stripe/webhook", local_server.DEV_WEBHOOK_SECRET)
        print(f"soak: {args.users} users for {args.minutes:g} min through {base} (logs in {tmp})", file=sys.stderr)
        environment = run_locust(base, make_plan(db, stripe_base, codes, accounts), args)
        time.sleep(3)  # localstripe sends its events a second after each call: let the last ones land
        if counting:
            print_redis_counts(db, args.redis, counting["REDIS_PREFIX"])
        return report(environment, check(db, args, baseline, maildir), args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2, help="sync workers of each of the two gunicorns")
    parser.add_argument("--stock", type=int, default=30, help="copies of the book at the start")
    parser.add_argument("--promo-limit", type=int, default=10, help="uses of the soak's limited promotion")
    parser.add_argument("--requests-per-user", type=int, default=400, help="stop early past users x this")
    parser.add_argument("--redis", default="", metavar="URL",
                        help="count the rate limits in this Redis (REDIS_URL), e.g. redis://127.0.0.1:6379/0")
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary directory (its path is printed)")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even if a target is missed")
    args = parser.parse_args()
    handle_signals()
    logging.getLogger("stripe").setLevel(logging.WARNING)  # create_app logs at INFO: not every Stripe call
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("soak: the hard time cap was reached"))
    signal.alarm(int(args.minutes * 60) + HARD_CAP_EXTRA_SECONDS)
    if args.keep_logs:
        missed = soak(args, tempfile.mkdtemp(prefix="soak-"))
    else:
        with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
            missed = soak(args, tmp)
    sys.exit(1 if missed and not args.no_fail else 0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
