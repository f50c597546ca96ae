"""The order desk: the order list, order detail, fulfilment, cancellations, refunds and sales reports."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint

bp = protect_blueprint(Blueprint("desk", __name__, url_prefix="/backoffice/orders"), "staff")
