"""The public page an e-mailed payment link opens: the order's summary and the Payment Element, on our own site.

A link that is unknown answers 404; used, expired or for a paid order, 410, with a page that says which
and what to do. Paying answers JSON to static/js/phone_order.js (as checkout does), and a paid order ends on
checkout's confirmation page.
"""

from flask import Blueprint, jsonify, render_template, request, url_for

from shop.accounts import ratelimit
from shop.checkout import session as checkout_session
from shop.orders import payment as payments
from shop.orders import payment_links as links

bp = Blueprint("payment_links", __name__, url_prefix="/pay")


def _problem(problem):
    if request.method == "POST":
        return jsonify(status="error", message=problem.message, errors={}), problem.status
    return render_template("payments/link_problem.html", problem=problem), problem.status


@bp.get("/<token>")
def page(token):
    try:
        _, order = links.open_link(token)
    except links.LinkProblem as problem:
        return _problem(problem)
    return render_template("payments/link.html", order=order, token=token)


def _answer(token, outcome):
    order = outcome.order
    if outcome.status in (payments.RESULT_PAID, payments.RESULT_PENDING):
        checkout_session.remember_placed(order)
        answer = jsonify(status=outcome.status, message=outcome.message,
                         redirect=url_for("checkout.thanks", number=order.number))
        return answer if outcome.status == payments.RESULT_PAID else (answer, 202)
    if outcome.status == payments.RESULT_REQUIRES_ACTION:
        return jsonify(status="requires_action", client_secret=outcome.client_secret,
                       confirm_url=url_for("payment_links.confirm", token=token))
    if outcome.status == payments.RESULT_TOO_MANY_DECLINES:
        return jsonify(status="error", message=outcome.message, errors={}), 409
    if outcome.status == payments.RESULT_UNANSWERED:
        return jsonify(status="error", message=outcome.message, errors={}), 503
    return jsonify(status="declined", message=outcome.message), 402


@bp.post("/<token>")
def pay(token):
    payment_method_id = links.processor_id(request.form.get("payment_method_id"))
    if payment_method_id and ratelimit.card_attempt_refused(f"link:{token[:80]}"):
        return jsonify(status="error", message=ratelimit.CARD_REFUSED, errors={}), 429
    try:
        return _answer(token, links.pay(token, payment_method_id))
    except links.LinkProblem as problem:
        return _problem(problem)


@bp.post("/<token>/confirm")
def confirm(token):
    """After 3-D Secure: the server asks the processor how the payment ended (never the browser)."""
    intent_id = links.processor_id(request.form.get("payment_intent"))
    try:
        return _answer(token, links.confirm(token, intent_id))
    except links.LinkProblem as problem:
        return _problem(problem)
