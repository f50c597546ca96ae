"""Find a professional: the search, a listing (with what its owner studied here), the contact form, and the
owner's own page to create, edit, add a photo to or take down their listing."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shop.accounts import ratelimit
from shop.accounts.access import ANY_ROLE, role_required
from shop.content import directory, directory_contact
from shop.content.models import LISTING_STATES, MODALITIES
from shop.core import storage
from shop.core.forms import ConfirmForm
from shop.storefront import seo
from shop.storefront.directory_forms import ContactForm, ListingForm, PhotoForm, SearchForm
from shop.web.helpers import attach, page_arg
from shop.web.metadata import public_url

bp = Blueprint("directory", __name__)
INVALID = 422


@bp.get("/professionals")
def search():
    form = SearchForm(request.args)
    form.validate()
    radius = int(form.radius.data) if form.radius.data in {str(r) for r in directory.RADII} else 25
    query = directory.Search(zip_code=(form.zip.data or "")[:10] if not form.zip.errors else "", radius=radius,
                             place=form.place.data or "" if not form.place.errors else "",
                             modality=form.modality.data if form.modality.data in MODALITIES else "",
                             name=form.name.data or "" if not form.name.errors else "", page=page_arg())
    searched = any((query.zip_code, query.place, query.modality, query.name))
    results = directory.search(query)
    hours = directory.studied_hours([item.listing for item in results.items])
    status = 422 if results.message else 200
    return render_template("directory/search.html", form=form, results=results, hours=hours, searched=searched,
                           modalities=MODALITIES, query=query), status


def _public(slug):
    listing = directory.public_listing(slug[:120])
    if listing is None:
        abort(404, description="There is no such listing.")
    return listing


def _listing_page(listing, form=None, status=200, error=None):
    return render_template("directory/listing.html", listing=listing, studied=directory.studied(listing),
                           form=form or ContactForm(formdata=None), modalities=MODALITIES, error=error), status


@bp.get("/professionals/<slug>")
def listing(slug):
    return _listing_page(_public(slug))


@bp.post("/professionals/<slug>/contact")
def contact(slug):
    found = _public(slug)
    form = ContactForm()
    if not form.validate_on_submit():
        return _listing_page(found, form, INVALID, "Please check the message form.")
    if form.homepage.data:  # only a robot fills the hidden field: it is thanked and nothing is sent
        flash("Thank you: your message is on its way.", "success")
        return redirect(url_for("directory.listing", slug=found.slug))
    try:
        directory_contact.contact(found, name=form.name.data, email=form.email.data, phone=form.phone.data or "",
                          message=form.message.data, visitor=ratelimit.client_address())
    except directory.DirectoryError as error:
        return _listing_page(found, form, error.status, error.message)
    flash(f"Thank you: your message is on its way to {found.full_name}, who will answer you by e-mail.", "success")
    return redirect(url_for("directory.listing", slug=found.slug))


# ---- the owner's own listing --------------------------------------------------------------------

def _mine(form=None, status=200, error=None):
    listing = directory.listing_of(current_user)
    if form is None:
        form = ListingForm(formdata=None, obj=listing)
        if listing is not None:
            form.modalities.data = listing.modalities
    return render_template("directory/my_listing.html", listing=listing, form=form, photo_form=PhotoForm(),
                           confirm=ConfirmForm(), error=error, states=LISTING_STATES,
                           studied=directory.studied(listing) if listing else None), status


@bp.get("/account/listing")
@role_required(*ANY_ROLE)
def my_listing():
    return _mine()


@bp.post("/account/listing")
@role_required(*ANY_ROLE)
def save_listing():
    form = ListingForm()
    if not form.validate_on_submit():
        return _mine(form, INVALID, "Please check the highlighted fields.")
    try:
        directory.save_listing(current_user, form.to_input())
    except directory.DirectoryError as error:
        return _mine(form, error.status, attach(form, error) or error.message)
    flash("Thank you. Your listing is waiting for our review; we will e-mail you when it is live.", "success")
    return redirect(url_for("directory.my_listing"))


@bp.post("/account/listing/photo")
@role_required(*ANY_ROLE)
def listing_photo():
    listing = directory.listing_of(current_user)
    form = PhotoForm()
    if listing is None:
        abort(404, description="Create your listing first.")
    if not form.validate_on_submit():
        return _mine(None, INVALID, "Please choose a photo.")
    try:
        directory.set_photo(listing, form.photo.data, storage.public(), actor=current_user)
    except directory.DirectoryError as error:
        return _mine(None, error.status, error.message)
    flash("Your photo is saved.", "success")
    return redirect(url_for("directory.my_listing"))


@bp.post("/account/listing/withdraw")
@role_required(*ANY_ROLE)
def withdraw_listing():
    listing = directory.listing_of(current_user)
    if listing is None:
        abort(404, description="You have no listing.")
    if ConfirmForm().validate_on_submit():
        directory.withdraw(listing, actor=current_user)
        flash("Your listing is taken down. Save it again whenever you want it back.", "success")
    return redirect(url_for("directory.my_listing"))


@seo.sitemap_source
def listing_pages():
    """The directory's search page and every approved listing."""
    found = directory.for_sitemap()
    yield public_url("directory.search"), max((updated for _slug, updated in found), default=None)
    for slug, updated in found:
        yield public_url("directory.listing", slug=slug), updated
