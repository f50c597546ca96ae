"""Stock of books: adjustments with a reason and every movement: staff."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF

bp = protect_blueprint(Blueprint("stock", __name__, url_prefix="/backoffice/stock"), ROLE_STAFF)
