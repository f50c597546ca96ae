"""Customers (staff): find a customer, see their whole history on one page, write notes, merge two
records of one person."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF

bp = protect_blueprint(Blueprint("customers", __name__, url_prefix="/backoffice/customers"), ROLE_STAFF)
