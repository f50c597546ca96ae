"""The order desk (staff): order detail, fulfilment, cancellations and refunds (the list and its exports:
list_views).

Views read a form, call one service (shop.orders.*) and redirect or render; a refused action comes back
with its message and status (422 bad input, 403 over the refund limit, 409 the order changed or cannot
do that now, 502 Stripe failed).
"""


from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from shop.accounts import reauth
from shop.accounts.forms import ReauthForm
from shop.backoffice.desk import bp, list_views
from shop.backoffice.desk.forms import (
    CancelForm,
    EditOrderForm,
    NoteForm,
    RefundForm,
    ShipForm,
    line_quantities,
)
from shop.core import audit
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.money import format_cents
from shop.orders import cancellation, editing, fulfilment, queries, receipt_files, refunds, stripe_events, timeline
from shop.orders.editing import ActionRefused
from shop.orders.models import FULFILMENT_SHIPPED, Payment
from shop.orders.receipt import receipt_for
from shop.web.downloads import pdf_download
from shop.web.helpers import attach, current_actor

INVALID = 422
assert list_views  # the list's routes are registered with the blueprint


def _order_or_404(number):
    order = queries.by_number(number)
    if order is None:
        abort(404, description="There is no order with that number.")
    return order


def _version(form):
    return int(form.version.data)


# ---- the list ----------------------------------------------------------------------------------------

# ---- one order -----------------------------------------------------------------------------------------

def _detail(order, note_form=None, error_message=None, status=200):
    allowed, why_not = cancellation.can_cancel(order)
    payments = db.session.scalars(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)).all()
    return render_template(
        "backoffice/desk/order.html", order=order, note_form=note_form or NoteForm(),
        timeline=timeline.timeline(order), audit_entries=audit.entries_for("order", order.id), payments=payments,
        to_ship=fulfilment.lines_to_ship(order), refundable_cents=refunds.refundable_cents(order),
        can_cancel=allowed, why_not_cancel=why_not, error_message=error_message,
        staff_names=dict(queries.staff_members()), channels=queries.CHANNELS,
        fulfilment_labels=queries.FULFILMENT_LABELS, disputes=stripe_events.disputes_of(order),
        dispute_outcomes=stripe_events.OUTCOMES,
    ), status


@bp.get("/<number>")
def order(number):
    return _detail(_order_or_404(number))


@bp.post("/<number>/notes")
def add_note(number):
    order = _order_or_404(number)
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail(order, note_form=form, status=INVALID)
    try:
        editing.add_note(order, form.note.data, current_actor())
    except ActionRefused as error:
        return _detail(order, note_form=form, error_message=attach(form, error), status=error.status)
    flash("Note added.", "success")
    return redirect(url_for("desk.order", number=order.number, _anchor="timeline"), 303)


@bp.route("/<number>/edit", methods=["GET", "POST"])
def edit(number):
    order = _order_or_404(number)
    with_address = order.requires_shipping and order.fulfilment_status != FULFILMENT_SHIPPED
    form = EditOrderForm(obj=order, with_address=with_address)
    if request.method == "GET":
        form.version.data = str(order.version_id)
    elif form.validate_on_submit():
        try:
            changed = editing.edit_order(order, _version(form), form.changes(), current_actor())
        except ActionRefused as error:
            message = attach(form, error)
            return render_template("backoffice/desk/edit.html", order=order, form=form, error_message=message,
                                   conflict=error.status == 409), error.status
        flash("Changes saved." if changed else "Nothing was changed.", "success")
        return redirect(url_for("desk.order", number=order.number), 303)
    status = INVALID if request.method == "POST" else 200
    return render_template("backoffice/desk/edit.html", order=order, form=form), status


# ---- fulfilment ------------------------------------------------------------------------------------------

@bp.get("/pick-list")
def pick_list():
    return render_template("backoffice/desk/pick_list.html", pick=fulfilment.pick_list(), printed_at=utcnow())


@bp.get("/<number>/packing-slip")
def packing_slip(number):
    order = _order_or_404(number)
    return render_template("backoffice/desk/packing_slip.html", order=order, lines=fulfilment.packing_slip(order),
                           show_prices=request.args.get("prices") == "1")


@bp.get("/<number>/receipt")
def receipt(number):
    """The customer's receipt as they see it, to print or send them from the desk."""
    return render_template("orders/receipt.html", receipt=receipt_for(_order_or_404(number)), staff_view=True)


@bp.get("/<number>/receipt.pdf")
def receipt_pdf(number):
    found = receipt_for(_order_or_404(number))
    if not found.is_receipt:
        abort(404, description="This order has not been paid, so there is no receipt yet.")
    return pdf_download(receipt_files.receipt_pdf_bytes(found), receipt_files.filename(found))


@bp.route("/<number>/ship", methods=["GET", "POST"])
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
            fulfilment.ship(order, _version(form), form.carrier.data, form.tracking_number.data, quantities,
                            current_actor())
        except ActionRefused as error:
            message, status = attach(form, error), error.status
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
def cancel(number):
    order = _order_or_404(number)
    form = CancelForm()
    context = {"order": order, "form": form, "refundable_cents": refunds.refundable_cents(order),
               "limit_cents": refunds.staff_limit_cents(), "limit_binds": refunds.limit_binds(current_actor())}
    allowed, why_not = cancellation.can_cancel(order)
    if request.method == "GET":
        form.version.data = str(order.version_id)
        return render_template("backoffice/desk/cancel.html", **context, why_not=why_not if not allowed else "")
    if not form.validate_on_submit():
        return render_template("backoffice/desk/cancel.html", **context, why_not=""), INVALID
    try:
        cancelled = cancellation.cancel(order, _version(form), form.reason.data, current_actor())
    except ActionRefused as error:
        return render_template("backoffice/desk/cancel.html", **context, why_not="",
                               error_message=attach(form, error), conflict=error.status == 409), error.status
    if cancelled.refund_error:
        flash(f"Order {order.number} is cancelled, but the refund failed: {cancelled.refund_error} "
              "Make the refund from this page.", "error")
        return redirect(url_for("desk.order", number=order.number), 303)
    refund = cancelled.refund
    done = f"Order {order.number} is cancelled; stock and promotion uses are returned."
    if refund is not None:
        done += f" {format_cents(refund.amount_cents)} refunded" + (
            " (manual: pay it back by check)." if refund.method == "manual" else " through Stripe.")
    flash(done, "success")
    return redirect(url_for("desk.order", number=order.number), 303)


def _over_staff_limit(order, amount, quantities, actor):
    """Whether this refund takes the order past the staff limit, made by someone it does not bind (an
    admin): then the password is asked again (staff bound by the limit are refused by the service)."""
    if refunds.limit_binds(actor):
        return False
    try:
        cents = sum(c for _, c in refunds.line_amounts(order, quantities).values()) if quantities is not None \
            else (amount or 0)
    except ActionRefused:
        return False  # the refund itself refuses these quantities, with its message
    return order.refunded_cents + cents > refunds.staff_limit_cents()


@bp.route("/<number>/refund", methods=["GET", "POST"])
def refund(number):
    order = _order_or_404(number)
    form, reauth_form = RefundForm(), ReauthForm()
    lines = refunds.refundable_lines(order)
    binds = refunds.limit_binds(current_actor())
    context = {"order": order, "form": form, "lines": lines, "refundable_cents": refunds.refundable_cents(order),
               "limit_cents": refunds.staff_limit_cents(), "limit_binds": binds, "reauth_form": reauth_form,
               "ask_password": not binds and not reauth.is_fresh(current_actor())}
    if request.method == "GET":
        return render_template("backoffice/desk/refund.html", **context, line_errors={}, posted=None)
    quantities, line_errors = line_quantities(request.form, "refund-qty-", [item.line.id for item in lines])
    valid = form.validate_on_submit()
    by_lines = form.mode.data == "lines"
    amount = None if by_lines else form.amount.data
    message, status = None, INVALID
    if valid and not line_errors:
        try:
            if _over_staff_limit(order, amount, quantities if by_lines else None, current_actor()):
                reauth.require(current_actor(), reauth_form.reauth_password.data, "refund over the staff limit")
            made = refunds.refund(order, actor=current_actor(), reason=form.reason.data,
                                  idempotency_key=form.refund_key.data, amount_cents=None if by_lines else amount,
                                  line_quantities=quantities if by_lines else None)
        except reauth.ReauthRefused as error:
            message, status = attach(reauth_form, error), error.status
            context["ask_password"] = True
        except ActionRefused as error:
            message, status = attach(form, error), error.status
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
