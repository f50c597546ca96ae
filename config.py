"""Settings for the shop, read from the environment.

Pick a settings class with SHOP_CONFIG=development|test|production. `wsgi.py` (gunicorn) starts in
production unless SHOP_CONFIG says otherwise; `make run` sets SHOP_CONFIG=development.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 (refused in production)


def _env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def _env_int(name, default):
    return int(_env(name, default))


def _env_bool(name, default=False):
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name):
    value = _env(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else None


def _development_secret_key():
    """A random key made once for this checkout (instance/dev-secret-key): development never runs on the
    published default, so a session forged with it opens nothing."""
    path = BASE_DIR / "instance" / "dev-secret-key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = os.urandom(32).hex()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(key)
        return key


def _database_url(default):
    url = _env("DATABASE_URL", default)
    # Heroku-style URLs say postgres://; SQLAlchemy wants postgresql://
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return url


class Config:
    SECRET_KEY = _env("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'shop.db'}")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SHOP_NAME = _env("SHOP_NAME", "Soft Tissue Release Education")
    SHOP_TIMEZONE = _env("SHOP_TIMEZONE", "America/New_York")
    ORDER_PHONE = _env("ORDER_PHONE", "1 800 741 5716")
    ORDER_PHONE_LABEL = _env("ORDER_PHONE_LABEL", "Order by phone (USA)")
    ORDER_PHONE_HOURS = _env("ORDER_PHONE_HOURS", "Monday to Friday, 9 am to 5 pm Eastern")
    CONTACT_EMAIL = _env("CONTACT_EMAIL", "orders@softtissuerelease.example")
    # printed on receipts: the shop's postal address (one line per "|") and its sales-tax registration
    SHOP_ADDRESS = _env("SHOP_ADDRESS", "100 Example Street|Columbus, OH 43004")
    SHOP_TAX_ID = _env("SHOP_TAX_ID", "")
    # Every absolute link in e-mails, certificates and QR codes, e.g. https://shop.example.com: never the
    # Host header of a request (required in production). TRUSTED_HOSTS: the host names the shop answers to
    # (comma-separated); by default PUBLIC_BASE_URL's host. A request for any other host is refused (400).
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "")
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS")
    # How many proxies (nginx, a load balancer) stand in front of the app: their X-Forwarded-For/-Proto/-Host
    # are believed for that many hops, so rate limits count each client, not the proxy. 0: none trusted.
    PROXY_FIX_HOPS = _env_int("PROXY_FIX_HOPS", 0)
    # Rate limits and failed logins in Redis instead of the database, e.g. redis://10.0.0.5:6379/0 (optional:
    # the database counts them across app servers as well). Keys start with REDIS_PREFIX.
    REDIS_URL = _env("REDIS_URL", "")
    REDIS_PREFIX = _env("REDIS_PREFIX", "shop:")
    # card payments tried per hour from one address, and in one checkout or on one payment link
    CARD_ATTEMPTS_PER_IP = _env_int("CARD_ATTEMPTS_PER_IP", 20)
    CARD_ATTEMPTS_PER_VISITOR = _env_int("CARD_ATTEMPTS_PER_VISITOR", 8)
    # declined cards one order takes (at checkout or on its payment link) before it is closed and its copies
    # and promotion uses are released (a card tester, or someone hoarding the last copies)
    CARD_DECLINES_PER_ORDER = _env_int("CARD_DECLINES_PER_ORDER", 5)
    # how long Stripe retries a failed membership renewal (its Billing retry settings): the "update your card by" date
    MEMBERSHIP_RETRY_DAYS = _env_int("MEMBERSHIP_RETRY_DAYS", 14)
    MEDIA_ROOT = _env("MEDIA_ROOT", str(BASE_DIR / "instance" / "media"))
    # files served only after an access check (course files, certificates); empty: "private" beside MEDIA_ROOT
    PRIVATE_MEDIA_ROOT = _env("PRIVATE_MEDIA_ROOT", "")
    # several app servers: files in an S3-compatible store instead (see shop/core/storage.py)
    STORAGE_URL = _env("STORAGE_URL", "")  # s3://bucket/prefix
    S3_ENDPOINT_URL = _env("S3_ENDPOINT_URL", "")  # empty: AWS itself
    S3_REGION = _env("S3_REGION", _env("AWS_DEFAULT_REGION", ""))
    SIGNED_URL_SECONDS = _env_int("SIGNED_URL_SECONDS", 60)  # how long a handed-out file's link works
    # Certificates: how many days before an approval lapses the dashboard warns staff
    APPROVAL_WARNING_DAYS = _env_int("APPROVAL_WARNING_DAYS", 120)

    CATALOGUE_PAGE_SIZE = _env_int("CATALOGUE_PAGE_SIZE", 24)
    LOW_STOCK_THRESHOLD = _env_int("LOW_STOCK_THRESHOLD", 5)
    # Rendered storefront pages are cached per process and dropped when the catalogue changes;
    # other processes notice a change within PAGE_CACHE_CHECK_SECONDS.
    PAGE_CACHE = _env_bool("PAGE_CACHE", True)
    PAGE_CACHE_CHECK_SECONDS = float(_env("PAGE_CACHE_CHECK_SECONDS", "1.0"))

    # Payments (Stripe). In development with no keys, `make run` starts a local Stripe-compatible server.
    STRIPE_SECRET_KEY = _env("STRIPE_SECRET_KEY", "")
    STRIPE_PUBLISHABLE_KEY = _env("STRIPE_PUBLISHABLE_KEY", "")
    STRIPE_WEBHOOK_SECRET = _env("STRIPE_WEBHOOK_SECRET", "")
    STRIPE_API_BASE = _env("STRIPE_API_BASE", "")  # empty: Stripe's own API
    STRIPE_JS_URL = _env("STRIPE_JS_URL", "https://js.stripe.com/v3/")
    STRIPE_JS_API_BASE = _env("STRIPE_JS_API_BASE", "")  # only for the local Stripe.js stand-in
    # seconds to wait for Stripe's answer; a charge left unanswered is looked up before any new one
    STRIPE_TIMEOUT_SECONDS = _env_int("STRIPE_TIMEOUT_SECONDS", 20)
    RECONCILE_HOURS = _env_int("RECONCILE_HOURS", 72)  # how far back `flask reconcile-payments` reads Stripe's events
    RESERVATION_MINUTES = _env_int("RESERVATION_MINUTES", 30)
    # phone orders
    PHONE_HOLD_MINUTES = _env_int("PHONE_HOLD_MINUTES", 20)  # copies held for a draft, from its last change
    PHONE_CHECK_HOLD_DAYS = _env_int("PHONE_CHECK_HOLD_DAYS", 14)  # held while a check or money order is due
    PAYMENT_LINK_HOURS = _env_int("PAYMENT_LINK_HOURS", 72)  # how long an e-mailed payment link works
    PHONE_CARD_MOTO = _env_bool("PHONE_CARD_MOTO", True)  # mail/telephone order flag (the Stripe account must allow it)

    # E-mail: every message goes through the outbox table; `flask mail-worker` sends it.
    MAIL_SERVER = _env("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = _env(
        "MAIL_DEFAULT_SENDER", "Soft Tissue Release Education <orders@softtissuerelease.example>"
    )
    MAIL_SUPPRESS_SEND = _env_bool("MAIL_SUPPRESS_SEND", False)
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 12)
    OUTBOX_RETENTION_DAYS = _env_int("OUTBOX_RETENTION_DAYS", 7)  # sent e-mails' bodies (their links) kept this long
    MAIL_TIMEOUT_SECONDS = _env_int("MAIL_TIMEOUT_SECONDS", 10)
    # a worker killed mid-send: its message is sent again by another once this claim runs out (> the timeout)
    MAIL_CLAIM_SECONDS = _env_int("MAIL_CLAIM_SECONDS", 300)
    DEV_MAILBOX = False  # the browser page that shows the outbox: development only

    # every request body at most this (uploads raise it for their own routes; the webhook lowers it)
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    # "Keep me logged in": a remember cookie of 30 days (it carries the session version, so logging out
    # everywhere or a new password ends it too); a session without it ends with the browser
    PERMANENT_SESSION_LIFETIME = timedelta(days=_env_int("SESSION_DAYS", 30))
    REMEMBER_COOKIE_DURATION = timedelta(days=_env_int("SESSION_DAYS", 30))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST = False
    STAFF_IDLE_HOURS = _env_int("STAFF_IDLE_HOURS", 8)  # a staff session unused this long ends


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = _env("SECRET_KEY") or _development_secret_key()
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    LOCAL_HOSTS = ("127.0.0.1", "localhost")  # answered too: the dev server is on loopback

    @classmethod
    def check(cls, settings):
        if settings.get("SECRET_KEY") == DEFAULT_SECRET_KEY:
            return "SECRET_KEY is the published development default: unset it (a random one is made) or set your own."
        return None
    DEV_MAILBOX = True
    MAIL_SUPPRESS_SEND = _env_bool("MAIL_SUPPRESS_SEND", True)


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    PUBLIC_BASE_URL = "http://localhost"
    REDIS_URL = ""  # the database counts the limits; the Redis tests set it
    CARD_ATTEMPTS_PER_IP = 100_000  # every test client shares 127.0.0.1 (the limit's own test lowers it)
    LOCAL_HOSTS = ("127.0.0.1", "localhost")  # the test client and the browser tests' live server
    WTF_CSRF_ENABLED = True
    PAGE_CACHE = False
    SERVER_NAME = None
    MAIL_SUPPRESS_SEND = False
    PASSWORD_HASH_FAST = True  # tests hash with cheap Argon2 parameters


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    HSTS = _env_bool("HSTS", True)  # Strict-Transport-Security for a year (served over HTTPS only)
    ALLOW_LOCAL_STRIPE = _env_bool("ALLOW_LOCAL_STRIPE", False)  # benchmarks only: production settings, local Stripe
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls, settings):
        """Refuse to start with settings that are unsafe in production."""
        key = settings.get("SECRET_KEY")
        if not key or key == DEFAULT_SECRET_KEY:
            return "SECRET_KEY is missing or still the development default: set a long random SECRET_KEY."
        if len(key) < 32:
            return "SECRET_KEY is too short: use at least 32 random characters."
        if not settings.get("PUBLIC_BASE_URL"):
            return ("PUBLIC_BASE_URL is missing: set the shop's public address, e.g. https://shop.example.com "
                    "(every link in e-mails is built from it).")
        for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
            if not settings.get(name):
                return f"{name} is missing: set the Stripe account's keys and the webhook's signing secret."
        stand_in = ("stripe-standin" in (settings.get("STRIPE_JS_URL") or "") or settings.get("STRIPE_JS_API_BASE")
                    or settings.get("STRIPE_API_BASE"))
        if stand_in and not settings.get("ALLOW_LOCAL_STRIPE"):
            return ("STRIPE_JS_URL or STRIPE_JS_API_BASE points at the development stand-in of Stripe.js: "
                    "production loads Stripe's own (leave both unset).")
        return None


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name=None):
    """The settings class by name, else SHOP_CONFIG's (development for the flask CLI when neither is given)."""
    name = (name or _env("SHOP_CONFIG", "development")).strip()
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(f"Unknown SHOP_CONFIG {name!r}: use one of {', '.join(CONFIGS)}.") from None
