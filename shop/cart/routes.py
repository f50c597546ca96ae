"""Cart pages: view, add, change quantity, remove, promo codes. Views read a form, call a service, redirect."""

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from shop import pagecache
from shop.cart import services
from shop.cart.forms import AddToCartForm, PromoCodeForm, RemoveForm, UpdateQuantityForm
from shop.checkout.services import quote
from shop.promotions import codes as promo_codes

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


def _cart_page(status=200, error=None, code_error=None, code_text=""):
    cart = services.current_cart()
    priced = quote(cart) if cart and cart.items else None
    problems = services.problems(cart) if cart and cart.items else []
    return render_template("cart/cart.html", cart=cart, priced=priced, problems=problems, error=error,
                           code_error=code_error, code_text=code_text), status


@bp.get("/cart")
def view():
    return _cart_page()


@bp.post("/cart/add")
def add():
    form = AddToCartForm()
    if not form.validate_on_submit():
        return _cart_page(400, _first_error(form))
    try:
        title = services.add(form.product_id.data, form.quantity.data)
    except services.CartError as error:
        return _cart_page(409, str(error))
    flash(f"Added {title} to your cart.", "success")
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


# ---- promo codes: from the cart page, or from checkout (a form post, or checkout.js asking for JSON) ----

def _wants_json():
    return request.accept_mimetypes.best == "application/json"


def _back(form):
    return "checkout" if form.next.data == "checkout" else "cart"


def _code_answer(back, message):
    if _wants_json():
        return jsonify(status="ok", message=message)
    flash(message, "success")
    return redirect(url_for("checkout.checkout" if back == "checkout" else "cart.view"), code=303)


def _code_error(back, message, status, text=""):
    if _wants_json():
        return jsonify(status="error", message=message), status
    cart = services.current_cart()
    if back == "checkout" and cart is not None and cart.items:
        from shop.checkout.routes import checkout as checkout_page

        g.promo_code_error, g.promo_code_text = message, text
        return checkout_page(), status
    return _cart_page(status, code_error=message, code_text=text)


def _visitor(cart):
    """Who is guessing, for the rate limit: the account, or this browser's cart."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"cart:{cart.token}" if cart is not None else ""


@bp.post("/cart/code")
def apply_code():
    form = PromoCodeForm()
    back = _back(form)
    if not form.validate_on_submit():
        return _code_error(back, _first_error(form), 400)
    cart = services.current_cart()
    try:
        message = promo_codes.apply_code(
            cart, form.code.data, channel="web", user=current_user if current_user.is_authenticated else None,
            email=current_user.email if current_user.is_authenticated else "",
            visitor=_visitor(cart), ip=request.remote_addr or "")
    except promo_codes.CodeError as error:
        return _code_error(back, error.message, error.status, (form.code.data or "")[:60])
    return _code_answer(back, message)


@bp.post("/cart/code/remove")
def remove_code():
    form = PromoCodeForm()
    back = _back(form)
    if not form.validate_on_submit():
        return _code_error(back, _first_error(form), 400)
    code = promo_codes.remove_code(services.current_cart(), form.code.data)
    return _code_answer(back, f"Removed the code {code}." if code else "That code was not on your cart.")
