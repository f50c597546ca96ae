"""The order desk: the order list, order detail, fulfilment, cancellations, refunds and sales reports.

Access: staff (and admins) everywhere; marketing only on the sales dashboard and its CSV. The
blueprint lets staff and marketing through; every view then says which roles it takes
(role_required), and a safety net refuses marketing on any view not listed in MARKETING_VIEWS,
so a view added without a decorator is never open to marketing by accident.

Views read a form, call one service (shop.orders.*, shop.backoffice.reports) and redirect or render;
a refused action comes back with its message and status (422 bad input, 403 over the refund limit,
409 the order changed or cannot do that now, 502 Stripe failed).
"""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from shop.accounts.access import protect_blueprint, role_required
from shop.backoffice import audit, reports
from shop.backoffice.desk_forms import (
    CancelForm,
    EditOrderForm,
    NoteForm,
    RefundForm,
    ShipForm,
    line_quantities,
)
from shop.extensions import db
from shop.money import format_cents
from shop.orders import cancellation, editing, fulfilment, queries, refunds
from shop.orders.editing import ActionRefused
from shop.orders.models import FULFILMENT_SHIPPED, Order, Payment
from shop.timeutil import utcnow

bp = protect_blueprint(Blueprint("desk", __name__, url_prefix="/backoffice/orders"), "staff", "marketing")
MARKETING_VIEWS = {"desk.sales", "desk.sales_csv"}
_staff_only = role_required("staff")(lambda: None)
INVALID = 422


@bp.before_request
def _staff_unless_marketing_view():
    if request.endpoint not in MARKETING_VIEWS:
        return _staff_only()
    return None


def _me():
    return current_user._get_current_object()


def _order_or_404(number):
    order = db.session.scalar(select(Order).where(Order.number == number)) if len(number) <= 20 else None
    if order is None:
        abort(404, description="There is no order with that number.")
    return order


def _version(form):
    return int(form.version.data)


def _attach(form, error):
    """Put a service's refusal on its form field; returns the message for the top of the page otherwise."""
    field = getattr(form, error.field, None) if error.field and form is not None else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
        return None
    return error.message


# ---- the list ----------------------------------------------------------------------------------------

@bp.get("")
@role_required("staff")
def orders():
    filters, errors = queries.parse_filters(request.args)
    page = None
    if not errors:
        page = queries.list_orders(filters, current_app.config["SHOP_TIMEZONE"], after=request.args.get("after"),
                                   before=request.args.get("before"))
    page_number = request.args.get("page", 1, type=int)
    page_number = page_number if 1 <= page_number <= 1_000_000 else 1
    staff = queries.staff_members()
    return render_template(
        "backoffice/desk/orders.html", filters=filters, errors=errors, page=page, page_number=page_number,
        staff=staff, staff_names=dict(staff), promotions=queries.promotions(), statuses=queries.status_choices(),
        channels=queries.CHANNELS, fulfilment_labels=queries.FULFILMENT_LABELS,
    ), INVALID if errors else 200


# ---- one order -----------------------------------------------------------------------------------------

def _detail(order, note_form=None, error_message=None, status=200):
    allowed, why_not = cancellation.can_cancel(order)
    payments = db.session.scalars(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)).all()
    return render_template(
        "backoffice/desk/order.html", order=order, note_form=note_form or NoteForm(),
        timeline=queries.timeline(order), audit_entries=audit.entries_for("order", order.id), payments=payments,
        to_ship=fulfilment.lines_to_ship(order), refundable_cents=refunds.refundable_cents(order),
        can_cancel=allowed, why_not_cancel=why_not, error_message=error_message,
        staff_names=dict(queries.staff_members()), channels=queries.CHANNELS,
        fulfilment_labels=queries.FULFILMENT_LABELS,
    ), status


@bp.get("/<number>")
@role_required("staff")
def order(number):
    return _detail(_order_or_404(number))


@bp.post("/<number>/notes")
@role_required("staff")
def add_note(number):
    order = _order_or_404(number)
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail(order, note_form=form, status=INVALID)
    try:
        editing.add_note(order, form.note.data, _me())
    except ActionRefused as error:
        return _detail(order, note_form=form, error_message=_attach(form, error), status=error.status)
    flash("Note added.", "success")
    return redirect(url_for("desk.order", number=order.number, _anchor="timeline"), 303)


@bp.route("/<number>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit(number):
    order = _order_or_404(number)
    with_address = order.requires_shipping and order.fulfilment_status != FULFILMENT_SHIPPED
    form = EditOrderForm(obj=order, with_address=with_address)
    if request.method == "GET":
        form.version.data = str(order.version_id)
    elif form.validate_on_submit():
        try:
            changed = editing.edit_order(order, _version(form), form.changes(), _me())
        except ActionRefused as error:
            message = _attach(form, error)
            return render_template("backoffice/desk/edit.html", order=order, form=form, error_message=message,
                                   conflict=error.status == 409), error.status
        flash("Changes saved." if changed else "Nothing was changed.", "success")
        return redirect(url_for("desk.order", number=order.number), 303)
    status = INVALID if request.method == "POST" else 200
    return render_template("backoffice/desk/edit.html", order=order, form=form), status


# ---- fulfilment ------------------------------------------------------------------------------------------

@bp.get("/pick-list")
@role_required("staff")
def pick_list():
    return render_template("backoffice/desk/pick_list.html", pick=fulfilment.pick_list(), printed_at=utcnow())


@bp.get("/<number>/packing-slip")
@role_required("staff")
def packing_slip(number):
    order = _order_or_404(number)
    return render_template("backoffice/desk/packing_slip.html", order=order, lines=fulfilment.packing_slip(order),
                           show_prices=request.args.get("prices") == "1")


@bp.route("/<number>/ship", methods=["GET", "POST"])
@role_required("staff")
def ship(number):
    order = _order_or_404(number)
    lines = fulfilment.lines_to_ship(order)
    form = ShipForm()
    if request.method == "GET":
        form.version.data = str(order.version_id)
        return render_template("backoffice/desk/ship.html", order=order, form=form, lines=lines, line_errors={},
                               posted=None)
    quantities, line_errors = line_quantities(request.form, "qty-", [item.line.id for item in lines])
    message, status = None, INVALID
    if form.validate_on_submit() and not line_errors:
        try:
            fulfilment.ship(order, _version(form), form.carrier.data, form.tracking_number.data, quantities, _me())
        except ActionRefused as error:
            message, status = _attach(form, error), error.status
            if error.field and (error.field.startswith("qty-") or error.field == "quantities"):
                line_errors[error.field] = error.message
                message = error.message if error.field == "quantities" else None
        else:
            flash(f"Shipment recorded for order {order.number}; the customer will be e-mailed.", "success")
            return redirect(url_for("desk.order", number=order.number), 303)
    return render_template("backoffice/desk/ship.html", order=order, form=form, lines=lines, line_errors=line_errors,
                           posted=request.form, error_message=message, conflict=status == 409), status


# ---- cancel and refund -----------------------------------------------------------------------------------

@bp.route("/<number>/cancel", methods=["GET", "POST"])
@role_required("staff")
def cancel(number):
    order = _order_or_404(number)
    form = CancelForm()
    context = {"order": order, "form": form, "refundable_cents": refunds.refundable_cents(order),
               "limit_cents": refunds.staff_limit_cents(), "is_admin": current_user.role == "admin"}
    allowed, why_not = cancellation.can_cancel(order)
    if request.method == "GET":
        form.version.data = str(order.version_id)
        return render_template("backoffice/desk/cancel.html", **context, why_not=why_not if not allowed else "")
    if not form.validate_on_submit():
        return render_template("backoffice/desk/cancel.html", **context, why_not=""), INVALID
    status_before = order.status
    try:
        refund = cancellation.cancel(order, _version(form), form.reason.data, _me())
    except ActionRefused as error:
        db.session.refresh(order)
        if order.status == "cancelled" and status_before != "cancelled":  # cancelled, but the refund failed
            flash(f"Order {order.number} is cancelled, but the refund failed: {error.message} "
                  "Make the refund from this page.", "error")
            return redirect(url_for("desk.order", number=order.number), 303)
        return render_template("backoffice/desk/cancel.html", **context, why_not="",
                               error_message=_attach(form, error), conflict=error.status == 409), error.status
    done = f"Order {order.number} is cancelled; stock and promotion uses are returned."
    if refund is not None:
        done += f" {format_cents(refund.amount_cents)} refunded" + (
            " (manual: pay it back by check)." if refund.method == "manual" else " through Stripe.")
    flash(done, "success")
    return redirect(url_for("desk.order", number=order.number), 303)


@bp.route("/<number>/refund", methods=["GET", "POST"])
@role_required("staff")
def refund(number):
    order = _order_or_404(number)
    form = RefundForm()
    lines = refunds.refundable_lines(order)
    context = {"order": order, "form": form, "lines": lines, "refundable_cents": refunds.refundable_cents(order),
               "limit_cents": refunds.staff_limit_cents(), "is_admin": current_user.role == "admin"}
    if request.method == "GET":
        return render_template("backoffice/desk/refund.html", **context, line_errors={}, posted=None)
    quantities, line_errors = line_quantities(request.form, "refund-qty-", [item.line.id for item in lines])
    valid = form.validate_on_submit()
    by_lines = form.mode.data == "lines"
    amount = None
    if valid and not by_lines:
        amount = form.amount_cents()
        valid = amount is not None
    message, status = None, INVALID
    if valid and not line_errors:
        try:
            made = refunds.refund(order, actor=_me(), reason=form.reason.data, idempotency_key=form.refund_key.data,
                                  amount_cents=None if by_lines else amount,
                                  line_quantities=quantities if by_lines else None)
        except ActionRefused as error:
            message, status = _attach(form, error), error.status
            if error.field and error.field.startswith("refund-qty-"):
                line_errors[error.field] = error.message
                message = None
        else:
            how = "recorded as manual: pay it back by check" if made.method == "manual" else "made through Stripe"
            flash(f"Refund of {format_cents(made.amount_cents)} {how}.", "success")
            return redirect(url_for("desk.order", number=order.number, _anchor="refunds"), 303)
    db.session.refresh(order)
    context["refundable_cents"] = refunds.refundable_cents(order)
    return render_template("backoffice/desk/refund.html", **context, line_errors=line_errors, posted=request.form,
                           error_message=message), status


# ---- sales ---------------------------------------------------------------------------------------------

def _days():
    days = request.args.get("days", reports.PERIODS[0], type=int)
    return days if days in reports.PERIODS else reports.PERIODS[0]


@bp.get("/sales")
@role_required("staff", "marketing")
def sales():
    report = reports.sales(_days(), current_app.config["SHOP_TIMEZONE"])
    return render_template("backoffice/desk/sales.html", report=report, periods=reports.PERIODS,
                           revenue_chart=reports.chart(report, "revenue"), orders_chart=reports.chart(report, "orders"),
                           channel_labels=reports.CHANNEL_LABELS)


@bp.get("/sales.csv")
@role_required("staff", "marketing")
def sales_csv():
    report = reports.sales(_days(), current_app.config["SHOP_TIMEZONE"])
    filename = f"sales-{report.start.isoformat()}-to-{report.end.isoformat()}.csv"
    return Response(reports.sales_csv(report), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
