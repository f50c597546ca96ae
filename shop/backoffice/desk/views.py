"""The order desk (staff): the order list, order detail, fulfilment, cancellations and refunds.

Views read a form, call one service (shop.orders.*) and redirect or render; a refused action comes back
with its message and status (422 bad input, 403 over the refund limit, 409 the order changed or cannot
do that now, 502 Stripe failed).
"""

from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from shop.accounts import reauth
from shop.accounts.forms import ReauthForm
from shop.backoffice.desk import bp
from shop.backoffice.desk.forms import (
    BulkForm,
    CancelForm,
    EditOrderForm,
    NoteForm,
    RefundForm,
    ShipForm,
    line_quantities,
)
from shop.core import audit
from shop.core.timeutil import local_today, utcnow
from shop.extensions import db
from shop.money import format_cents
from shop.orders import bulk as bulk_work
from shop.orders import cancellation, editing, exports, fulfilment, queries, refunds, stripe_events, timeline
from shop.orders.editing import ActionRefused
from shop.orders.models import FULFILMENT_SHIPPED, Payment
from shop.web.downloads import csv_download
from shop.web.helpers import attach, current_actor, form_refusal

INVALID = 422


def _order_or_404(number):
    order = queries.by_number(number)
    if order is None:
        abort(404, description="There is no order with that number.")
    return order


def _version(form):
    return int(form.version.data)


# ---- the list ----------------------------------------------------------------------------------------

LIST_ARGS = ("q", "status", "channel", "fulfilment", "date_from", "date_to", "product", "promotion", "staff")


def _tz():
    return current_app.config["SHOP_TIMEZONE"]


def _orders_page(args, bulk_form=None, bulk_error=None, status=None):
    filters, errors = queries.parse_filters(args)
    page = None
    if not errors:
        page = queries.list_orders(filters, _tz(), after=args.get("after"), before=args.get("before"))
    page_number = args.get("page", 1, type=int)
    page_number = page_number if 1 <= page_number <= 1_000_000 else 1
    staff = queries.staff_members()
    filter_args = {name: args.get(name) for name in LIST_ARGS if args.get(name)}
    return render_template(
        "backoffice/desk/orders.html", filters=filters, errors=errors, page=page, page_number=page_number,
        staff=staff, staff_names=dict(staff), promotions=queries.promotions(), statuses=queries.status_choices(),
        channels=queries.CHANNELS, fulfilment_labels=queries.FULFILMENT_LABELS, filter_args=filter_args,
        list_query=urlencode(list(args.items(multi=True))), bulk_form=bulk_form or BulkForm(), bulk_error=bulk_error,
    ), status or (INVALID if errors else 200)


@bp.get("")
def orders():
    return _orders_page(request.args)


@bp.get("/export.csv")
def export_csv():
    """Every order matching the list's filters (not only the page shown), per order or per line."""
    filters, errors = queries.parse_filters(request.args)
    rows = request.args.get("rows", exports.ROWS_PER_ORDER)
    if rows not in exports.ROW_KINDS:
        errors = {**errors, "rows": "Choose one row per order or one row per line."}
    if errors:
        return _orders_page(request.args)[0], INVALID
    stamp = utcnow().strftime("%Y-%m-%d")
    suffix = "-lines" if rows == exports.ROWS_PER_LINE else ""
    return csv_download(exports.orders_csv(filters, _tz(), rows), f"orders{suffix}-{stamp}.csv")


def _list_args_from(form):
    """The list's query arguments the bulk form carried back (so the list comes back as it was)."""
    return MultiDict(parse_qsl((form.get("back") or "")[:2000], keep_blank_values=False))


@bp.post("/bulk")
def bulk():
    form = BulkForm()
    back = _list_args_from(request.form)
    if not form.validate_on_submit():
        return _orders_page(back, bulk_form=form, bulk_error=attach(form, form_refusal(form)), status=INVALID)
    action = request.form.get("action", "")
    try:
        selection = bulk_work.parse_selection(request.form.getlist("order"))
        if action == "slips":
            return render_template("backoffice/desk/packing_slips.html", slips=bulk_work.slips(selection),
                                   chosen=len(selection.numbers), back=urlencode(list(back.items(multi=True))))
        if action == "export":
            return csv_download(exports.selected_csv(exports.orders_of(selection.numbers), _tz()),
                                f"orders-chosen-{utcnow():%Y-%m-%d}.csv")
        if action != "ship":
            raise bulk_work.SelectionError("Choose what to do with the ticked orders.")
        outcome = bulk_work.ship_all(selection, form.carrier.data, current_actor())
    except bulk_work.SelectionError as error:
        return _orders_page(back, bulk_form=form, bulk_error=attach(form, error), status=error.status)
    if outcome.shipped:
        flash(f"Marked shipped by {form.carrier.data}: {', '.join(outcome.shipped)}. Each customer will be e-mailed.",
              "success")
    if outcome.refused:
        flash("Not shipped: " + " ".join(f"{number}: {why}" for number, why in outcome.refused), "error")
    query = urlencode(list(back.items(multi=True)))
    return redirect(url_for("desk.orders") + (f"?{query}" if query else ""), 303)


@bp.get("/day-book")
def day_book():
    """One day's payments and refunds, to tick off against Stripe's payouts (and the bank, for checks)."""
    day, error = _day_arg()
    book = exports.day_book(day, _tz())
    return render_template("backoffice/desk/day_book.html", book=book, error=error,
                           previous=day - timedelta(days=1), following=day + timedelta(days=1),
                           today=local_today(_tz())), INVALID if error else 200


@bp.get("/day-book.csv")
def day_book_csv():
    day, error = _day_arg()
    if error:
        abort(422, description=error)
    return csv_download(exports.day_book_csv(exports.day_book(day, _tz()), _tz()), f"day-book-{day.isoformat()}.csv")


def _day_arg():
    """The ?day= asked for (YYYY-MM-DD), or today in the shop's time zone; with a message when unusable."""
    today = local_today(_tz())
    text = (request.args.get("day") or "").strip()
    if not text:
        return today, None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return today, "Enter the day as YYYY-MM-DD, for example 2026-03-31."
    if not 2000 <= day.year <= 2999:
        return today, "Enter a day between the years 2000 and 2999."
    return day, None


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
