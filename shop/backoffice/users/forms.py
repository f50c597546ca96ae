"""The users room's form: a role."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from shop.accounts.models import ROLES
from shop.core.forms import choices

ROLE_LABELS = {"customer": "Customer", "staff": "Staff (phone orders, fulfilment)",
               "marketing": "Marketing (catalogue, promotions)", "admin": "Admin (everything)"}


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    submit = SubmitField("Change role")
