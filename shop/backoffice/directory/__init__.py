"""Staff's directory room: review therapists' listings (approve, hide or reject with a reason)."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF

bp = protect_blueprint(Blueprint("directory_admin", __name__, url_prefix="/backoffice/directory"), ROLE_STAFF)
