"""Marketing's pages: promotions, codes, preview and performance."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint

bp = protect_blueprint(Blueprint("marketing", __name__, url_prefix="/marketing"), "marketing")
