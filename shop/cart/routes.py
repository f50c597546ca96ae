"""Cart pages: view, add, change quantity, remove. Views read a form, call the cart service, redirect."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from shop import pagecache
from shop.cart import services
from shop.cart.forms import AddToCartForm, RemoveForm, UpdateQuantityForm
from shop.checkout.services import quote

bp = Blueprint("cart", __name__)


@pagecache.fragment("csrf")
def _csrf_fragment():
    return generate_csrf()


@pagecache.fragment("cart-count")
def _cart_count_fragment():
    count = services.item_count()
    return str(Markup.escape(count))


def _first_error(form):
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return "That request was not understood."


def _cart_page(status=200, error=None):
    cart = services.current_cart()
    priced = quote(cart) if cart and cart.items else None
    problems = services.problems(cart) if cart and cart.items else []
    return render_template("cart/cart.html", cart=cart, priced=priced, problems=problems, error=error), status


@bp.get("/cart")
def view():
    return _cart_page()


@bp.post("/cart/add")
def add():
    form = AddToCartForm()
    if not form.validate_on_submit():
        return _cart_page(400, _first_error(form))
    try:
        product = services.add(form.product_id.data, form.quantity.data)
    except services.CartError as error:
        return _cart_page(409, str(error))
    flash(f"Added {product.title} to your cart.", "success")
    return redirect(url_for("cart.view"), code=303)


@bp.post("/cart/update")
def update():
    form = UpdateQuantityForm()
    if not form.validate_on_submit():
        return _cart_page(400, _first_error(form))
    try:
        product = services.set_quantity(form.product_id.data, form.quantity.data)
    except services.CartError as error:
        return _cart_page(409, str(error))
    if product is not None:
        flash(f"Updated {product.title}.", "success")
    return redirect(url_for("cart.view"), code=303)


@bp.post("/cart/remove")
def remove():
    form = RemoveForm()
    if not form.validate_on_submit():
        return _cart_page(400, _first_error(form))
    product = services.remove(form.product_id.data)
    if product is not None:
        flash(f"Removed {product.title} from your cart.", "success")
    return redirect(url_for("cart.view"), code=303)
