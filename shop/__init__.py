"""The shop's application factory."""

import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from config import config_for
from shop import extensions

ROOT = Path(__file__).resolve().parent.parent


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
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_templating(app)
    register_errors(app)
    register_cli(app)
    logging.basicConfig(level=logging.INFO)
    return app


def register_extensions(app):
    # the extension objects are reached through the module: `shop.mail` is also a subpackage's name
    from shop.database import engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"],
                                                             app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.mail.init_app(app)
    extensions.login_manager.init_app(app)
    from shop import database, models  # noqa: F401  (every model registered with the metadata)
    from shop.accounts import loader  # noqa: F401

    database.configure(app)


class DatabaseIdConverter(IntegerConverter):
    """<int:...> in URLs stops at the largest id a database integer column holds (a bigger one is a 404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_blueprints(app):
    app.url_map.converters["int"] = DatabaseIdConverter
    from shop.accounts.routes import bp as accounts_bp
    from shop.cart.routes import bp as cart_bp
    from shop.catalogue.routes import bp as catalogue_bp
    from shop.checkout.routes import bp as checkout_bp
    from shop.pages.routes import bp as pages_bp
    from shop.payments import stripe_gateway

    app.register_blueprint(catalogue_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(cart_bp)
    app.register_blueprint(checkout_bp)
    app.register_blueprint(accounts_bp)
    # the back office: each blueprint is protected by role (see shop.accounts.access)
    from shop.backoffice.admin import bp as admin_bp
    from shop.backoffice.desk import bp as desk_bp
    from shop.backoffice.phone import bp as phone_bp
    from shop.promotions.routes import bp as marketing_bp

    for blueprint in (admin_bp, phone_bp, desk_bp, marketing_bp):
        app.register_blueprint(blueprint)
    from shop.payments.link_routes import bp as payment_links_bp

    app.register_blueprint(payment_links_bp)  # public: the page a payment link opens
    stripe_gateway.configure(app)
    from shop.mail import routes as mail_routes

    mail_routes.init_app(app)  # the development-only mailbox, when DEV_MAILBOX is on


def register_templating(app):
    from shop import pagecache, templating

    templating.init_app(app)
    pagecache.init_app(app)


def register_errors(app):
    from shop import errors

    errors.init_app(app)


def register_cli(app):
    from shop import cli, devserver

    cli.init_app(app)
    devserver.init_app(app)
