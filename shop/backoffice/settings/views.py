"""Settings (admins): the shop's settings and the shipping methods, each change audited."""

from flask import flash, redirect, render_template, request, url_for

from shop.backoffice.settings import bp
from shop.backoffice.settings.forms import REGION_LABELS, SettingsForm, ShippingMethodForm
from shop.core import audit, settings
from shop.extensions import db
from shop.shipping import admin as shipping_admin
from shop.shipping.models import ShippingMethod
from shop.web.helpers import attach, current_actor

INVALID = 422
HISTORY = (settings.ENTITY, shipping_admin.ENTITY)
METHOD_FIELDS = ("code", "name", "region", "delivery_estimate", "position", "is_active")


def _settings_page(form, status=200):
    return render_template("backoffice/settings/settings.html", form=form,
                           methods=shipping_admin.shipping_methods(), regions=REGION_LABELS,
                           history=settings.history(HISTORY)), status


@bp.route("", methods=["GET", "POST"])
def index():
    if request.method == "GET":
        form = SettingsForm(formdata=None, staff_refund_limit=settings.get_setting("STAFF_REFUND_LIMIT_CENTS"),
                            low_stock_threshold=settings.get_setting("LOW_STOCK_THRESHOLD"),
                            require_staff_two_factor=bool(settings.get_setting("REQUIRE_STAFF_TWO_FACTOR")))
        return _settings_page(form)
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(form, INVALID)
    try:
        settings.save_settings({"STAFF_REFUND_LIMIT_CENTS": form.staff_refund_limit.data,
                                "LOW_STOCK_THRESHOLD": form.low_stock_threshold.data,
                                "REQUIRE_STAFF_TWO_FACTOR": int(bool(form.require_staff_two_factor.data))},
                               current_actor())
    except ValueError as error:
        db.session.rollback()
        form.staff_refund_limit.errors = [str(error)]
        return _settings_page(form, INVALID)
    flash("Settings saved.", "success")
    return redirect(url_for("settings.index"))


def _shipping_page(form, method, status=200, error_message=None):
    history = audit.entries_for(shipping_admin.ENTITY, method.id) if method else []
    return render_template("backoffice/settings/shipping_form.html", form=form, method=method, history=history,
                           error_message=error_message), status


def _save_shipping(method):
    if request.method == "GET":
        data = {}
        if method is not None:
            data = {name: getattr(method, name) for name in METHOD_FIELDS}
            data["price"], data["free_over"] = method.price_cents, method.free_over_cents
        return _shipping_page(ShippingMethodForm(formdata=None, data=data), method)
    form = ShippingMethodForm()
    if not form.validate_on_submit():
        return _shipping_page(form, method, INVALID)
    values = {"code": form.code.data, "name": form.name.data, "region": form.region.data,
              "price_cents": form.price.data, "free_over_cents": form.free_over.data,
              "delivery_estimate": form.delivery_estimate.data or "", "position": form.position.data or 0,
              "is_active": form.is_active.data}
    try:
        saved = shipping_admin.save_shipping_method(method, values, current_actor())
    except shipping_admin.ShippingError as error:
        return _shipping_page(form, method, INVALID, attach(form, error))
    flash(f"Shipping method “{saved.name}” saved.", "success")
    return redirect(url_for("settings.index", _anchor="shipping"))


@bp.route("/shipping/new", methods=["GET", "POST"])
def new_shipping_method():
    return _save_shipping(None)


@bp.route("/shipping/<int:method_id>", methods=["GET", "POST"])
def edit_shipping_method(method_id):
    return _save_shipping(db.get_or_404(ShippingMethod, method_id,
                                        description="There is no shipping method with this number."))
