"""The directory room: listings by status, each with its details, what its owner studied here, its history,
and the decision form. Views read a form, call one service in shop.content.directory, and redirect or render."""

from flask import flash, redirect, render_template, request, url_for

from shop.backoffice.directory import bp
from shop.backoffice.directory.forms import ReviewForm
from shop.content import directory
from shop.content.models import LISTING_PENDING, LISTING_STATES, MODALITIES, Listing
from shop.core import audit
from shop.extensions import db
from shop.web.helpers import attach, current_actor


@bp.get("")
def index():
    status = request.args.get("status", LISTING_PENDING)
    status = status if status in LISTING_STATES or status == "all" else LISTING_PENDING
    return render_template("backoffice/directory/list.html", listings=directory.for_review(
        "" if status == "all" else status), status=status, states=LISTING_STATES,
        counts=directory.counts_by_status())


def _page(listing, form=None, status=200, error=None):
    return render_template("backoffice/directory/review.html", listing=listing, form=form or ReviewForm(),
                           studied=directory.studied(listing), modalities=MODALITIES, error=error,
                           history=audit.entries_for("listing", listing.id)), status


@bp.get("/<int:listing_id>")
def review_page(listing_id):
    return _page(db.get_or_404(Listing, listing_id, description="There is no such listing."))


@bp.post("/<int:listing_id>")
def review(listing_id):
    listing = db.get_or_404(Listing, listing_id, description="There is no such listing.")
    form = ReviewForm()
    if not form.validate_on_submit():
        return _page(listing, form, 422, "Please check the decision.")
    try:
        directory.review(listing, form.decision.data, form.reason.data or "", actor=current_actor())
    except directory.DirectoryError as error:
        db.session.rollback()
        return _page(listing, form, error.status, attach(form, error) or error.message)
    flash(f"{listing.practice_name} is {listing.status} now; its owner has been e-mailed.", "success")
    return redirect(url_for("directory_admin.index"))
