"""Browser fixtures: the demo shop on a SQLite file, served by a live server, driven by Debian's Chromium.

- `live_app`: the Flask app (session-scoped; SQLite only, built by migrations, demo catalogue loaded).
  Use `with live_app.app_context():` to read or change its database from a test.
- `live_server`: the base URL, e.g. "http://127.0.0.1:41234" (no trailing slash).
- `browser`: one headless Chromium for the session.
- `page`: a fresh context and page per test, 1280x900; pass `new_page(width=390, height=844)` for a phone.

These names do not touch the root `app` fixture, so e2e tests are never parametrized over PostgreSQL and
the root autouse fixture does not empty tables under them: the live database keeps what a test writes.
"""

import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from shop import create_app
from shop.catalogue.seeding import load_demo
from shop.content.demo_articles import load_demo_articles
from shop.content.demo_directory import load_demo_directory
from shop.core import storage
from shop.courses.demo_content import load_course_content
from shop.extensions import db
from tests.support.browser import DESKTOP

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The shop on its own SQLite file with the demo catalogue and its courses' content (as `flask seed-demo`)."""
    base = tmp_path_factory.mktemp("e2e")
    media = base / "media"
    application = create_app("test", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'shop.db'}",
        "MEDIA_ROOT": str(media),
    })
    with application.app_context():
        upgrade()
        load_demo(storage.public())
        load_course_content()
        load_demo_articles()
        load_demo_directory(application.config["SHOP_TIMEZONE"])
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve `live_app` from a background thread on a free port; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_BASE_URL"] = base  # links in e-mails point at this server, as under make run
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; skipped when missing, except under CI where it is required."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM} (make browser)"
        if IN_CI:
            pytest.fail(message + " (CI=true: the browser tests are required)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Factory: `new_page(width=..., height=...)` opens a page in a fresh context, closed after the test."""
    contexts = []

    def open_page(width=DESKTOP["width"], height=DESKTOP["height"], **context_options):
        context = browser.new_context(viewport={"width": width, "height": height}, **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page (1280x900) in its own context."""
    return new_page(**DESKTOP)


@pytest.fixture(scope="session")
def artifacts_dir():
    """test-artifacts/ at the repository root (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# ---- payments and mail for the live shop ---------------------------------------------------------

@pytest.fixture(scope="session")
def live_smtp():
    """An aiosmtpd server for the session (tests.support.smtp's `smtp_server` needs the root `app` fixture)."""
    from tests.support.smtp import SMTPServer

    server = SMTPServer()
    server.start()
    yield server
    server.stop()


def use_local_stripe(app, api_base, public_url, keys):
    """What `make run` does once localstripe answers (shop.devserver.point_at_local_stripe), with the suite's keys."""
    from shop.devserver import point_at_local_stripe

    point_at_local_stripe(app, api_base, public_url, secret_key=keys.SECRET_KEY,
                          publishable_key=keys.PUBLISHABLE_KEY, webhook_secret=keys.WEBHOOK_SECRET)


@pytest.fixture(scope="session")
def _live_shop_setup(live_app, live_server, localstripe, live_smtp):
    from shop.shipping.services import seed_defaults
    from tests.support import stripe_server

    use_local_stripe(live_app, localstripe, live_server, stripe_server)
    live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=live_smtp.port, MAIL_USE_TLS=False,
                           MAIL_USE_SSL=False, MAIL_USERNAME=None, MAIL_PASSWORD=None, MAIL_SUPPRESS_SEND=False)
    with live_app.app_context():
        seed_defaults()
        db.session.remove()
    return live_server


@pytest.fixture
def live_shop(live_app, _live_shop_setup):
    """The live shop taking card payments through localstripe and sending mail to `live_smtp`; the base URL.

    Like `make run`: the checkout page loads static/js/stripe-standin.js pointed at localstripe, and
    localstripe sends signed webhooks to the live server. Uses the suite's test keys (tests.support.stripe_server),
    so integration tests sharing the session's localstripe agree on them. The default shipping methods
    are seeded. The stripe module's settings are process-wide and every create_app() resets them, so
    they are applied again for each test (the rest is set up once per session).
    """
    from shop.payments import stripe_gateway

    stripe_gateway.configure(live_app)
    return _live_shop_setup


@pytest.fixture(scope="session")
def screenshots(artifacts_dir):
    """Where the accessibility walks save their full-page screenshots."""
    directory = artifacts_dir / "screenshots"
    directory.mkdir(exist_ok=True)
    return directory
