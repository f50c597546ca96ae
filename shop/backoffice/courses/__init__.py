"""The courses room: course content, exams and approvals (admins); learners, certificates and CE Broker (staff)."""

from flask import Blueprint

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF

bp = protect_blueprint(Blueprint("courses_admin", __name__, url_prefix="/backoffice/courses"), ROLE_STAFF)
