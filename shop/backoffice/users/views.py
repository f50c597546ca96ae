"""Users and roles (admins): search, change a role, deactivate or reactivate.

Views read a form, call one service (shop.accounts.admin) and redirect, or render the page again with
its message (422, or the service's own status: 409 for the last admin or a self-lockout).
"""

from flask import abort, flash, redirect, render_template, request, url_for

from shop.accounts import admin as users_admin
from shop.accounts import reauth
from shop.accounts.forms import ReauthForm
from shop.accounts.models import ROLES, User
from shop.backoffice.users import bp
from shop.backoffice.users.forms import ROLE_LABELS, RoleForm
from shop.core.forms import ConfirmForm
from shop.extensions import db
from shop.web.helpers import current_actor, page_arg, text_arg

INVALID = 422


@bp.get("")
def index():
    q = text_arg("q")
    role = request.args.get("role") if request.args.get("role") in ROLES else ""
    return render_template("backoffice/users/users.html", result=users_admin.search(q, role, page_arg()), q=q,
                           role=role, roles=ROLE_LABELS)


def _user_or_404(user_id):
    return db.get_or_404(User, user_id, description="There is no user with this number.")


def _user_page(user, form=None, status=200, error_message=None, reauth_form=None):
    return render_template("backoffice/users/user.html", user=user,
                           form=form or RoleForm(formdata=None, role=user.role),
                           reauth_form=reauth_form or ReauthForm(formdata=None),
                           ask_password=reauth_form is not None or not reauth.is_fresh(current_actor()),
                           button_form=ConfirmForm(formdata=None), history=users_admin.history(user),
                           error_message=error_message), status


@bp.get("/<int:user_id>")
def user(user_id):
    return _user_page(_user_or_404(user_id))


@bp.post("/<int:user_id>/role")
def change_role(user_id):
    target = _user_or_404(user_id)
    form, reauth_form = RoleForm(), ReauthForm()
    if not form.validate_on_submit():
        return _user_page(target, form, INVALID)
    try:
        reauth.require(current_actor(), reauth_form.reauth_password.data, "role change")
    except reauth.ReauthRefused as error:
        reauth_form.reauth_password.errors = [error.message]
        return _user_page(target, form, error.status, error.message, reauth_form)
    try:
        changed = users_admin.change_role(target, form.role.data, current_actor())
    except users_admin.UserAdminError as error:
        return _user_page(target, form, error.status, error.message)
    flash(f"{target.email} is now {target.role}." if changed else "The role was already that.", "success")
    return redirect(url_for("users.user", user_id=target.id))


def _set_active(user_id, active):
    target = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Reload the page and try again.")
    try:
        users_admin.set_active(target, active, current_actor())
    except users_admin.UserAdminError as error:
        return _user_page(target, status=error.status, error_message=error.message)
    flash(f"{target.email} can log in again." if active else f"{target.email} can no longer log in.", "success")
    return redirect(url_for("users.user", user_id=target.id))


@bp.post("/<int:user_id>/deactivate")
def deactivate(user_id):
    return _set_active(user_id, False)


@bp.post("/<int:user_id>/reactivate")
def reactivate(user_id):
    return _set_active(user_id, True)
