"""Stock of books (staff): the list with what to reorder, one book's movements, a movement with a reason."""

from flask import abort, flash, redirect, render_template, url_for

from shop.backoffice.stock import bp
from shop.backoffice.stock.forms import StockForm
from shop.catalogue import stock_admin
from shop.catalogue.models import KIND_BOOK, Product
from shop.extensions import db
from shop.orders.queries import order_numbers
from shop.web.helpers import attach, current_actor, text_arg

INVALID = 422


@bp.get("")
def books():
    q = text_arg("q")
    return render_template("backoffice/stock/stock.html", books=stock_admin.books(q), q=q,
                           reasons=stock_admin.REASON_LABELS)


def _book_or_404(product_id):
    product = db.session.get(Product, product_id)
    if product is None or product.kind != KIND_BOOK:
        abort(404, description="There is no book with this number.")
    return product


def _book_page(product, form, status=200, error_message=None):
    movements = stock_admin.movements(product)
    return render_template(
        "backoffice/stock/stock_book.html", product=product, form=form, error_message=error_message,
        threshold=stock_admin.threshold_for(product), movements=movements,
        order_numbers=order_numbers(m.order_id for m, _ in movements),
        movement_sum=stock_admin.movement_sum(product.id), reasons=stock_admin.REASON_LABELS,
    ), status


@bp.get("/<int:product_id>")
def book(product_id):
    return _book_page(_book_or_404(product_id), StockForm(formdata=None))


@bp.post("/<int:product_id>")
def adjust(product_id):
    product = _book_or_404(product_id)
    form = StockForm()
    if not form.validate_on_submit():
        return _book_page(product, form, INVALID)
    try:
        delta = stock_admin.adjust(product, form.reason.data, form.quantity.data, form.note.data, current_actor())
    except stock_admin.StockError as error:
        product = _book_or_404(product_id)
        return _book_page(product, form, error.status, attach(form, error))
    flash(f"Recorded {delta:+d} for “{product.title}”: {product.stock} in stock now.", "success")
    return redirect(url_for("stock.book", product_id=product.id))
