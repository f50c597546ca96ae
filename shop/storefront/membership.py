"""The membership's pages: join with a card (3-D Secure as at checkout), and the member's own page in
My account (plan, next charge, invoices, a new card, cancel at period end and undo). Views read a form,
call one membership service and answer; JSON for the card steps, which static/js/membership.js drives."""

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from shop.accounts import ratelimit
from shop.accounts import services as accounts
from shop.accounts.access import ANY_ROLE, role_required
from shop.checkout import membership_offer
from shop.core.errors import Refusal
from shop.core.forms import ConfirmForm
from shop.core.text import is_whole_number
from shop.core.timeutil import local_today, to_shop_time
from shop.membership import emails, plan, queries, signup
from shop.membership import manage as changes
from shop.membership.models import PENDING
from shop.money import format_cents
from shop.payments.gateway import PaymentError
from shop.promotions.codes import normalise
from shop.storefront.membership_forms import CardForm, ConfirmJoinForm, JoinForm
from shop.web.helpers import record_id

bp = Blueprint("membership", __name__)


def _fail(message, errors=None, status=400):
    return jsonify(status="error", message=message, errors=errors or {}), status


@bp.get("/membership")
def join_page():
    try:
        product = plan.plan_product()
    except plan.PlanUnavailable as refusal:
        return render_template("membership/unavailable.html", message=refusal.message), 404
    live = queries.live_membership(current_user.id) if current_user.is_authenticated else None
    if live is not None and live.state != PENDING:
        flash("You are already a member: here is your membership.", "info")
        return redirect(url_for("membership.manage"))
    form = JoinForm(formdata=None, code=normalise(request.args.get("code"))[:40])
    user = current_user if current_user.is_authenticated else None
    offer = membership_offer.first_month(product, form.code.data or "", user)
    today = local_today(current_app.config["SHOP_TIMEZONE"])
    statement = plan.charge_statement(format_cents(product.price_cents), plan.interval_of(product), today,
                                      first=format_cents(offer.price_cents))
    return render_template("membership/join.html", product=product, form=form, confirm=ConfirmJoinForm(),
                           statement=statement, offer=offer)


def _account_for(form):
    """The signed-in customer, or the account made on this page (then signed in)."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    user = accounts.register_to_join(form.email.data or "", form.password.data or "", form.full_name.data or "",
                                     ip=ratelimit.client_address())
    login_user(user)
    return user


@bp.post("/membership/join")
def join():
    form = JoinForm()
    if not form.validate_on_submit():
        return _fail("Please check the form.", {name: messages[0] for name, messages in form.errors.items()})
    try:
        plan.plan_product()  # on sale: checked before an account is made for it
        user = _account_for(form)
        if ratelimit.card_attempt_refused(f"membership-account:{user.id}"):  # and per address, in ratelimit
            return _fail(ratelimit.CARD_REFUSED, status=429)
        shown = form.shown_cents.data or ""
        outcome = membership_offer.join(user, form.payment_method_id.data.strip(), code=form.code.data or "",
                                        shown_cents=int(shown) if is_whole_number(shown) else None)
    except Refusal as refusal:
        return _fail(refusal.message, refusal.field_errors(), refusal.status)
    return _answer(outcome)


@bp.post("/membership/confirm")
@role_required(*ANY_ROLE)
def confirm():
    """After 3-D Secure in the browser: the server asks Stripe how the first payment ended."""
    form = ConfirmJoinForm()
    membership_id = record_id(form.membership_id.data)
    if not form.validate_on_submit() or membership_id is None:
        return _fail("Missing membership reference.")
    membership = signup.own_membership(current_user.id, membership_id)
    if membership is None:
        return _fail("That membership is not yours.", status=404)
    return _answer(signup.confirm(membership))


def _answer(outcome):
    if outcome.status == signup.JOINED:
        flash("Welcome! Every course is open to you now.", "success")
        return jsonify(status="paid", redirect=url_for("learning.my_courses"))
    if outcome.status == signup.REQUIRES_ACTION:
        return jsonify(status="requires_action", client_secret=outcome.client_secret,
                       confirm_url=url_for("membership.confirm"), membership_id=outcome.membership.id)
    if outcome.status == signup.WAITING:
        return jsonify(status="pending", message=outcome.message, redirect=url_for("membership.manage")), 202
    return jsonify(status="declined", message=outcome.message), 402


def _manage_page(status=200, error=None):
    membership = queries.latest_membership(current_user.id)
    return render_template("membership/manage.html", membership=membership,
                           label=queries.label(membership) if membership else "",
                           deadline=emails.retry_deadline(membership) if membership else None,
                           card_form=CardForm(), confirm_form=ConfirmForm(), error=error), status


@bp.get("/account/membership")
@role_required(*ANY_ROLE)
def manage():
    return _manage_page()


def _mine():
    membership = queries.live_membership(current_user.id)
    if membership is None:
        raise changes.MembershipRefused("You have no membership to change.", status=404)
    return membership


@bp.post("/account/membership/card")
@role_required(*ANY_ROLE)
def update_card():
    form = CardForm()
    if not form.validate_on_submit():
        return _fail("Enter your card details.", {"payment": "Enter your card details."})
    if ratelimit.card_attempt_refused(f"membership-account:{current_user.id}"):
        return _fail(ratelimit.CARD_REFUSED, status=429)
    try:
        message = changes.update_card(_mine(), form.payment_method_id.data.strip(), actor=current_user)
    except PaymentError as error:
        return jsonify(status="declined", message=error.message), 402
    except Refusal as refusal:
        return _fail(refusal.message, status=refusal.status)
    flash(message, "success")
    return jsonify(status="paid", redirect=url_for("membership.manage"))


def _change(action, done):
    """A cancel or undo: done, then back to the page (303); refused, the page says why with the status."""
    if not ConfirmForm().validate_on_submit():
        return _manage_page(400, "The form expired. Please try again.")
    try:
        action(_mine(), actor=current_user)
    except PaymentError as error:
        return _manage_page(502, error.message)
    except Refusal as refusal:
        return _manage_page(refusal.status, refusal.message)
    flash(done(), "success")
    return redirect(url_for("membership.manage"), code=303)


@bp.post("/account/membership/cancel")
@role_required(*ANY_ROLE)
def cancel():
    def done():
        end = to_shop_time(queries.live_membership(current_user.id).current_period_end,
                           current_app.config["SHOP_TIMEZONE"])
        return (f"Your membership ends on {end:%B %-d, %Y}; you keep access until then." if end
                else "Your membership will not renew.")
    return _change(changes.cancel_at_period_end, done)


@bp.post("/account/membership/resume")
@role_required(*ANY_ROLE)
def resume():
    return _change(changes.resume, lambda: "Your membership continues: it renews as usual.")


@bp.errorhandler(Refusal)
def _refused(refusal):
    if request.accept_mimetypes.best == "application/json":
        return _fail(refusal.message, status=refusal.status)
    return _manage_page(refusal.status, refusal.message)
