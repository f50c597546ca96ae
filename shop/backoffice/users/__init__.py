"""Users and roles: admins."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_ADMIN

bp = protect_blueprint(Blueprint("users", __name__, url_prefix="/backoffice/users"), ROLE_ADMIN)
