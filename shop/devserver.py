"""`flask dev-server`: the whole shop on one machine, for development and demos.

With no Stripe keys configured it starts a local Stripe-compatible server (localstripe), points the
shop and the checkout page's Stripe.js stand-in at it, and registers the shop's webhook with it, so
that the test card 4242 4242 4242 4242 works with no Stripe account. It also runs, in background
threads, the mail worker and the scheduled jobs production runs from cron (releasing stock held by
unpaid orders, pruning old rate-limit attempts).
"""

import atexit
import logging
import os
import threading
from datetime import timedelta

import click
from flask import current_app
from werkzeug.serving import run_simple

from shop.accounts import ratelimit
from shop.extensions import db
from shop.mail import outbox, worker
from shop.orders import services as orders
from shop.payments import local_server, stripe_gateway

log = logging.getLogger(__name__)
STANDIN_JS = "/static/js/stripe-standin.js"


def point_at_local_stripe(app, api_base, public_url, secret_key=local_server.DEV_SECRET_KEY,
                          publishable_key=local_server.DEV_PUBLISHABLE_KEY,
                          webhook_secret=local_server.DEV_WEBHOOK_SECRET):
    """Keys, the Stripe.js stand-in and the webhook, for a local Stripe-compatible server that answers."""
    app.config.update(
        STRIPE_SECRET_KEY=secret_key,
        STRIPE_PUBLISHABLE_KEY=publishable_key,
        STRIPE_WEBHOOK_SECRET=webhook_secret,
        STRIPE_API_BASE=api_base,
        STRIPE_JS_URL=STANDIN_JS,
        STRIPE_JS_API_BASE=api_base,
    )
    stripe_gateway.configure(app)
    local_server.register_webhook(api_base, f"{public_url}/stripe/webhook", webhook_secret)


def use_local_stripe(app, port, public_url):
    process = local_server.start(port)
    atexit.register(process.terminate)
    api_base = f"http://127.0.0.1:{port}"
    point_at_local_stripe(app, api_base, public_url)
    return api_base


def _scheduled_jobs(app, stop, interval):
    """What cron runs in production: `flask expire-orders` every minute, `flask prune-attempts` now and then."""
    while not stop.is_set():
        with app.app_context():
            try:
                for order in orders.expire_unpaid():
                    log.info("order %s expired unpaid: stock released", order.number)
                ratelimit.prune()
                outbox.redact_sent(timedelta(days=app.config["OUTBOX_RETENTION_DAYS"]))
                db.session.commit()
            except Exception:
                log.exception("a scheduled job failed")
                db.session.rollback()
            finally:
                db.session.remove()
        stop.wait(interval)


def _mail_loop(app, stop):
    with app.app_context():
        worker.run_forever(interval=2.0, stop_event=stop)


def start_background_jobs(app):
    stop = threading.Event()
    threading.Thread(target=_mail_loop, args=(app, stop), daemon=True, name="mail-worker").start()
    threading.Thread(target=_scheduled_jobs, args=(app, stop, 30.0), daemon=True, name="scheduled-jobs").start()
    return stop


def init_app(app):
    @app.cli.command("dev-server")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    @click.option("--stripe-port", default=8420, show_default=True, type=int)
    def dev_server(host, port, stripe_port):
        """Serve the shop with local payments, the mail worker and order expiry."""
        app = current_app._get_current_object()
        public_url = f"http://{host}:{port}"
        if not os.environ.get("PUBLIC_BASE_URL"):  # links in e-mails point at this server
            app.config["PUBLIC_BASE_URL"] = public_url
        trusted = app.config.get("TRUSTED_HOSTS")
        if trusted is not None and host not in trusted:
            app.config["TRUSTED_HOSTS"] = [*trusted, host]
        if not app.config["STRIPE_SECRET_KEY"]:
            api_base = use_local_stripe(app, stripe_port, public_url)
            click.echo(f"Payments: local Stripe-compatible server at {api_base} (test card 4242 4242 4242 4242)")
        if app.config.get("DEV_MAILBOX"):
            click.echo(f"Mail: read what the shop sends at {public_url}/dev/mail")
        start_background_jobs(app)
        click.echo(f"The shop: {public_url}")
        run_simple(host, port, app, use_reloader=False, threaded=True)
