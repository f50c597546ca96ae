"""The members room: every membership's state and invoices, phone sign-ups, cancellations and refunds."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF

bp = protect_blueprint(Blueprint("members", __name__, url_prefix="/backoffice/members"), ROLE_STAFF)
