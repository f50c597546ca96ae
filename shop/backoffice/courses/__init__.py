"""The courses room: course content, exams and approvals (admins); learners, certificates and CE Broker (staff)."""

from flask import Blueprint, abort

from shop.accounts.access import protect_blueprint
from shop.accounts.models import ROLE_STAFF, User
from shop.catalogue.models import KIND_COURSE, Product
from shop.core.forms import ConfirmForm
from shop.courses.models import Certificate
from shop.extensions import db

bp = protect_blueprint(Blueprint("courses_admin", __name__, url_prefix="/backoffice/courses"), ROLE_STAFF)

# ---- what the room's pages share: a course, a customer or a certificate, or 404; a confirmed button ----




EXPIRED = "Your form expired. Reload the page and try again."


def confirmed() -> None:
    """A button's form (ConfirmForm) came with its CSRF token; 400 otherwise."""
    if not ConfirmForm().validate_on_submit():
        abort(400, description=EXPIRED)


def course_or_404(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or product.kind != KIND_COURSE:
        abort(404, description="There is no course with this number.")
    return product


def certificate_of(user: User, certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != user.id:
        abort(404, description="That certificate is not this customer's.")
    return certificate


def user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id, description="There is no customer with this number.")
