"""Phone orders from the order line. Views read a form, call one service, and answer.

The order page is one page: every change posts, and on success comes back to it (303) with the cursor in
the next field to fill; a refusal shows the page again with the message and the right status. Placing
by card answers JSON to static/js/phone_order.js, which keys the card into the Payment Element.

Over 300 lines: this is one page's views (a dozen small posts that share the draft_action wrapper and the
page they all render), plus the placed order's page, which the page sends staff to.
"""

from functools import wraps

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError

from shop.backoffice.phone import bp
from shop.backoffice.phone.forms import (
    AddItemForm,
    CodeForm,
    DetailsForm,
    DraftForm,
    NewCustomerForm,
    QuantityForm,
    RecordCheckForm,
    UseCallerForm,
)
from shop.core import audit
from shop.core.forms import choices
from shop.extensions import db
from shop.orders import payment as payments
from shop.orders import payment_links as links
from shop.orders import queries
from shop.orders.checks import ManualPaymentError
from shop.orders.models import CHANNEL_PHONE
from shop.phone import changes, drafts, lookup, placing
from shop.phone.drafts import DraftGone, ManyMatches, PhoneOrderError
from shop.web.helpers import current_actor as _staff
from shop.web.helpers import form_refusal
from shop.web.helpers import wants_json as _wants_json


def _back(draft, focus, anchor=""):
    return redirect(url_for("phone.new_order", draft=draft.token, focus=focus) + anchor, code=303)


def _first_error(form):
    """The form's first problem as a PhoneOrderError (422) on its field, or None."""
    if not form.errors:
        return None
    problem = form_refusal(form)
    return PhoneOrderError(problem.message, problem.field)


def _draft(form, may_start, revive=True):
    """The draft the form names; a new one only for the steps that can begin an order (caller, item)."""
    token = form.draft.data or request.args.get("draft", "")
    if token:
        return drafts.load(token[:64], _staff(), revive)
    if not may_start:
        raise PhoneOrderError("Start the order by finding the caller or adding an item.", "q")
    return drafts.start(_staff())


def _kept(draft, form):
    """After a rollback: the draft, or None when this refused step began it (it was rolled back too)."""
    named = form.draft.data or request.args.get("draft", "")
    return draft if draft is not None and named else None


def draft_action(view):
    """Load the draft a form names, run the view; answer the page with the message when it refuses."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        form = view.form_class()
        draft = None
        try:
            problem = _first_error(form) if not form.validate_on_submit() else None
            if problem is None or form.draft.data:
                draft = _draft(form, getattr(view, "starts_draft", False))
            if problem is not None:
                raise problem
            return view(draft, form, *args, **kwargs)
        except DraftGone as gone:
            if gone.order is not None:  # paid meanwhile (a webhook was quicker): show the order
                done = url_for("phone.order", number=gone.order.number)
                if _wants_json():
                    return jsonify(status="paid", message=gone.message, redirect=done)
                flash(gone.message, "success")
                return redirect(done, code=303)
            return _page(None, status=404, error=gone)
        except ManyMatches as many:
            db.session.commit()  # the draft the search opened stays for the pick
            return _page(draft, status=200, matches=many.matches, item_q=many.text, focus="match",
                         forms={view.form_class.__name__: form})
        except PhoneOrderError as error:
            db.session.rollback()
            draft = _kept(draft, form)
            if _wants_json():
                return jsonify(status="error", message=error.message,
                               errors={error.field: error.message} if error.field else {}), error.status
            return _page(draft, status=error.status, error=error, forms={view.form_class.__name__: form})
        except StaleDataError:
            db.session.rollback()
            draft = _kept(draft, form)
            error = PhoneOrderError("Someone else changed this order at the same moment. Check it and try again.",
                                    status=409)
            return _page(draft, status=409, error=error)

    return wrapped


def _uses(form_class, starts_draft=False):
    def decorate(view):
        view.form_class = form_class
        view.starts_draft = starts_draft
        return draft_action(view)

    return decorate


def _details_form(draft, priced):
    form = DetailsForm(formdata=None)
    if draft is not None:
        order = draft.order
        for key in ("name", "line1", "line2", "city", "region", "postal_code", "country"):
            getattr(form, f"ship_{key}").data = getattr(order, f"ship_{key}") or ("US" if key == "country" else "")
        form.caller_phone.data = order.caller_phone
        form.call_notes.data = order.call_notes
        form.payment.data = order.payment_method if order.payment_method in drafts.METHOD_LABELS else "card"
    if priced is not None:
        form.shipping_method.choices = choices((m.code, m.name) for m in priced.methods)
        form.shipping_method.data = priced.selected.code if priced.selected else ""
    return form


def _new_customer_form(query):
    form = NewCustomerForm(formdata=None)
    if "@" in query:
        form.new_email.data = query
    elif query and sum(ch.isdigit() for ch in query) >= 4:
        form.new_phone.data = query
    else:
        form.new_name.data = query
    return form


def _focus(draft, callers, query):
    if request.args.get("focus"):
        return request.args["focus"][:20]
    if query:
        return "caller-result" if callers else "new_name"
    if draft is None or not draft.has_caller:
        return "q"
    return "item"


def _page(draft, status=200, error=None, forms=None, matches=None, item_q="", focus=None):
    query = lookup.clean_query(request.args.get("q", ""))
    callers = lookup.find_callers(query) if query else []
    item_q = item_q or lookup.clean_query(request.args.get("item_q", ""))
    if matches is None and item_q:
        matches = lookup.find_products(item_q)
    priced = drafts.quote(draft) if draft is not None and draft.order is not None else None
    given = forms or {}
    context = {
        "draft": draft, "priced": priced, "query": query, "callers": callers, "item_q": item_q,
        "matches": matches or [], "error": error, "awaiting": placing.awaiting_payment(),
        "new_form": given.get("NewCustomerForm") or _new_customer_form(query),
        "item_form": given.get("AddItemForm") or AddItemForm(formdata=None),
        "code_form": given.get("CodeForm") or CodeForm(formdata=None),
        "details_form": _details_form(draft, priced),
        "focus": focus or ("error" if error else _focus(draft, callers, query)),
        "methods": drafts.METHOD_LABELS,
        "hold_days": drafts.setting("PHONE_CHECK_HOLD_DAYS"),
        "link_hours": drafts.setting("PAYMENT_LINK_HOURS"),
    }
    if "DetailsForm" in given:
        submitted = given["DetailsForm"]
        submitted.shipping_method.choices = context["details_form"].shipping_method.choices
        context["details_form"] = submitted
    return render_template("backoffice/phone/new_order.html", **context), status


@bp.get("/new")
def new_order():
    token = request.args.get("draft", "")
    draft = None
    try:
        draft = drafts.load(token[:64], _staff(), revive=False) if token else None
    except DraftGone as gone:
        if gone.order is not None:
            flash(gone.message, "success")
            return redirect(url_for("phone.order", number=gone.order.number), code=303)
        return _page(None, status=404, error=gone)
    return _page(draft)


@bp.post("/draft/caller")
@_uses(UseCallerForm, starts_draft=True)
def use_caller(draft, form):
    caller = lookup.caller_by_key(form.key.data)
    if caller is None:
        raise PhoneOrderError("That caller is no longer there: search again.", "q", status=404)
    changes.use_caller(draft, caller)
    if draft.notice:
        flash(draft.notice, "error")
    return _back(draft, "item")


@bp.post("/draft/customer")
@_uses(NewCustomerForm, starts_draft=True)
def create_customer(draft, form):
    changes.create_customer(draft, _staff(), name=form.new_name.data, email=form.new_email.data,
                                 phone=form.new_phone.data, address=form.address())
    flash(f"Customer {form.new_email.data} created. They can set a password with “Forgot your password”.",
          "success")
    return _back(draft, "item")


@bp.post("/draft/items")
@_uses(AddItemForm, starts_draft=True)
def add_item(draft, form):
    if not form.product_id.data and not form.item.data:
        raise PhoneOrderError("Type a SKU or part of a title.", "item")
    changes.add_item(draft, form.quantity.data, product_id=form.product_id.data, text=form.item.data or "")
    return _back(draft, "item")


@bp.post("/draft/items/<int:product_id>")
@_uses(QuantityForm)
def set_quantity(draft, form, product_id):
    changes.set_quantity(draft, product_id, form.quantity.data)
    return _back(draft, f"qty-{product_id}" if form.quantity.data else "item")


@bp.post("/draft/items/<int:product_id>/remove")
@_uses(DraftForm)
def remove_item(draft, form, product_id):
    changes.remove_item(draft, product_id)
    return _back(draft, "item")


@bp.post("/draft/code")
@_uses(CodeForm)
def apply_code(draft, form):
    if request.form.get("remove"):
        changes.remove_code(draft, lookup.clean_query(request.form["remove"])[:60])
        return _back(draft, "code")
    if not form.code.data:
        raise PhoneOrderError("Type the code the caller quotes.", "code")
    flash(changes.apply_code(draft, _staff(), form.code.data), "success")
    return _back(draft, "code")


def _update_details(draft, form):
    changes.update_details(draft, address=form.address(), shipping_code=form.shipping_method.data,
                                caller_phone=form.caller_phone.data, call_notes=form.call_notes.data)


@bp.post("/draft/details")
@_uses(DetailsForm)
def update_details(draft, form):
    _update_details(draft, form)
    if _wants_json():
        priced = drafts.quote(draft)
        return jsonify(status="saved", total_cents=priced.breakdown.total_cents,
                       summary_html=render_template("backoffice/phone/_summary.html", draft=draft, priced=priced))
    return _back(draft, request.form.get("next_focus", "payment")[:20])


def _answer(draft, placed):
    order = placed.order
    done = url_for("phone.order", number=order.number)
    if placed.status in (payments.RESULT_PAID, drafts.AWAITING):
        flash(f"Order {order.number} placed.", "success")
        if _wants_json():
            return jsonify(status=placed.status, redirect=done)
        return redirect(done, code=303)
    refused = 503 if placed.status == payments.RESULT_UNANSWERED else 402
    if not _wants_json():
        raise PhoneOrderError(placed.message or "The card payment did not go through.", "payment", status=refused)
    if placed.status == payments.RESULT_REQUIRES_ACTION:
        return jsonify(status="requires_action", client_secret=placed.client_secret,
                       confirm_url=url_for("phone.confirm_card"))
    if placed.status == payments.RESULT_PENDING:
        return jsonify(status="pending", message=placed.message, redirect=done), 202
    return jsonify(status="declined", message=placed.message), refused


@bp.post("/draft/place")
@_uses(DetailsForm)
def place(draft, form):
    _update_details(draft, form)
    placed = placing.place(draft, _staff(), form.payment.data, links.processor_id(form.payment_method_id.data))
    return _answer(draft, placed)


@bp.post("/draft/confirm")
@_uses(DraftForm)
def confirm_card(draft, form):
    """After 3-D Secure on this page: the server asks the processor how the card payment ended."""
    intent_id = links.processor_id(request.form.get("payment_intent"))
    if not intent_id:
        raise PhoneOrderError("Missing payment reference.", "payment", status=400)
    outcome = payments.refresh_from_processor(draft.order, intent_id)
    return _answer(draft, placing.card_outcome(draft, _staff(), outcome))


@bp.post("/draft/discard")
@_uses(DraftForm)
def discard(draft, form):
    order = drafts.discard(draft, _staff())
    flash(f"Draft {order.number} discarded; its items are back in stock. Log the call if it needs a note.", "success")
    return redirect(url_for("calls.index", focus="outcome", caller_name=order.customer_name or None,
                            caller_phone=order.caller_phone or order.phone or None,
                            caller_email=order.email or None), code=303)


# ---- a placed phone order: payment by check or link ------------------------------------------------

def _order(number):
    order = queries.by_number(number[:20])
    if order is None:
        abort(404, description="There is no order with that number.")
    return order


def _order_page(order, status=200, check_form=None, error=None):
    return render_template(
        "backoffice/phone/order.html", order=order, check_form=check_form or RecordCheckForm(formdata=None),
        error=error, links=links.links_for(order), history=audit.entries_for("order", order.id),
        methods=drafts.METHOD_LABELS, is_phone=order.channel == CHANNEL_PHONE,
    ), status


@bp.get("/orders/<number>")
def order(number):
    return _order_page(_order(number))


@bp.post("/orders/<number>/check")
def record_check(number):
    order = _order(number)
    form = RecordCheckForm()
    if not form.validate_on_submit():
        error = _first_error(form)
        return _order_page(order, 422, form, ManualPaymentError(error.message, error.field))
    try:
        placing.record_check(order, form.amount.data, form.reference.data, _staff())
    except ManualPaymentError as error:
        db.session.rollback()
        return _order_page(_order(number), error.status, form, error)
    flash(f"Payment recorded: order {number} is paid and the confirmation e-mail is on its way.", "success")
    return redirect(url_for("phone.order", number=number), code=303)


@bp.post("/orders/<number>/link")
def send_link(number):
    order = _order(number)
    form = DraftForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        placing.resend_link(order, _staff())
    except PhoneOrderError as error:
        return _order_page(order, error.status, error=error)
    flash(f"A new payment link is on its way to {order.email}; older links no longer work.", "success")
    return redirect(url_for("phone.order", number=number), code=303)
