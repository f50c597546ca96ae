"""Command-line tasks: `flask seed-demo`, `flask seed-bulk --products N`, `flask create-user`,
`flask mail-worker`, and the scheduled jobs `flask expire-orders`, `flask reconcile-payments` and
`flask prune-attempts` (cron; each is safe to run on every app server at once)."""

import signal
import sys
import threading
from datetime import timedelta

import click
from flask import Flask, current_app

from shop import demo
from shop.accounts import admin as users_admin
from shop.accounts import ratelimit
from shop.accounts.models import ROLES
from shop.catalogue import seeding
from shop.content import demo_articles, demo_directory
from shop.core import storage
from shop.core.errors import Refusal
from shop.core.timeutil import utcnow
from shop.courses import demo_content
from shop.extensions import db
from shop.mail import outbox, worker
from shop.membership import signup
from shop.orders import reconcile
from shop.orders import services as orders
from shop.payments.gateway import GatewayError
from shop.shipping import services as shipping_services


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo catalogue and articles, and in development the demo accounts, directory listings, promotions
        and the customer's order
        (safe to run again: nothing is duplicated)."""
        result = seeding.load_demo(storage.public())
        shipping_services.seed_defaults()
        click.echo(f"Demo catalogue ready: {result['products']} products in {result['categories']} categories "
                   f"({result['created']} rows new).")
        content = demo_content.load_course_content()
        click.echo(f"Demo course content ready: {content['courses']} courses filled with {content['lessons']} "
                   f"lessons, {content['questions']} exam questions and {content['approvals']} approvals added.")
        click.echo(f"Demo articles ready: {demo_articles.load_demo_articles()} added.")
        if demo.is_development(current_app.config):  # the listings' owners are accounts: development only
            listed = demo_directory.load_demo_directory(current_app.config["SHOP_TIMEZONE"])
            click.echo(f"Demo directory ready: {listed} listings added.")
        _seed_demo_people(current_app.config)

    @app.cli.command("seed-bulk")
    @click.option("--products", "count", type=click.IntRange(1, 1_000_000), required=True,
                  help="How many synthetic products to add.")
    def seed_bulk(count):
        """Add a large synthetic catalogue for benchmarks: mostly courses, some books and combos."""
        with click.progressbar(length=count, label="Adding products", file=sys.stderr, show_pos=True) as bar:
            seeding.load_bulk(count, on_batch=lambda done: bar.update(done - bar.pos))
        click.echo(f"Added {count} synthetic products.")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(ROLES), default="customer", show_default=True,
                  help="The account's role (admin for the first back-office account).")
    @click.option("--name", "full_name", default="", help="The person's full name.")
    @click.option("--password-stdin", is_flag=True,
                  help="Read the password from the first line of standard input instead of prompting.")
    def create_user(email, role, full_name, password_stdin):
        """Create an account with a role, e.g. `flask create-user --role admin boss@example.com`."""
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = users_admin.create_user(email, password, role, full_name)
        except users_admin.UserAdminError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Created {user.email} with the role {user.role}.")

    @app.cli.command("mail-worker")
    @click.option("--once", is_flag=True, help="Send what is due now, then exit.")
    @click.option("--interval", type=click.FloatRange(0.1, 3600), default=2.0, show_default=True,
                  help="Seconds to wait when nothing is due.")
    def mail_worker(once, interval):
        """Send the e-mail outbox over SMTP, retrying failures with backoff (Ctrl-C or SIGTERM stops it)."""
        if once:
            sent, failed = worker.send_all_due()
            click.echo(f"Mail sent: {sent}, failed attempts: {failed}.")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            worker.run_forever(interval=interval, stop_event=stop)
        except KeyboardInterrupt:
            stop.set()

    @app.cli.command("expire-orders")
    def expire_orders():
        """Release the stock of unpaid orders past their reservation time, and settle membership starts left
        half-way (run every minute from cron)."""
        expired = orders.expire_unpaid()
        settled = signup.expire_stale_starts()
        click.echo(f"{len(expired)} unpaid orders expired; {settled} unfinished membership starts settled.")

    @app.cli.command("reconcile-payments")
    @click.option("--hours", type=click.IntRange(1, 24 * 30), default=None,
                  help="How far back to read Stripe's events (default RECONCILE_HOURS).")
    @click.option("--since", type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]), default=None,
                  help="Read Stripe's events from this UTC time on instead, e.g. when an outage began.")
    def reconcile_payments(hours, since):
        """Bring orders and memberships in line with Stripe's events, for webhooks that never arrived (run every
        10 minutes from cron, and after an outage). Running it again changes nothing more."""
        if since is None and hours:
            since = utcnow() - timedelta(hours=hours)
        try:
            result = reconcile.reconcile(since)
        except GatewayError as error:
            raise click.ClickException(f"Stripe could not be reached: {error.message}") from None
        click.echo(result.summary())

    @app.cli.command("prune-attempts")
    def prune_attempts():
        """Delete rate-limit attempts older than every limit's window, and the bodies of e-mails sent more than
        OUTBOX_RETENTION_DAYS ago (their links are single-use secrets). Run hourly or daily from cron."""
        pruned = ratelimit.prune()
        redacted = outbox.redact_sent(timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"]))
        db.session.commit()
        click.echo(f"{pruned} old attempts deleted; {redacted} sent e-mails emptied of their links.")


def _seed_demo_people(config):
    """The demo accounts, promotions and the customer's order: development only, printed for `make run`."""
    if not demo.is_development(config):
        click.echo("Demo accounts and promotions are made only in development (SHOP_CONFIG=development).")
        return
    try:
        seeded = demo.seed(development=True, timezone=config["SHOP_TIMEZONE"])
    except Refusal as error:  # a service refused (a demo row changed by hand into something it cannot use)
        details = "; ".join(error.field_errors().values())
        raise click.ClickException(f"The demo could not be seeded: {error.message} {details}".strip()) from None
    except LookupError as error:  # the demo catalogue lacks a product the demo needs
        raise click.ClickException(f"The demo could not be seeded: {error}") from None
    base_url = (config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    for line in demo.summary_lines(seeded, base_url, config["SHOP_TIMEZONE"]):
        click.echo(line)
