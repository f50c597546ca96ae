"""Payment links: e-mailed to a phone caller to pay their order on the shop's own page.

A link is signed, single-use and expiring. Its token is 32 random bytes, signed with the app's secret (so a
forged or mangled link is refused before any lookup, and changing SECRET_KEY retires every link); only a
SHA-256 of the random part is stored (PaymentLink.token_hash), so the table alone opens nothing. A link
expires after PAYMENT_LINK_HOURS, and is used up by the payment it carries: it is claimed (a conditional
update of used_at) before the card is charged, so two tabs cannot pay twice, and given back if the card is
declined, so the caller can try another card, up to the order's CARD_DECLINES_PER_ORDER declines (see
shop.orders.payment): the decline that reaches it closes the order, releases its copies and promotion uses,
and keeps the link used; the link's page then says so (409). Sending a new link retires the order's older ones.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, Signer
from sqlalchemy import update

from shop.core.errors import Refusal
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail.messages import required_url
from shop.orders import emails, reservations
from shop.orders import payment as payments
from shop.orders import services as orders
from shop.orders.models import STATUS_PAID, STATUS_PENDING_PAYMENT, Order, PaymentLink

SALT = "payment-link"
PROCESSOR_ID = re.compile(r"[A-Za-z0-9_]{1,120}")
MAX_TOKEN_LENGTH = 200


class LinkProblem(Refusal):
    """A link that cannot be paid with: `status` 404 (unknown), 409 (a payment is under way) or 410; `title`
    heads the page that says so."""

    def __init__(self, message: str, *, title: str, status: int, order: Order | None = None) -> None:
        super().__init__(message, status=status)
        self.title = title
        self.order = order


def processor_id(text: str | None) -> str:
    """A card processor's id (pm_..., card_..., pi_...) as the page's JavaScript sends it, or "" otherwise."""
    text = (text or "").strip()
    return text if PROCESSOR_ID.fullmatch(text) else ""


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=SALT)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hours() -> int:
    """How long a link works: PAYMENT_LINK_HOURS (config.py)."""
    return max(1, int(current_app.config["PAYMENT_LINK_HOURS"]))


def create(order: Order, staff: Any = None, now: datetime | None = None) -> tuple[PaymentLink, str]:
    """A new link for the order (older unused ones retired); returns (PaymentLink, the token for the URL)."""
    now = now or utcnow()
    db.session.execute(
        update(PaymentLink).where(PaymentLink.order_id == order.id, PaymentLink.used_at.is_(None),
                                  PaymentLink.expires_at > now)
        .values(expires_at=now).execution_options(synchronize_session=False))
    secret = secrets.token_urlsafe(32)
    link = PaymentLink(order_id=order.id, token_hash=token_hash(secret), expires_at=now + timedelta(hours=hours()),
                       created_by_id=staff.id if staff is not None else None, created_at=now)
    db.session.add(link)
    db.session.flush()
    return link, _signer().sign(secret).decode()


def send(order: Order, staff: Any = None, now: datetime | None = None) -> PaymentLink:
    """Create a link and put its e-mail in the outbox (the caller commits). Returns the PaymentLink.

    The order's copies stay held as long as the link lives."""
    link, token = create(order, staff, now)
    emails.payment_link(order, required_url("payment_links.page", token=token), link.expires_at)
    reservations.extend(order, max(order.reservation_expires_at or link.expires_at, link.expires_at))
    orders.record(order, "payment_link_sent", f"Payment link e-mailed to {order.email}, valid until "
                  f"{link.expires_at:%Y-%m-%d %H:%M} UTC.", actor_id=staff.id if staff is not None else None)
    return link


def _find(token: object) -> PaymentLink | None:
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        secret = _signer().unsign(token).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    return db.session.execute(db.select(PaymentLink).filter_by(token_hash=token_hash(secret))).scalar_one_or_none()


UNKNOWN = {"title": "Payment link not found", "status": 404}
UNKNOWN_MESSAGE = ("This payment link is not valid. Check that you copied the whole link from the e-mail, or call "
                   "us and we will send a new one.")


def open_link(token: str, now: datetime | None = None) -> tuple[PaymentLink, Order]:
    """The link and its order, if the order can be paid with it now; LinkProblem otherwise."""
    now = now or utcnow()
    link = _find(token)
    if link is None:
        raise LinkProblem(UNKNOWN_MESSAGE, **UNKNOWN)
    order = link.order
    if order.status == STATUS_PAID:
        raise LinkProblem(f"Order {order.number} is paid: thank you. This link cannot be used again.",
                          title=f"Order {order.number} is paid", status=410, order=order)
    if order.status != STATUS_PENDING_PAYMENT and payments.too_many_declines(order):
        raise LinkProblem(payments.too_many_declines_message(), title="Too many declined cards", status=409,
                          order=order)
    if link.used_at is not None:
        raise LinkProblem("This payment link has already been used. If you need "
                          "to pay again, call us and we will send a new one.",
                          title="This link has been used", status=410, order=order)
    if link.expires_at <= now or order.status != STATUS_PENDING_PAYMENT:
        raise LinkProblem("This payment link has expired. Call us and we will "
                          "send a new one, or take your order over the phone.",
                          title="This link has expired", status=410, order=order)
    return link, order


def _claim(link: PaymentLink, now: datetime) -> bool:
    claimed = db.session.execute(
        update(PaymentLink).where(PaymentLink.id == link.id, PaymentLink.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def _unclaim(link: PaymentLink) -> None:
    db.session.execute(update(PaymentLink).where(PaymentLink.id == link.id).values(used_at=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _settle(link: PaymentLink, outcome: payments.PaymentOutcome) -> payments.PaymentOutcome:
    """A declined card gives the link back for another try (while the order takes more: after the last one
    allowed the order is closed and the outcome is RESULT_TOO_MANY_DECLINES), and so does a charge the processor
    did not answer (the next try looks it up first); anything else keeps it used."""
    declined = outcome.status == payments.RESULT_DECLINED and not payments.too_many_declines(outcome.order)
    if (declined or outcome.status == payments.RESULT_UNANSWERED) and outcome.order.status == STATUS_PENDING_PAYMENT:
        _unclaim(link)
    return outcome


def pay(token: str, payment_method_id: str, now: datetime | None = None) -> payments.PaymentOutcome:
    """Charge the order's total to the card the customer entered on the link's page; a PaymentOutcome."""
    now = now or utcnow()
    link, order = open_link(token, now)
    if not payment_method_id:
        raise LinkProblem("Enter your card details.", title="Card details needed", status=422, order=order)
    if not _claim(link, now):
        raise LinkProblem("A payment with this link is already under way. Wait a "
                          "moment and reload the page.", title="Payment under way", status=409, order=order)
    orders.record(order, "payment_link_used", "The customer is paying with the e-mailed link.")
    db.session.commit()
    return _settle(link, payments.pay_with_card(order, payment_method_id, cap_declines=True))


def confirm(token: str, intent_id: str) -> payments.PaymentOutcome:
    """After 3-D Secure on the link's page: ask the processor how the payment ended."""
    link = _find(token)
    if link is None or link.used_at is None:
        raise LinkProblem(UNKNOWN_MESSAGE, **UNKNOWN)
    if not intent_id:
        raise LinkProblem("Reload the page and try again.", title="Missing payment reference", status=400,
                          order=link.order)
    return _settle(link, payments.refresh_from_processor(link.order, intent_id, cap_declines=True))


def links_for(order: Order) -> list[PaymentLink]:
    return db.session.execute(
        db.select(PaymentLink).filter_by(order_id=order.id).order_by(PaymentLink.id.desc())).scalars().all()
