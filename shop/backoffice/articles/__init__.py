"""Marketing's articles room: write, preview, schedule and publish the publisher's articles."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_MARKETING

bp = protect_blueprint(Blueprint("articles_admin", __name__, url_prefix="/marketing/articles"), ROLE_MARKETING)
