"""The call log: every call to the order line, searchable, and the calls that made no order logged by hand:
staff."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF

bp = protect_blueprint(Blueprint("calls", __name__, url_prefix="/backoffice/phone/calls"), ROLE_STAFF)
