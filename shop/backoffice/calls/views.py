"""The call log (staff): search every call, see callbacks due, log a call that made no order."""

from flask import flash, redirect, render_template, request, url_for

from shop.backoffice.calls import bp
from shop.backoffice.calls.forms import CallForm
from shop.extensions import db
from shop.phone import calls as call_log
from shop.phone.lookup import clean_query
from shop.web.helpers import current_actor, form_refusal, page_arg

CALLER_FIELDS = ("caller_name", "caller_phone", "caller_email")


def _calls_page(form=None, status=200, error=None):
    result = call_log.search(request.args.get("q", ""), request.args.get("outcome", "")[:20], page_arg())
    if form is None:  # a call that ended without an order: its caller, from the discarded draft
        form = CallForm(formdata=None, data={name: clean_query(request.args.get(name, "")) for name in CALLER_FIELDS})
    return render_template("backoffice/calls/calls.html", result=result, form=form,
                           error=error, labels=call_log.OUTCOME_LABELS, callbacks=call_log.callbacks_due(),
                           focus=request.args.get("focus", "")[:20]), status


@bp.get("")
def index():
    return _calls_page()


@bp.post("")
def log():
    form = CallForm()
    if not form.validate_on_submit():
        problem = form_refusal(form)
        return _calls_page(form, 422, call_log.CallLogError(problem.message, problem.field))
    try:
        entry = call_log.log_call(current_actor(), outcome=form.outcome.data, caller_name=form.caller_name.data,
                                  caller_phone=form.caller_phone.data, caller_email=form.caller_email.data,
                                  notes=form.notes.data, callback_due=form.callback_due.data,
                                  order_number=form.order_number.data or "")
    except call_log.CallLogError as error:
        db.session.rollback()
        return _calls_page(form, error.status, error)
    flash(f"Call logged: {call_log.OUTCOME_LABELS[entry.outcome].lower()}.", "success")
    return redirect(url_for("calls.index"), code=303)
