"""My account: the customer's orders, courses and addresses on one page, and each order's own page; the
"Send me news and offers" box, and the unsubscribe link every marketing e-mail carries (public: the signed
token is the key, no login).

(Logging in, registering, password resets and addresses are shop.accounts.views.)
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from shop.accounts import consent
from shop.accounts.access import ANY_ROLE, role_required
from shop.core.forms import ConfirmForm
from shop.courses import library
from shop.membership import queries as membership_queries
from shop.orders import customers, receipt_files
from shop.orders.receipt import receipt_for
from shop.storefront.account_forms import MarketingConsentForm
from shop.web.downloads import pdf_download
from shop.web.helpers import current_actor

bp = Blueprint("my_account", __name__, url_prefix="/account")
INVALID = 422


def _overview(consent_form=None, status=200):
    me = current_actor()
    if consent_form is None:
        consent_form = MarketingConsentForm(formdata=None, marketing_consent=consent.has_consented(me.email))
    return render_template("accounts/account.html", orders=customers.orders_for(me),
                           courses=library.my_courses(me), addresses=list(current_user.addresses),
                           membership=membership_queries.latest_membership(me.id), form=ConfirmForm(),
                           membership_label=membership_queries.label, consent_form=consent_form), status


@bp.get("")
@role_required(*ANY_ROLE)
def overview():
    return _overview()


@bp.post("/news-and-offers")
@role_required(*ANY_ROLE)
def marketing_consent():
    form = MarketingConsentForm()
    if not form.validate_on_submit():
        return _overview(form, INVALID)
    wanted = bool(form.marketing_consent.data)
    consent.set_for_account(current_actor(), wanted)
    flash("We will send you news and offers now and then." if wanted
          else "We will not send you news and offers.", "success")
    return redirect(url_for("my_account.overview", _anchor="news-and-offers"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """The link in every marketing e-mail (public: the signed token is the key, no login). Opening it shows one
    button; only pressing it (a POST) withdraws the consent, so a mail scanner that opens links changes nothing."""
    try:
        email = consent.read_unsubscribe_token(token[:500])
    except consent.BadUnsubscribeToken:
        return render_template("accounts/unsubscribed.html", email=None), 400
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("accounts/unsubscribed.html", email=email, form=form, done=False)
    consent.withdraw_with_token(token[:500])
    return render_template("accounts/unsubscribed.html", email=email, done=True)


def _my_order(number):
    found = customers.order_for(current_actor(), number)
    if found is None:
        abort(404, description="We could not find that order in your account.")
    return found


@bp.get("/orders/<number>")
@role_required(*ANY_ROLE)
def order(number):
    found = _my_order(number)
    return render_template("accounts/order.html", order=found, receipt=receipt_for(found))


@bp.get("/orders/<number>/receipt")
@role_required(*ANY_ROLE)
def receipt(number):
    """The printable receipt (the browser's Print, or the PDF beside it)."""
    return render_template("orders/receipt.html", receipt=receipt_for(_my_order(number)), staff_view=False)


@bp.get("/orders/<number>/receipt.pdf")
@role_required(*ANY_ROLE)
def receipt_pdf(number):
    found = receipt_for(_my_order(number))
    if not found.is_receipt:
        abort(404, description="This order has not been paid, so there is no receipt yet.")
    return pdf_download(receipt_files.receipt_pdf_bytes(found), receipt_files.filename(found))
