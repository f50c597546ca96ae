"""The member's e-mails: welcome, a receipt for each payment, payment failed, cancellation confirmed, ended.

Each is sent once: the dedupe key names the membership and the invoice or the period concerned, so a
webhook delivered five times, or our own answer and the webhook both, still send one e-mail.
"""

from datetime import timedelta
from typing import Any

from flask import current_app

from shop.catalogue.models import Product
from shop.core.timeutil import to_shop_time
from shop.extensions import db
from shop.mail import messages
from shop.mail.models import OutboxMessage
from shop.membership.models import Membership, MembershipInvoice

ACCOUNT_ENDPOINT = "membership.manage"
COURSES_ENDPOINT = "learning.my_courses"
SUBJECTS = {
    "welcome": "Welcome to the {plan}",
    "receipt": "Your {plan} receipt",
    "payment_failed": "Your {plan} payment failed: please update your card",
    "cancelling": "Your {plan} will end on {date}",
    "ended": "Your {plan} has ended",
}


def retry_deadline(membership: Membership) -> Any:
    """The day by which a failed payment must be made before Stripe gives up: its retry schedule
    (MEMBERSHIP_RETRY_DAYS, as set in Stripe's Billing settings) from the first failure of the newest unpaid
    invoice. None when nothing is owed."""
    failed = [row.failed_at for row in membership.invoices if row.status == "failed" and row.failed_at]
    if not failed:
        return None
    return max(failed) + timedelta(days=current_app.config["MEMBERSHIP_RETRY_DAYS"])


def _send(kind: str, membership: Membership, dedupe_key: str, **extra: Any) -> OutboxMessage | None:
    plan = membership_title(membership)
    context = {"kind": kind, "membership": membership, "plan": plan, "user": membership.user,
               "account_url": messages.absolute_url(ACCOUNT_ENDPOINT),
               "courses_url": messages.absolute_url(COURSES_ENDPOINT),
               "deadline": retry_deadline(membership), **extra}
    date = to_shop_time(membership.current_period_end, current_app.config["SHOP_TIMEZONE"])
    subject = SUBJECTS[kind].format(plan=plan, date=date.strftime("%B %-d, %Y") if date else "")
    return messages.send("membership", membership.user.email, subject, context, dedupe_key=dedupe_key)


def membership_title(membership: Membership) -> str:
    product = db.session.get(Product, membership.product_id) if membership.product_id else None
    return product.title if product else "All-Access Course Membership"


def welcome(membership: Membership) -> OutboxMessage | None:
    return _send("welcome", membership, f"membership-welcome:{membership.id}")


def receipt(membership: Membership, invoice: MembershipInvoice) -> OutboxMessage | None:
    return _send("receipt", membership, f"membership-receipt:{invoice.stripe_invoice_id}", invoice=invoice)


def payment_failed(membership: Membership, invoice: MembershipInvoice) -> OutboxMessage | None:
    return _send("payment_failed", membership, f"membership-failed:{invoice.stripe_invoice_id}", invoice=invoice)


def cancellation_confirmed(membership: Membership) -> OutboxMessage | None:
    end = membership.current_period_end
    stamp = end.strftime("%Y%m%d") if end else "now"
    return _send("cancelling", membership, f"membership-cancelling:{membership.id}:{stamp}")


def ended(membership: Membership) -> OutboxMessage | None:
    return _send("ended", membership, f"membership-ended:{membership.id}")
