"""Account pages: register, log in (with two-factor sign-in's second step) and out, password reset,
e-mail verification, two-factor sign-in, saved addresses.

Views read a form, call one service and redirect or render; a refused form comes back with its
message (422, or 429 when rate-limited, 400 for a bad link). The "My account" overview and a
customer's order pages are in shop.storefront.account (they show orders and courses too).

Over 300 lines: every page of the account blueprint is here, one short view each; the rules they call
live in services, two_factor and addresses.
"""

import time
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from shop.accounts import addresses, forms, ratelimit, reauth, services, sessions, two_factor
from shop.accounts.access import ANY_ROLE, role_required
from shop.accounts.sessions import SEEN_KEY
from shop.core.forms import ConfirmForm

bp = Blueprint("accounts", __name__, url_prefix="/account")
ACCOUNT = "my_account.overview"  # the My account page (shop.storefront.account)

INVALID = 422
NO_STORE = {"Cache-Control": "no-store"}  # pages showing a secret or recovery codes


def safe_next(target):
    """`target` if it is a path on this site ("/courses?x=1"), else None: never another host."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith("//") or len(target) > 2000:
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _ip():
    return ratelimit.client_address()


def _refused(form, error, template, **context):
    """Re-render a form with a service's refusal on its field (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
        return render_template(template, form=form, **context), error.status
    return render_template(template, form=form, error_message=error.message, **context), error.status


def _finish_login(user, remember=False):
    """Log in on a fresh session (nothing a visitor planted before survives but the guest cart, which
    Flask-Login's user_logged_in signal merges). The session outlives the browser only when "keep me
    logged in" was ticked."""
    sessions.fresh()
    login_user(user, remember=remember)
    session.permanent = bool(remember)
    session[SEEN_KEY] = int(time.time())
    reauth.mark(user)  # the password was given just now: sensitive actions need not ask again at once


def _after_login(user, next_url):
    """Where a full login goes: the two-factor setup when the shop requires it of this staff account."""
    if two_factor.setup_needed(user):
        flash("The shop requires two-factor sign-in for staff accounts. Set it up to open the back office.",
              "info")
        return redirect(url_for("accounts.two_factor_status"))
    return redirect(next_url or url_for(ACCOUNT))


def _me():
    return current_user._get_current_object()


# ---- register, log in, log out ---------------------------------------------------------------

@bp.route("/register", methods=["GET", "POST"])
def register():
    form = forms.RegisterForm()
    if not form.validate_on_submit():
        return render_template("accounts/register.html", form=form), INVALID if form.is_submitted() else 200
    try:
        sent = services.sign_up(form.email.data, form.password.data, form.full_name.data, ip=_ip(),
                                marketing_consent=bool(form.marketing_consent.data))
    except services.AccountError as error:
        return _refused(form, error, "accounts/register.html")
    # the same page whether or not the address had an account: nobody is logged in here
    return render_template("accounts/register.html", form=None, sent=sent)


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for(ACCOUNT))
    form = forms.LoginForm()
    context = {"next_url": next_url}
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render_template("accounts/login.html", form=form, **context), status
    try:
        user = services.authenticate(form.email.data, form.password.data, _ip())
    except services.AccountError as error:
        return _refused(form, error, "accounts/login.html", **context)
    if two_factor.is_enabled(user):  # the password is right; nobody is logged in until the code is too
        two_factor.start_login(user, remember=form.remember.data, next_url=next_url)
        return redirect(url_for("accounts.login_two_factor"))
    _finish_login(user, remember=form.remember.data)
    return _after_login(user, next_url)


@bp.route("/login/two-factor", methods=["GET", "POST"])
def login_two_factor():
    """The second step: a code from the app or a recovery code, for the login the session holds."""
    form = forms.TwoFactorCodeForm()
    if two_factor.pending_login() is None:
        return render_template("accounts/login_two_factor.html", form=None, expired=two_factor.EXPIRED), 400
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render_template("accounts/login_two_factor.html", form=form), status
    try:
        pending = two_factor.finish_login(form.code.data, _ip())
    except two_factor.SecondStepExpired as error:
        return render_template("accounts/login_two_factor.html", form=None, expired=error.message), error.status
    except two_factor.TwoFactorError as error:
        return _refused(form, error, "accounts/login_two_factor.html")
    _finish_login(pending.user, remember=pending.remember)
    return _after_login(pending.user, safe_next(pending.next_url))


@bp.post("/logout")
def logout():
    """Log out, on every device: sessions live in signed cookies, so a copy of this one (a stolen cookie,
    a shared computer) would otherwise go on working; the account's session version ends them all."""
    if current_user.is_authenticated:  # CSRFProtect has checked the token, like on every POST
        services.end_all_sessions(_me())
    logout_user()
    session.clear()
    flash("You are logged out, on this device and every other.", "info")
    return redirect(url_for("catalogue.home"))


@bp.route("/password", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def change_password():
    form = forms.ChangePasswordForm()
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render_template("accounts/change_password.html", form=form), status
    try:
        user = services.change_password(_me(), form.current_password.data, form.password.data)
    except services.AccountError as error:
        return _refused(form, error, "accounts/change_password.html")
    _finish_login(user)  # this session goes on; every other one has ended
    flash("Your password is changed. You are logged out everywhere else.", "success")
    return redirect(url_for(ACCOUNT))


# ---- two-factor sign-in ----------------------------------------------------------------------

def _two_factor_page(status=200, disable_form=None, codes_form=None, error_message=None):
    me = _me()
    return render_template("accounts/two_factor.html", enabled=two_factor.is_enabled(me),
                           required=two_factor.required_for(me), codes_left=two_factor.recovery_codes_left(me),
                           start_form=ConfirmForm(formdata=None),
                           disable_form=disable_form or forms.TwoFactorDisableForm(formdata=None),
                           codes_form=codes_form or forms.TwoFactorCodeForm(formdata=None),
                           error_message=error_message), status


@bp.get("/two-factor")
@role_required(*ANY_ROLE)
def two_factor_status():
    return _two_factor_page()


@bp.post("/two-factor/start")
@role_required(*ANY_ROLE)
def two_factor_start():
    try:
        two_factor.begin_setup(_me())
    except two_factor.TwoFactorError as error:
        return _two_factor_page(error.status, error_message=error.message)
    return redirect(url_for("accounts.two_factor_setup"))


def _setup_page(form, secret, status=200, error_message=None):
    uri = two_factor.provisioning_uri(_me(), secret)
    return render_template("accounts/two_factor_setup.html", form=form, secret=secret,
                           qr=two_factor.qr_data_uri(uri), error_message=error_message), status, NO_STORE


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def two_factor_setup():
    secret = two_factor.pending_secret(_me())
    if not secret:
        return redirect(url_for("accounts.two_factor_status"))
    form = forms.TwoFactorSetupForm()
    if not form.validate_on_submit():
        return _setup_page(form, secret, INVALID if form.is_submitted() else 200)
    try:
        codes = two_factor.confirm_setup(_me(), form.code.data)
    except two_factor.TwoFactorError as error:
        return _setup_page(form, secret, error.status, _on_field(form, error))
    return render_template("accounts/two_factor_codes.html", codes=codes, first=True), 200, NO_STORE


@bp.post("/two-factor/recovery-codes")
@role_required(*ANY_ROLE)
def two_factor_recovery_codes():
    form = forms.TwoFactorCodeForm()
    if not form.validate_on_submit():
        return _two_factor_page(INVALID, codes_form=form)
    try:
        codes = two_factor.regenerate_recovery_codes(_me(), form.code.data)
    except two_factor.TwoFactorError as error:
        return _two_factor_page(error.status, codes_form=form, error_message=_on_field(form, error))
    return render_template("accounts/two_factor_codes.html", codes=codes, first=False), 200, NO_STORE


@bp.post("/two-factor/disable")
@role_required(*ANY_ROLE)
def two_factor_disable():
    form = forms.TwoFactorDisableForm()
    if not form.validate_on_submit():
        return _two_factor_page(INVALID, disable_form=form)
    try:
        two_factor.disable(_me(), form.password.data, form.code.data)
    except two_factor.TwoFactorError as error:
        return _two_factor_page(error.status, disable_form=form, error_message=_on_field(form, error))
    flash("Two-factor sign-in is off. Your password alone logs you in now.", "success")
    return redirect(url_for("accounts.two_factor_status"))


def _on_field(form, error):
    """Put a refusal on the field it names; the message to show above the form when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return error.message
    field.errors = [*field.errors, error.message]
    return None


# ---- password reset --------------------------------------------------------------------------

@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render_template("accounts/forgot_password.html", form=form), status
    try:
        message = services.request_password_reset(form.email.data, _ip())
    except services.AccountError as error:
        return _refused(form, error, "accounts/forgot_password.html")
    return render_template("accounts/forgot_password.html", form=form, sent=message)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    form = forms.ResetPasswordForm()
    try:
        user = services.user_for_reset_token(token)
    except services.BadToken as error:
        return render_template("accounts/reset_password.html", form=None, token_error=error.message), 400
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render_template("accounts/reset_password.html", form=form, user=user), status
    try:
        services.reset_password(token, form.password.data)
    except services.BadToken as error:
        return render_template("accounts/reset_password.html", form=None, token_error=error.message), 400
    except services.AccountError as error:
        return _refused(form, error, "accounts/reset_password.html", user=user)
    if current_user.is_authenticated:
        logout_user()
    flash("Your password has been changed. Log in with your new password.", "success")
    return redirect(url_for("accounts.login"))


# ---- e-mail verification ---------------------------------------------------------------------

@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token):
    """GET shows a button; the POST (with CSRF token) confirms, so link scanners change nothing."""
    form = ConfirmForm()
    try:
        owner = services.user_for_verify_token(token)
        if not current_user.is_authenticated or current_user.id != owner.id:
            return render_template("accounts/verify_email.html", form=None, log_in_first=True), 403
        if not form.validate_on_submit():
            return render_template("accounts/verify_email.html", form=form)
        services.verify_email(token, _me())
    except services.BadToken as error:
        return render_template("accounts/verify_email.html", form=None, token_error=error.message), 400
    flash("Thank you: your email address is confirmed.", "success")
    return redirect(url_for(ACCOUNT) if current_user.is_authenticated else url_for("accounts.login"))


@bp.post("/resend-verification")
@role_required(*ANY_ROLE)
def resend_verification():
    try:
        services.resend_verification(_me())
    except services.AccountError as error:
        flash(error.message, "error")
        return redirect(url_for(ACCOUNT))
    flash(f"We have sent a new link to {current_user.email}.", "success")
    return redirect(url_for(ACCOUNT))


# ---- addresses -------------------------------------------------------------------------------

def _own_address(address_id):
    address = addresses.address_for(_me(), address_id)
    if address is None:
        abort(404, description="We could not find that address in your account.")
    return address


@bp.get("/addresses/new")
@role_required(*ANY_ROLE)
def new_address():
    return render_template("accounts/address_form.html", form=forms.AddressForm(), address=None)


@bp.post("/addresses")
@role_required(*ANY_ROLE)
def create_address():
    form = forms.AddressForm()
    if not form.validate_on_submit():
        return render_template("accounts/address_form.html", form=form, address=None), INVALID
    addresses.save_address(_me(), form.data_for_service(), make_default=form.is_default.data)
    flash("Address saved.", "success")
    return redirect(url_for(ACCOUNT, _anchor="addresses"))


@bp.get("/addresses/<int:address_id>/edit")
@role_required(*ANY_ROLE)
def edit_address(address_id):
    address = _own_address(address_id)
    return render_template("accounts/address_form.html", form=forms.AddressForm(obj=address), address=address)


@bp.post("/addresses/<int:address_id>")
@role_required(*ANY_ROLE)
def update_address(address_id):
    address = _own_address(address_id)
    form = forms.AddressForm()
    if not form.validate_on_submit():
        return render_template("accounts/address_form.html", form=form, address=address), INVALID
    addresses.save_address(_me(), form.data_for_service(), address, make_default=form.is_default.data)
    flash("Address saved.", "success")
    return redirect(url_for(ACCOUNT, _anchor="addresses"))


@bp.post("/addresses/<int:address_id>/delete")
@role_required(*ANY_ROLE)
def delete_address(address_id):
    addresses.delete_address(_me(), _own_address(address_id))
    flash("Address deleted.", "success")
    return redirect(url_for(ACCOUNT, _anchor="addresses"))


@bp.post("/addresses/<int:address_id>/default")
@role_required(*ANY_ROLE)
def default_address(address_id):
    addresses.set_default_address(_me(), _own_address(address_id))
    flash("Default address changed.", "success")
    return redirect(url_for(ACCOUNT, _anchor="addresses"))
