"""Checkout pages and the Stripe webhook. Views read input, call one service, and answer."""

import secrets

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from shop.cart import services as cart_services
from shop.checkout import services
from shop.checkout.forms import CheckoutForm
from shop.extensions import csrf, db
from shop.orders.models import Order
from shop.payments import gateway, stripe_gateway
from shop.payments import services as payments

bp = Blueprint("checkout", __name__)
PLACED_KEY = "placed_orders"


def _token():
    if not session.get("checkout_token"):
        session["checkout_token"] = secrets.token_urlsafe(24)
    return session["checkout_token"]


def _user():
    return current_user if current_user.is_authenticated else None


@bp.get("/checkout")
def checkout():
    cart = cart_services.current_cart()
    if cart is None or not cart.items:
        return redirect(url_for("cart.view"))
    form = CheckoutForm()
    if _user() and not form.email.data:
        form.email.data = current_user.email
        form.full_name.data = current_user.full_name
    form.checkout_token.data = _token()
    priced = services.quote(cart, form.ship_country.data or "US")
    return render_template("checkout/checkout.html", form=form, priced=priced, cart=cart,
                           problems=cart_services.problems(cart, email=form.email.data))


@bp.get("/checkout/summary")
def summary():
    """Prices for the chosen destination and method, for the page to show (the server decides)."""
    cart = cart_services.current_cart()
    if cart is None or not cart.items:
        return jsonify(error="Your cart is empty."), 409
    country = (request.args.get("country") or "US")[:2].upper()
    email = (request.args.get("email") or "").strip()[:254]  # offers for a first order, a domain, a customer
    priced = services.quote(cart, country, request.args.get("shipping", "")[:40], email=email if "@" in email else "")
    return jsonify(
        total_cents=priced.breakdown.total_cents,
        summary_html=render_template("checkout/_summary.html", priced=priced),
        methods_html=render_template("checkout/_methods.html", priced=priced),
    )


def _fail(message, errors=None, status=400):
    return jsonify(status="error", message=message, errors=errors or {}), status


@bp.post("/checkout/place")
def place():
    form = CheckoutForm()
    if not form.validate_on_submit():
        errors = {name: messages[0] for name, messages in form.errors.items() if messages}
        return _fail("Please check the highlighted fields.", errors)
    cart = cart_services.current_cart()
    user = _user()
    if form.password.data and user is None:
        from shop.accounts import services as accounts

        try:
            user = accounts.create_or_get_customer_for_checkout(form.email.data, form.password.data,
                                                                form.full_name.data)
        except accounts.AccountError as error:
            return _fail(str(error), {"password": str(error)})
    details = services.CheckoutDetails(
        email=form.email.data, name=form.full_name.data.strip(), phone=(form.phone.data or "").strip(),
        address=form.address(), shipping_code=form.shipping_method.data or "",
        payment_method_id=(form.payment_method_id.data or "").strip(), checkout_token=form.checkout_token.data,
    )
    try:
        outcome = services.place_order(cart, details, user)
    except services.CheckoutError as error:
        return _fail(error.message, error.errors, error.status)
    if user is not None and not current_user.is_authenticated:
        login_user(user)
    return _answer(outcome)


def _answer(outcome):
    order = outcome.order
    placed = session.get(PLACED_KEY, [])
    if order.number not in placed:
        session[PLACED_KEY] = (placed + [order.number])[-20:]
    if outcome.status == payments.RESULT_PAID:
        session.pop("checkout_token", None)
        return jsonify(status="paid", redirect=url_for("checkout.thanks", number=order.number))
    if outcome.status == payments.RESULT_REQUIRES_ACTION:
        return jsonify(status="requires_action", client_secret=outcome.client_secret,
                       confirm_url=url_for("checkout.confirm", number=order.number))
    if outcome.status == payments.RESULT_PENDING:
        return jsonify(status="pending", message=outcome.message,
                       redirect=url_for("checkout.thanks", number=order.number)), 202
    return jsonify(status="declined", message=outcome.message), 402


def _own_order(number):
    order = db.session.execute(db.select(Order).filter_by(number=number[:20])).scalar_one_or_none()
    if order is None:
        abort(404)
    mine = number in session.get(PLACED_KEY, []) or (_user() is not None and order.user_id == current_user.id)
    if not mine:
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
    order = _own_order(number)
    return render_template("checkout/thanks.html", order=order)


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Verified by Stripe's signature instead of a CSRF token."""
    try:
        event = stripe_gateway.parse_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except gateway.InvalidWebhook:
        return jsonify(error="invalid signature"), 400
    outcome = payments.handle_event(event)
    current_app.logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return jsonify(received=True, outcome=outcome)
