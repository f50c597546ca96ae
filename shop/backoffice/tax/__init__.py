"""Sales tax (admins): the rate for each US state and Canadian province where the shop collects tax."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_ADMIN

bp = protect_blueprint(Blueprint("tax_admin", __name__, url_prefix="/backoffice/settings/tax"), ROLE_ADMIN)
