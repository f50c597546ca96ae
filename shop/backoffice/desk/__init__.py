"""The order desk: orders, their detail, fulfilment, cancellations and refunds: staff."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF

bp = protect_blueprint(Blueprint("desk", __name__, url_prefix="/backoffice/orders"), ROLE_STAFF)
