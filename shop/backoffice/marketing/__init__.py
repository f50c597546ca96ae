"""Marketing's room: promotions, their codes, a preview on a cart, and how they performed."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_MARKETING

bp = protect_blueprint(Blueprint("marketing", __name__, url_prefix="/marketing"), ROLE_MARKETING)
