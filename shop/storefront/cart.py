"""Cart pages: view, add, change quantity, remove, promo codes. Views read a form, call a service, redirect."""

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, user_logged_in
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from shop.accounts import ratelimit
from shop.cart import services, session
from shop.cart.forms import AddToCartForm, PromoCodeForm, RemoveForm, UpdateQuantityForm
from shop.promotions import codes as promo_codes
from shop.quote import apply_code, quote
from shop.storefront.checkout import checkout_page
from shop.web import first_visit, pagecache
from shop.web.helpers import first_error, wants_json

bp = Blueprint("cart", __name__)


@pagecache.fragment("csrf")
def _csrf_fragment():
    """The form token; none for a visitor with no session yet (their Add to cart is checked by origin)."""
    return generate_csrf() if first_visit.has_session() else ""


@pagecache.fragment("cart-count")
def _cart_count_fragment():
    return str(Markup.escape(session.item_count()))


@user_logged_in.connect
def _merge_after_login(app, user, **_):
    """At every login (the login page, or an account made at checkout) this browser's guest cart joins the
    customer's; what could not move is said on the next page."""
    for message in session.merge_into_user_cart(user):
        flash(message, "warning")


def _cart_page(status=200, error=None, code_error=None, code_text=""):
    cart = session.current_cart()
    priced = quote(cart) if cart and cart.items else None
    problems = session.problems(cart) if cart and cart.items else []
    return render_template("cart/cart.html", cart=cart, priced=priced, problems=problems, error=error,
                           code_error=code_error, code_text=code_text), status


@bp.get("/cart")
def view():
    return _cart_page()


@bp.post("/cart/add")
@first_visit.first_visit_form("cart.add")
def add():
    form = AddToCartForm()
    if not form.validate_on_submit():
        return _cart_page(400, first_error(form))
    try:
        title = session.add(form.product_id.data, form.quantity.data)
    except services.CartError as error:
        return _cart_page(error.status, error.message)
    flash(f"Added {title} to your cart.", "success")
    return redirect(url_for("cart.view"), code=303)


@bp.post("/cart/update")
def update():
    form = UpdateQuantityForm()
    if not form.validate_on_submit():
        return _cart_page(400, first_error(form))
    try:
        product = session.set_quantity(form.product_id.data, form.quantity.data)
    except services.CartError as error:
        return _cart_page(error.status, error.message)
    if product is not None:
        flash(f"Updated {product.title}.", "success")
    return redirect(url_for("cart.view"), code=303)


@bp.post("/cart/remove")
def remove():
    form = RemoveForm()
    if not form.validate_on_submit():
        return _cart_page(400, first_error(form))
    product = session.remove(form.product_id.data)
    if product is not None:
        flash(f"Removed {product.title} from your cart.", "success")
    return redirect(url_for("cart.view"), code=303)


# ---- promo codes: from the cart page, or from checkout (a form post, or checkout.js asking for JSON) ----

def _back(form):
    return "checkout" if form.next.data == "checkout" else "cart"


def _code_answer(back, message):
    if wants_json():
        return jsonify(status="ok", message=message)
    flash(message, "success")
    return redirect(url_for("checkout.checkout" if back == "checkout" else "cart.view"), code=303)


def _code_error(back, message, status, text=""):
    if wants_json():
        return jsonify(status="error", message=message), status
    cart = session.current_cart()
    if back == "checkout" and cart is not None and cart.items:
        return checkout_page(status, code_error=message, code_text=text)
    return _cart_page(status, code_error=message, code_text=text)


def _visitor(cart):
    """Who is guessing, for the rate limit: the account, or this browser's cart."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"cart:{cart.token}" if cart is not None else ""


@bp.post("/cart/code", endpoint="apply_code")
def enter_code():
    form = PromoCodeForm()
    back = _back(form)
    if not form.validate_on_submit():
        return _code_error(back, first_error(form), 400)
    cart = session.current_cart()
    user = current_user if current_user.is_authenticated else None
    try:
        message = apply_code(cart, form.code.data, channel="web", user=user, email=user.email if user else "",
                             visitor=_visitor(cart), ip=ratelimit.client_address())
    except promo_codes.CodeError as error:
        return _code_error(back, error.message, error.status, (form.code.data or "")[:60])
    return _code_answer(back, message)


@bp.post("/cart/code/remove")
def remove_code():
    form = PromoCodeForm()
    back = _back(form)
    if not form.validate_on_submit():
        return _code_error(back, first_error(form), 400)
    code = promo_codes.remove_code(session.current_cart(), form.code.data)
    return _code_answer(back, f"Removed the code {code}." if code else "That code was not on your cart.")
