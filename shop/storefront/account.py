"""My account: the customer's orders, courses and addresses on one page, and each order's own page.

(Logging in, registering, password resets and addresses are shop.accounts.views.)
"""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from shop.accounts.access import ANY_ROLE, role_required
from shop.core.forms import ConfirmForm
from shop.courses import library
from shop.membership import queries as membership_queries
from shop.orders import customers
from shop.web.helpers import current_actor

bp = Blueprint("my_account", __name__, url_prefix="/account")


@bp.get("")
@role_required(*ANY_ROLE)
def overview():
    me = current_actor()
    return render_template("accounts/account.html", orders=customers.orders_for(me),
                           courses=library.my_courses(me), addresses=list(current_user.addresses),
                           membership=membership_queries.latest_membership(me.id), form=ConfirmForm(),
                           membership_label=membership_queries.label)


@bp.get("/orders/<number>")
@role_required(*ANY_ROLE)
def order(number):
    found = customers.order_for(current_actor(), number)
    if found is None:
        abort(404, description="We could not find that order in your account.")
    return render_template("accounts/order.html", order=found)
