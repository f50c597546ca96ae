"""The checkout page, placing the order, 3-D Secure and the thank-you page. Views read input, call one
service, and answer (the Stripe webhook is shop.checkout.views)."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from shop.accounts import ratelimit
from shop.accounts import services as accounts
from shop.cart import session as cart_session
from shop.checkout import services
from shop.checkout import session as checkout_session
from shop.checkout.forms import CheckoutForm
from shop.core.emails import normalize_email
from shop.orders import payment as payments
from shop.orders import queries
from shop.quote import quote

bp = Blueprint("checkout", __name__)


def _user():
    return current_user if current_user.is_authenticated else None


def checkout_page(status=200, code_error=None, code_text=""):
    """The checkout page (also answered by a promo code refused from it)."""
    cart = cart_session.current_cart()
    if cart is None or not cart.items:
        return redirect(url_for("cart.view"))
    form = CheckoutForm()
    if _user() and not form.email.data:
        form.email.data = current_user.email
        form.full_name.data = current_user.full_name
    form.checkout_token.data = checkout_session.token()
    priced = quote(cart, form.ship_country.data or "US", region=form.ship_region.data or "")
    return render_template("checkout/checkout.html", form=form, priced=priced, cart=cart,
                           problems=cart_session.problems(cart),
                           promo_code_error=code_error, promo_code_text=code_text), status


@bp.get("/checkout")
def checkout():
    return checkout_page()


@bp.get("/checkout/summary")
def summary():
    """Prices for the chosen destination and method, for the page to show (the server decides)."""
    cart = cart_session.current_cart()
    if cart is None or not cart.items:
        return jsonify(error="Your cart is empty."), 409
    country = (request.args.get("country") or "US")[:2].upper()
    email = (request.args.get("email") or "").strip()[:254]  # offers for a first order, a domain, a customer
    priced = quote(cart, country, request.args.get("shipping", "")[:40], email=email if "@" in email else "",
                   region=(request.args.get("region") or "")[:120])
    return jsonify(
        total_cents=priced.breakdown.total_cents,
        summary_html=render_template("checkout/_summary.html", priced=priced),
        methods_html=render_template("checkout/_methods.html", priced=priced),
    )


RELOAD = "Please reload the checkout page: it was opened before your last order."


def _fail(message, errors=None, status=400):
    return jsonify(status="error", message=message, errors=errors or {}), status


@bp.post("/checkout/place")
def place():
    form = CheckoutForm()
    if not form.validate_on_submit():
        errors = {name: messages[0] for name, messages in form.errors.items() if messages}
        return _fail(services.CHECK_FIELDS, errors)
    if not checkout_session.is_token(form.checkout_token.data):  # the token this browser's page was given
        return _fail(RELOAD, {"checkout_token": RELOAD}, status=409)
    if form.payment_method_id.data and ratelimit.card_attempt_refused(f"checkout:{form.checkout_token.data}"):
        return _fail(ratelimit.CARD_REFUSED, status=429)
    details = services.CheckoutDetails(
        email=form.email.data, name=form.full_name.data.strip(), phone=(form.phone.data or "").strip(),
        password=form.password.data or "", address=form.address(), shipping_code=form.shipping_method.data or "",
        payment_method_id=(form.payment_method_id.data or "").strip(), checkout_token=form.checkout_token.data,
        marketing_consent=bool(form.marketing_consent.data),
    )
    try:
        outcome, _ = services.checkout(cart_session.current_cart(), details, _user())
    except services.CheckoutError as error:
        return _fail(error.message, error.field_errors(), error.status)
    if details.password and not current_user.is_authenticated and outcome.status in (
            payments.RESULT_PAID, payments.RESULT_PENDING):
        # "create an account" answers alike whether or not the address had one (see register_at_checkout):
        # a new account is not logged in here, and the owner of an existing one was e-mailed instead
        flash(accounts.CHECKOUT_ACCOUNT_SENT.format(email=normalize_email(details.email)), "info")
    return _answer(outcome)


def _answer(outcome):
    order = outcome.order
    checkout_session.remember_placed(order)
    if outcome.status == payments.RESULT_PAID:
        checkout_session.forget_token()
        return jsonify(status="paid", redirect=url_for("checkout.thanks", number=order.number))
    if outcome.status == payments.RESULT_REQUIRES_ACTION:
        return jsonify(status="requires_action", client_secret=outcome.client_secret,
                       confirm_url=url_for("checkout.confirm", number=order.number))
    if outcome.status == payments.RESULT_PENDING:
        return jsonify(status="pending", message=outcome.message,
                       redirect=url_for("checkout.thanks", number=order.number)), 202
    if outcome.status == payments.RESULT_TOO_MANY_DECLINES:  # the order was closed: check out again
        return _fail(outcome.message, status=409)
    if outcome.status == payments.RESULT_UNANSWERED:  # order and cart kept; the next try looks the charge up
        return _fail(outcome.message, status=503)
    return jsonify(status="declined", message=outcome.message), 402


def _own_order(number):
    order = queries.by_number(number[:20])
    if order is None or not checkout_session.may_see(order):
        abort(404)
    return order


@bp.post("/checkout/orders/<number>/confirm")
def confirm(number):
    """After 3-D Secure in the browser: the server asks the processor how it ended."""
    order = _own_order(number)
    intent_id = (request.form.get("payment_intent") or "")[:120]
    if not intent_id:
        return _fail("Missing payment reference.")
    return _answer(payments.refresh_from_processor(order, intent_id))


@bp.get("/orders/<number>/thanks")
def thanks(number):
    return render_template("checkout/thanks.html", order=_own_order(number))
