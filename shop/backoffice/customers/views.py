"""The customer pages of the back office (staff): find a customer, their whole history on one page, notes,
and merging two records of one person (with a confirm step)."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.backoffice.customers import bp
from shop.backoffice.customers.forms import MergeForm, NoteForm
from shop.core import audit
from shop.extensions import db
from shop.orders.queries import CHANNELS
from shop.phone import customer_record, merging
from shop.web.helpers import attach, current_actor, form_refusal, page_arg

INVALID = 422


@bp.get("")
def index():
    result = customer_record.search(request.args.get("q", ""), page_arg())
    return render_template("backoffice/customers/index.html", result=result)


def _customer_or_404(user_id):
    user = customer_record.customer_or_none(user_id)
    if user is None:
        abort(404, description="There is no customer with this number.")
    return user


def _page(user, note_form=None, merge_form=None, status=200, error=None):
    record = customer_record.record_of(user)
    return render_template("backoffice/customers/customer.html", record=record, note_form=note_form or NoteForm(),
                           merge_form=merge_form or MergeForm(), channels=CHANNELS, error_message=error,
                           history=audit.entries_for("user", user.id, limit=30)), status


@bp.get("/<int:user_id>")
def customer(user_id):
    return _page(_customer_or_404(user_id))


@bp.post("/<int:user_id>/notes")
def add_note(user_id):
    user = _customer_or_404(user_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _page(user, note_form=form, status=INVALID)
    try:
        customer_record.add_note(user, form.body.data, current_actor())
    except customer_record.NoteError as error:
        return _page(user, note_form=form, status=error.status, error=attach(form, error))
    flash("Note added.", "success")
    return redirect(url_for("customers.customer", user_id=user.id, _anchor="notes"), 303)


@bp.post("/<int:user_id>/merge")
def merge(user_id):
    source = _customer_or_404(user_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return _page(source, merge_form=form, status=INVALID, error=form_refusal(form).message)
    target = db.session.scalar(select(User).where(func.lower(User.email) == form.target.data.strip().lower()))
    if form.confirmed.data != "yes":  # first the confirm step: what would move, and where
        try:
            merging.check(source, target)
        except merging.MergeRefused as error:
            return _page(source, merge_form=form, status=error.status, error=attach(form, error))
        return render_template("backoffice/customers/merge.html", source=source, target=target, form=form,
                               moving=merging.what_would_move(source))
    try:
        done = merging.merge(source, target, current_actor())
    except merging.MergeRefused as error:
        return _page(source, merge_form=form, status=error.status, error=attach(form, error))
    flash(f"{done.source_email} merged into this record: {done.summary}.", "success")
    return redirect(url_for("customers.customer", user_id=target.id), 303)
