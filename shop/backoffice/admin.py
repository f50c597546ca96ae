"""Back-office dashboard, catalogue and stock management, users, roles and settings."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint

bp = protect_blueprint(Blueprint("admin", __name__, url_prefix="/backoffice"), "staff", "marketing")
