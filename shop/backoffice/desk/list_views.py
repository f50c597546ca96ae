"""The order desk's list (staff): filters, its exports (CSV per order or per line), work on the ticked
orders (packing slips together, shipped with one carrier, exported) and the day book of payments and refunds.
"""

from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from shop.backoffice.desk import bp
from shop.backoffice.desk.forms import BulkForm
from shop.core.timeutil import local_today, utcnow
from shop.orders import bulk as bulk_work
from shop.orders import exports, queries
from shop.web.downloads import csv_download
from shop.web.helpers import attach, current_actor, form_refusal

INVALID = 422
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
