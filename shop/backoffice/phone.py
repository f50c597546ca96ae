"""Phone orders from the order line, and the call log."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint

bp = protect_blueprint(Blueprint("phone", __name__, url_prefix="/backoffice/phone"), "staff")
