"""The back-office dashboard and the sales report: staff and marketing."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_MARKETING, ROLE_STAFF

bp = protect_blueprint(Blueprint("reports", __name__, url_prefix="/backoffice"), ROLE_STAFF, ROLE_MARKETING)
