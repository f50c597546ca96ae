"""Catalogue management: products of every kind, their images, categories: marketing."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_MARKETING

bp = protect_blueprint(Blueprint("catalogue_admin", __name__, url_prefix="/backoffice"), ROLE_MARKETING)
