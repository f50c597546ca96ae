"""The shop's application factory: create_app() and the register_* helpers it calls in turn."""

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from config import config_for
from shop import cli, devserver, extensions, models, templating
from shop.accounts import (
    access,
    loader,  # noqa: F401  (Flask-Login's user loader)
)
from shop.accounts import views as account_views
from shop.backoffice.articles import views as office_articles
from shop.backoffice.calls import views as calls
from shop.backoffice.catalogue import views as office_catalogue
from shop.backoffice.courses import views as office_courses
from shop.backoffice.customers import views as customers
from shop.backoffice.desk import views as desk
from shop.backoffice.directory import views as office_directory
from shop.backoffice.marketing import views as marketing
from shop.backoffice.members import views as members
from shop.backoffice.phone import views as phone
from shop.backoffice.reports import views as office_reports
from shop.backoffice.settings import views as office_settings
from shop.backoffice.stock import views as stock
from shop.backoffice.tax import views as office_tax
from shop.backoffice.users import views as users
from shop.checkout import views as webhooks
from shop.core import database
from shop.mail import views as dev_mail
from shop.payments import stripe_gateway
from shop.storefront import (
    account,
    articles,
    cart,
    catalogue,
    certificates,
    checkout,
    directory,
    learning,
    membership,
    pages,
    payment_link,
    seo,
)
from shop.web import errors, first_visit, pagecache, security

ROOT = Path(__file__).resolve().parent.parent
STOREFRONT = (catalogue, pages, cart, checkout, account, payment_link, learning, certificates, membership, articles,
              directory,
              seo)
BACK_OFFICE = (office_reports, phone, calls, customers, desk, office_catalogue, office_courses, stock, users,
               office_settings, office_tax, marketing, office_articles, members, office_directory)
assert models  # every model is registered with the metadata (migrations compare against it)


def create_app(config_name=None, overrides=None):
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    settings = config_for(config_name)
    app.config.from_object(settings)
    if overrides:
        app.config.update(overrides)
    check = getattr(settings, "check", None)
    if check is not None:
        problem = check(app.config)
        if problem:
            raise SystemExit(f"Refusing to start: {problem}")
    os.makedirs(app.config["MEDIA_ROOT"], exist_ok=True)
    if not app.config.get("PRIVATE_MEDIA_ROOT"):
        app.config["PRIVATE_MEDIA_ROOT"] = str(Path(app.config["MEDIA_ROOT"]).resolve().parent / "private")
    if app.config.get("TRUSTED_HOSTS") is None and app.config.get("PUBLIC_BASE_URL"):
        hosts = [urlsplit(app.config["PUBLIC_BASE_URL"]).hostname, *app.config.get("LOCAL_HOSTS", ())]
        app.config["TRUSTED_HOSTS"] = [host for host in dict.fromkeys(hosts) if host]
    public, private = Path(app.config["MEDIA_ROOT"]).resolve(), Path(app.config["PRIVATE_MEDIA_ROOT"]).resolve()
    if private == public or public in private.parents:
        raise SystemExit("Refusing to start: PRIVATE_MEDIA_ROOT is inside MEDIA_ROOT, so /media/ would serve "
                         "course files and certificates to anyone. Put it beside MEDIA_ROOT instead.")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)

    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    register_blueprints(app)
    register_templating(app)
    register_errors(app)
    register_cli(app)
    logging.basicConfig(level=logging.INFO)
    return app


def register_extensions(app):
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config["SQLALCHEMY_DATABASE_URI"],
                                                                      app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.mail.init_app(app)
    extensions.login_manager.init_app(app)
    database.configure(app)
    stripe_gateway.configure(app)


class DatabaseIdConverter(IntegerConverter):
    """<int:...> in URLs stops at the largest id a database integer column holds (a bigger one is a 404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_blueprints(app):
    app.url_map.converters["int"] = DatabaseIdConverter
    for module in (*STOREFRONT, account_views, webhooks):
        app.register_blueprint(module.bp)
    for module in BACK_OFFICE:  # each protected by role (see shop.accounts.access)
        app.register_blueprint(module.bp)
    access.install(app)  # role checks run before anything else reads a request
    first_visit.init_app(app)  # Add to cart from a first visit: checked by origin, not by a token
    dev_mail.init_app(app)  # the development-only mailbox, when DEV_MAILBOX is on


def register_templating(app):
    templating.init_app(app)
    pagecache.init_app(app)


def register_errors(app):
    errors.init_app(app)
    security.init_app(app)  # the security headers, on every response


def register_cli(app):
    cli.init_app(app)
    devserver.init_app(app)
