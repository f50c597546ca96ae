"""Phone orders keyed in while the caller waits, and a placed phone order's page: staff."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF

bp = protect_blueprint(Blueprint("phone", __name__, url_prefix="/backoffice/phone"), ROLE_STAFF)
