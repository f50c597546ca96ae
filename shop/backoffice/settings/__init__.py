"""Settings admins change without a deploy, and the shipping methods: admins."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_ADMIN

bp = protect_blueprint(Blueprint("settings", __name__, url_prefix="/backoffice/settings"), ROLE_ADMIN)
