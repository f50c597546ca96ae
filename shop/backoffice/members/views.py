"""Members: the list by state, one member's membership and invoices, what staff may change, and a membership
started for a caller on the order line.

Views read a form, call one membership service and answer. A refusal (the membership has ended, Stripe
said no) is flashed on the member's page with its status (409, or 502 when Stripe could not be reached).
Starting a membership by phone answers JSON to static/js/phone_membership.js, which keys the caller's card
into the Payment Element as the phone order page does.
"""


from flask import current_app, flash, jsonify, redirect, render_template, request, url_for

from shop.accounts import services as accounts
from shop.accounts.models import User
from shop.backoffice.members import bp
from shop.backoffice.members.forms import (
    STATE_LABELS,
    CallerAccountForm,
    EndNowForm,
    PhoneConfirmForm,
    PhoneStartForm,
)
from shop.checkout import membership_offer
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.forms import ConfirmForm
from shop.core.timeutil import to_shop_time
from shop.extensions import db
from shop.membership import manage, plan, queries, signup
from shop.membership.models import Membership
from shop.money import format_cents
from shop.orders import stripe_events
from shop.payments.gateway import PaymentError
from shop.web.helpers import current_actor, first_error, page_arg, record_id, text_arg

PER_PAGE = 50


@bp.get("/")
def index():
    state = request.args.get("state", "")
    state = state if state in queries.FILTERS else ""
    q = text_arg("q")
    rows, total = queries.members(state, q, page_arg(), PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    result = {"items": rows, "total": total, "page": min(page_arg(), pages), "pages": pages}
    return render_template("backoffice/members/index.html", result=result, state=state, q=q,
                           states=STATE_LABELS, label=queries.label)


def _membership_or_404(membership_id):
    return db.get_or_404(Membership, membership_id, description="There is no membership with this number.")


def _detail(membership, status=200, end_form=None):
    starter = db.session.get(User, membership.created_by_id) if membership.created_by_id else None
    return render_template(
        "backoffice/members/member.html", membership=membership, label=queries.label(membership), starter=starter,
        refund_due=manage.refund_due_cents(membership) if membership.is_open else 0,
        history=audit.entries_for("user", membership.user_id), confirm_form=ConfirmForm(formdata=None),
        disputes=stripe_events.disputes_of_membership(membership), dispute_outcomes=stripe_events.OUTCOMES,
        end_form=end_form or EndNowForm(formdata=None)), status


@bp.get("/<int:membership_id>")
def member(membership_id):
    return _detail(_membership_or_404(membership_id))


def _act(membership_id, form, work):
    """Run one change on the membership; its confirmation flashed, or its refusal on the page."""
    membership = _membership_or_404(membership_id)
    if not form.validate_on_submit():
        flash("The form expired. Please try again.", "error")
        return _detail(membership, 400)
    try:
        message = work(membership)
    except (Refusal, PaymentError) as error:
        db.session.rollback()
        flash(error.message, "error")
        return _detail(membership, getattr(error, "status", 502))
    flash(message, "success")
    return redirect(url_for("members.member", membership_id=membership.id), code=303)


def _ends_on(membership):
    end = to_shop_time(membership.current_period_end, current_app.config["SHOP_TIMEZONE"])
    return f"{end:%B %-d, %Y}" if end else "the end of the paid period"


@bp.post("/<int:membership_id>/cancel")
def cancel(membership_id):
    def work(membership):
        manage.cancel_at_period_end(membership, actor=current_actor())
        return f"Set to end on {_ends_on(membership)}; {membership.user.email} keeps access until then."
    return _act(membership_id, ConfirmForm(), work)


@bp.post("/<int:membership_id>/resume")
def resume(membership_id):
    def work(membership):
        manage.resume(membership, actor=current_actor())
        return f"Cancellation undone: the membership renews on {_ends_on(membership)} as usual."
    return _act(membership_id, ConfirmForm(), work)


@bp.post("/<int:membership_id>/end")
def end_now(membership_id):
    form = EndNowForm()

    def work(membership):
        refunded = manage.cancel_now(membership, actor=current_actor(), refund=bool(form.refund.data))
        return f"Ended at once; {format_cents(refunded)} refunded." if refunded else "Ended at once; no refund."
    return _act(membership_id, form, work)


# ---- a membership started by phone -------------------------------------------------------------------

def _new_page(caller=None, email="", account_form=None, status=200, error=None):
    try:
        product, unavailable = plan.plan_product(), None
    except plan.PlanUnavailable as refusal:
        product, unavailable = None, refusal.message
    live = queries.live_membership(caller.id) if caller is not None else None
    return render_template(
        "backoffice/members/new.html", caller=caller, email=email, live=live, product=product,
        unavailable=unavailable, error=error,
        account_form=account_form or CallerAccountForm(formdata=None, email=email),
        start_form=PhoneStartForm(formdata=None, user_id=str(caller.id) if caller else ""),
        confirm_form=PhoneConfirmForm(formdata=None)), status


@bp.get("/new")
def new():
    email = text_arg("email", 254)
    user_id = request.args.get("user", "")
    if user_id:
        caller = db.session.get(User, record_id(user_id)) if record_id(user_id) else None
    else:
        caller = accounts.user_by_email(email) if email else None
    return _new_page(caller, email, status=404 if user_id and caller is None else 200,
                     error="There is no account with this number." if user_id and caller is None else None)


@bp.post("/new/account")
def create_caller_account():
    """A customer account for a caller who has none, with a random password (they choose theirs with
    "Forgot your password"); registering sends the address a link to confirm it."""
    form = CallerAccountForm()
    if not form.validate_on_submit():
        return _new_page(email=form.email.data or "", account_form=form, status=422)
    existing = accounts.user_by_email(form.email.data)
    if existing is not None:
        flash(f"{existing.email} has an account already: it is the caller's below.", "info")
        return redirect(url_for("members.new", user=existing.id), code=303)
    try:
        user = accounts.register_for_caller(form.email.data, form.full_name.data, actor=current_actor())
    except accounts.AccountError as refusal:
        return _new_page(email=form.email.data, account_form=form, status=refusal.status, error=refusal.message)
    flash(f"Account created for {user.email}. They can set a password with “Forgot your password”.", "success")
    return redirect(url_for("members.new", user=user.id), code=303)


def _fail(message, errors=None, status=400):
    return jsonify(status="error", message=message, errors=errors or {}), status


@bp.post("/new/start")
def start():
    form = PhoneStartForm()
    if not form.validate_on_submit():
        return _fail(first_error(form), {name: messages[0] for name, messages in form.errors.items()
                                         if name != "csrf_token"})
    user_id = form.user_id.data or ""
    caller = db.session.get(User, record_id(user_id)) if record_id(user_id) else None
    if caller is None:
        return _fail("There is no account with this number. Find the caller again.", status=404)
    try:
        outcome = membership_offer.join(caller, form.payment_method_id.data.strip(), staff=current_actor())
    except Refusal as refusal:
        return _fail(refusal.message, refusal.field_errors(), refusal.status)
    return _answer(outcome)


@bp.post("/new/confirm")
def confirm_start():
    """After 3-D Secure on the caller's card: the server asks Stripe how the first payment ended."""
    form = PhoneConfirmForm()
    membership_id = record_id(form.membership_id.data)
    if not form.validate_on_submit() or membership_id is None:
        return _fail("Missing membership reference.")
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        return _fail("There is no membership with this number.", status=404)
    return _answer(signup.confirm(membership))


def _answer(outcome):
    membership = outcome.membership
    page = url_for("members.member", membership_id=membership.id)
    if outcome.status == signup.JOINED:
        flash(f"{membership.user.email} is a member now. The welcome e-mail is on its way to that address.",
              "success")
        return jsonify(status="paid", redirect=page)
    if outcome.status == signup.REQUIRES_ACTION:
        return jsonify(status="requires_action", client_secret=outcome.client_secret,
                       confirm_url=url_for("members.confirm_start"), membership_id=membership.id)
    if outcome.status == signup.WAITING:
        flash(outcome.message, "info")
        return jsonify(status="pending", message=outcome.message, redirect=page), 202
    return jsonify(status="declined", message=outcome.message), 402
