"""Back-office dashboard, stock, users and roles, settings and shipping rates (catalogue: catalogue_views).

The blueprint lets staff and marketing in; each view narrows that with role_required: catalogue
pages need marketing, stock needs staff, users and settings need admin (an admin has every role).
Views read a form, call one service and redirect, or render the form again with its message (422,
or the service's own status: 409 for a refusal, 413 for an image over 5 MB).
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.accounts.access import protect_blueprint, role_required
from shop.accounts.models import ROLES, User
from shop.backoffice import audit, forms, settings, stock_admin, users_admin
from shop.backoffice import dashboard as dashboard_service
from shop.catalogue.models import KIND_BOOK, Product
from shop.extensions import db
from shop.shipping.models import ShippingMethod

bp = protect_blueprint(Blueprint("admin", __name__, url_prefix="/backoffice"), "staff", "marketing")

INVALID = 422
QUICK_LINKS = (  # (endpoint, label, roles): shown when the endpoint exists and the user has the role
    ("phone.new_order", "Take a phone order", ("staff",)),
    ("desk.orders", "Orders to handle", ("staff",)),
    ("admin.stock", "Adjust stock", ("staff",)),
    ("admin.new_product_choice", "Add a product", ("marketing",)),
    ("marketing.promotions", "Promotions", ("marketing",)),
    ("admin.users", "Users and roles", ("admin",)),
)


def current_actor():
    return current_user._get_current_object()


def page_arg():
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def text_arg(name, limit=200):
    return (request.args.get(name) or "").strip()[:limit]


def refuse(form, error):
    """Put a service's refusal on its form field, or return it to show above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
        return None
    return error.message


# ---- dashboard ---------------------------------------------------------------------------------------

@bp.get("/")
def dashboard():
    return render_template(
        "backoffice/admin/dashboard.html",
        counts=dashboard_service.counts(current_app.config["SHOP_TIMEZONE"]),
        today=dashboard_service.local_today(current_app.config["SHOP_TIMEZONE"]).isoformat(),
        low_stock=stock_admin.low_stock_books(),
        default_threshold=settings.get_setting("LOW_STOCK_THRESHOLD"),
        quick_links=QUICK_LINKS,
    )


# ---- stock -------------------------------------------------------------------------------------------

@bp.get("/stock")
@role_required("staff")
def stock():
    q = text_arg("q")
    return render_template("backoffice/admin/stock.html", books=stock_admin.books(q), q=q,
                           reasons=stock_admin.REASON_LABELS)


def _book_or_404(product_id):
    product = db.session.get(Product, product_id)
    if product is None or product.kind != KIND_BOOK:
        abort(404, description="There is no book with this number.")
    return product


def _stock_page(product, form, status=200, error_message=None):
    return render_template(
        "backoffice/admin/stock_book.html", product=product, form=form, error_message=error_message,
        threshold=stock_admin.threshold_for(product), movements=stock_admin.movements(product),
        movement_sum=stock_admin.movement_sum(product.id), reasons=stock_admin.REASON_LABELS,
    ), status


@bp.get("/stock/<int:product_id>")
@role_required("staff")
def stock_book(product_id):
    return _stock_page(_book_or_404(product_id), forms.StockForm(formdata=None))


@bp.post("/stock/<int:product_id>")
@role_required("staff")
def adjust_stock(product_id):
    product = _book_or_404(product_id)
    form = forms.StockForm()
    if not form.validate_on_submit():
        return _stock_page(product, form, INVALID)
    try:
        delta = stock_admin.adjust(product, form.reason.data, form.quantity.data, form.note.data, current_actor())
    except stock_admin.StockError as error:
        product = _book_or_404(product_id)
        return _stock_page(product, form, error.status, refuse(form, error))
    flash(f"Recorded {delta:+d} for “{product.title}”: {product.stock} in stock now.", "success")
    return redirect(url_for("admin.stock_book", product_id=product.id))


# ---- users -------------------------------------------------------------------------------------------

@bp.get("/users")
@role_required("admin")
def users():
    q = text_arg("q")
    role = request.args.get("role") if request.args.get("role") in ROLES else ""
    return render_template("backoffice/admin/users.html", result=users_admin.search(q, role, page_arg()), q=q,
                           role=role, roles=forms.ROLE_LABELS)


def _user_or_404(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description="There is no user with this number.")
    return user


def _user_page(user, form=None, status=200, error_message=None):
    return render_template("backoffice/admin/user.html", user=user, form=form or forms.RoleForm(formdata=None,
                           role=user.role), button_form=forms.ConfirmForm(formdata=None),
                           history=users_admin.history(user), error_message=error_message), status


@bp.get("/users/<int:user_id>")
@role_required("admin")
def user(user_id):
    return _user_page(_user_or_404(user_id))


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def change_role(user_id):
    target = _user_or_404(user_id)
    form = forms.RoleForm()
    if not form.validate_on_submit():
        return _user_page(target, form, INVALID)
    try:
        changed = users_admin.change_role(target, form.role.data, current_actor())
    except users_admin.UserAdminError as error:
        return _user_page(target, form, error.status, error.message)
    flash(f"{target.email} is now {target.role}." if changed else "The role was already that.", "success")
    return redirect(url_for("admin.user", user_id=target.id))


def _set_user_active(user_id, active):
    target = _user_or_404(user_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Reload the page and try again.")
    try:
        users_admin.set_active(target, active, current_actor())
    except users_admin.UserAdminError as error:
        return _user_page(target, status=error.status, error_message=error.message)
    flash(f"{target.email} can log in again." if active else f"{target.email} can no longer log in.", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.post("/users/<int:user_id>/deactivate")
@role_required("admin")
def deactivate_user(user_id):
    return _set_user_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
@role_required("admin")
def reactivate_user(user_id):
    return _set_user_active(user_id, True)


# ---- settings and shipping ---------------------------------------------------------------------------

def _settings_page(form, status=200):
    return render_template("backoffice/admin/settings.html", form=form, methods=settings.shipping_methods(),
                           regions=forms.REGION_LABELS, history=settings.history()), status


@bp.route("/settings", methods=["GET", "POST"], endpoint="settings")
@role_required("admin")
def settings_page():
    if request.method == "GET":
        cents = settings.get_setting("STAFF_REFUND_LIMIT_CENTS")
        form = forms.SettingsForm(formdata=None, staff_refund_limit=f"{cents // 100}.{cents % 100:02d}",
                                  low_stock_threshold=settings.get_setting("LOW_STOCK_THRESHOLD"))
        return _settings_page(form)
    form = forms.SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(form, INVALID)
    try:
        settings.save_settings({"STAFF_REFUND_LIMIT_CENTS": form.staff_refund_limit.cents,
                                "LOW_STOCK_THRESHOLD": form.low_stock_threshold.data}, current_actor())
    except ValueError as error:
        db.session.rollback()
        form.staff_refund_limit.errors = [str(error)]
        return _settings_page(form, INVALID)
    flash("Settings saved.", "success")
    return redirect(url_for("admin.settings"))


def _shipping_page(form, method, status=200, error_message=None):
    history = audit.entries_for("shipping_method", method.id) if method else []
    return render_template("backoffice/admin/shipping_form.html", form=form, method=method, history=history,
                           error_message=error_message), status


def _save_shipping(method):
    if request.method == "GET":
        data = {}
        if method is not None:
            data = {name: getattr(method, name) for name in ("code", "name", "region", "delivery_estimate",
                                                               "position", "is_active")}
            data["price"] = f"{method.price_cents / 100:.2f}"
            data["free_over"] = f"{method.free_over_cents / 100:.2f}" if method.free_over_cents is not None else ""
        return _shipping_page(forms.ShippingMethodForm(formdata=None, data=data), method)
    form = forms.ShippingMethodForm()
    if not form.validate_on_submit():
        return _shipping_page(form, method, INVALID)
    values = {"code": form.code.data, "name": form.name.data, "region": form.region.data,
              "price_cents": form.price.cents, "free_over_cents": form.free_over.cents,
              "delivery_estimate": form.delivery_estimate.data or "", "position": form.position.data or 0,
              "is_active": form.is_active.data}
    try:
        saved = settings.save_shipping_method(method, values, current_actor())
    except settings.ShippingError as error:
        return _shipping_page(form, method, INVALID, refuse(form, error))
    flash(f"Shipping method “{saved.name}” saved.", "success")
    return redirect(url_for("admin.settings", _anchor="shipping"))


@bp.route("/settings/shipping/new", methods=["GET", "POST"])
@role_required("admin")
def new_shipping_method():
    return _save_shipping(None)


@bp.route("/settings/shipping/<int:method_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_shipping_method(method_id):
    method = db.session.get(ShippingMethod, method_id)
    if method is None:
        abort(404, description="There is no shipping method with this number.")
    return _save_shipping(method)


from shop.backoffice import catalogue_views  # noqa: E402,F401  (the catalogue's routes on this blueprint)
