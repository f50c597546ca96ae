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
from shop.extensions import db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The shop on its own SQLite file with the demo catalogue."""
    base = tmp_path_factory.mktemp("e2e")
    media = base / "media"
    application = create_app("test", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'shop.db'}",
        "MEDIA_ROOT": str(media),
    })
    with application.app_context():
        upgrade()
        load_demo(str(media))
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
    try:
        yield f"http://127.0.0.1:{server.server_port}"
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
