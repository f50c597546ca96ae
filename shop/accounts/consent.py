"""Marketing consent: who asked for news and offers, when and where, and who withdrew it.

One row per (normalised) e-mail address, with or without an account: a guest who ticks the box at checkout
has none. Ticking the box records consent (`consented_at`, `source`); withdrawing keeps the row and sets
`withdrawn_at`, so the shop can show when someone said no; consenting again sets `consented_at` anew and
clears `withdrawn_at`. An unticked box is not a withdrawal: it changes nothing.

Who may record consent for an address: the box on a form nobody has to log in for (the register page, a
guest checkout) speaks for an address only when no account holds it or the account is the one just made or
signed in (`record_from_form`): otherwise anyone could sign an account's owner up without proof that the
address is theirs, and the register page would answer differently for a taken address. The owner ticks the
box on their account page instead.

Every marketing e-mail carries `unsubscribe_url(email)`: a signed token (no expiry: a link in an old e-mail
must still work) that withdraws with one click, without logging in.

The model lives here, beside its rules, as a small module of its own (shop.models imports it for Alembic).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ForeignKey, Index, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from shop.accounts.models import User
from shop.core import spreadsheet
from shop.core.emails import normalize_email
from shop.core.timeutil import to_shop_time, utcnow
from shop.extensions import db
from shop.mail.messages import required_url

SOURCE_REGISTRATION = "registration"
SOURCE_CHECKOUT = "checkout"
SOURCE_ACCOUNT = "account"
SOURCES = (SOURCE_REGISTRATION, SOURCE_CHECKOUT, SOURCE_ACCOUNT)
SOURCE_LABELS = {SOURCE_REGISTRATION: "Registration", SOURCE_CHECKOUT: "Checkout", SOURCE_ACCOUNT: "Account page"}

BOX_LABEL = "Send me news and offers"
BOX_HINT = "Now and then: new courses, special offers. Every e-mail has a link to stop them."

UNSUBSCRIBE_SALT = "marketing-unsubscribe"
UNSUBSCRIBE_ENDPOINT = "my_account.unsubscribe"  # the public page that withdraws (shop.storefront.account)

SHOW_CURRENT = "current"
SHOW_WITHDRAWN = "withdrawn"


class MarketingConsent(db.Model):
    __tablename__ = "marketing_consents"
    __table_args__ = (Index("ix_marketing_consents_listing", "withdrawn_at", "consented_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), unique=True)  # normalised (lower-case, no spaces)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    source: Mapped[str] = mapped_column(db.String(20))  # where it was last given: one of SOURCES
    consented_at: Mapped[datetime] = mapped_column(db.DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(db.DateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime, default=utcnow)

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class BadUnsubscribeToken(Exception):
    """An unsubscribe link that was tampered with or made for something else."""


# ---- giving and withdrawing consent ----------------------------------------------------------------

def for_email(email: str | None) -> MarketingConsent | None:
    return db.session.scalar(select(MarketingConsent).where(MarketingConsent.email == normalize_email(email)))


def has_consented(email: str | None) -> bool:
    row = for_email(email)
    return row is not None and row.is_current


def record(email: str, source: str, user: Any = None, now: datetime | None = None) -> MarketingConsent:
    """Consent for `email` from `source` at `now` (default: now), linked to `user` when given. Consenting
    again after a withdrawal sets the time anew; consenting while already consenting keeps the first time.
    Not committed (the caller commits it with what it belongs to)."""
    if source not in SOURCES:
        raise ValueError(f"unknown consent source {source!r}")
    email, now = normalize_email(email), now or utcnow()
    row = for_email(email)
    if row is None:
        row = _insert(email, source, user, now)
    elif row.withdrawn_at is not None:
        row.consented_at, row.withdrawn_at, row.source, row.updated_at = now, None, source, now
    if user is not None and row.user_id is None:
        row.user_id = user.id
    return row


def _insert(email: str, source: str, user: Any, now: datetime) -> MarketingConsent:
    row = MarketingConsent(email=email, source=source, user_id=user.id if user is not None else None,
                           consented_at=now, updated_at=now)
    try:
        with db.session.begin_nested():  # the same address given a moment ago in another request
            db.session.add(row)
    except IntegrityError:
        existing = for_email(email)
        assert existing is not None
        return existing
    return row


def record_from_form(email: str, source: str, customer: Any = None,
                     now: datetime | None = None) -> MarketingConsent | None:
    """The box ticked on a form that needs no login (register, checkout): consent is recorded when no account
    holds the address, or the account is `customer` (the one just made, or the one signed in). An address
    another account holds changes nothing (None): the box is no proof that the address is the visitor's."""
    owner = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if owner is not None and (customer is None or owner.id != customer.id):
        return None
    return record(email, source, user=owner, now=now)


def withdraw(email: str | None, now: datetime | None = None) -> MarketingConsent | None:
    """Withdraw the consent of `email` (kept as a record, with the time); a second withdrawal keeps the first
    time. None when the address never consented. Not committed."""
    row = for_email(email)
    if row is not None and row.withdrawn_at is None:
        now = now or utcnow()
        row.withdrawn_at, row.updated_at = now, now
    return row


def set_for_account(user: Any, wanted: bool, now: datetime | None = None) -> None:
    """The box on the account page: ticked records consent for the account's address, unticked withdraws it.
    Commits."""
    if wanted:
        record(user.email, SOURCE_ACCOUNT, user=user, now=now)
    else:
        withdraw(user.email, now=now)
    db.session.commit()


# ---- the unsubscribe link --------------------------------------------------------------------------

def _serializer(secret_key: str | None = None) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key or current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def make_unsubscribe_token(email: str, *, secret_key: str | None = None) -> str:
    return str(_serializer(secret_key).dumps({"email": normalize_email(email)}))


def read_unsubscribe_token(token: str, *, secret_key: str | None = None) -> str:
    """The address an unsubscribe token is for; raises BadUnsubscribeToken."""
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature as error:
        raise BadUnsubscribeToken("bad signature") from error
    email = payload.get("email") if isinstance(payload, dict) else None
    if not isinstance(email, str) or not email:
        raise BadUnsubscribeToken("bad payload")
    return email


def unsubscribe_url(email: str) -> str:
    """The absolute link (from PUBLIC_BASE_URL) every marketing e-mail to `email` carries."""
    return required_url(UNSUBSCRIBE_ENDPOINT, token=make_unsubscribe_token(email))


def withdraw_with_token(token: str, now: datetime | None = None) -> str:
    """The unsubscribe link, opened: withdraws and returns the address (twice is fine). Raises
    BadUnsubscribeToken. Commits."""
    email = read_unsubscribe_token(token)
    withdraw(email, now=now)
    db.session.commit()
    return email


# ---- marketing's list and its CSV ------------------------------------------------------------------

@dataclass
class ConsentPage:
    rows: list[MarketingConsent]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _listing(show: str) -> Any:
    if show == SHOW_WITHDRAWN:
        return (MarketingConsent.withdrawn_at.is_not(None),
                (MarketingConsent.withdrawn_at.desc(), MarketingConsent.id.desc()))
    return MarketingConsent.withdrawn_at.is_(None), (MarketingConsent.consented_at.desc(), MarketingConsent.id.desc())


def listing_query(show: str = SHOW_CURRENT) -> Any:
    """Consenting addresses, newest first (or withdrawn ones, most recently withdrawn first)."""
    where, order = _listing(show)
    return select(MarketingConsent).where(where).order_by(*order)


def page_of(show: str, page: int, per_page: int = 50) -> ConsentPage:
    where, _ = _listing(show)
    total = db.session.scalar(select(func.count(MarketingConsent.id)).where(where)) or 0
    rows = list(db.session.scalars(listing_query(show).offset((page - 1) * per_page).limit(per_page)))
    return ConsentPage(rows, total, page, per_page)


def counts() -> dict[str, int]:
    current = db.session.scalar(select(func.count(MarketingConsent.id)).where(MarketingConsent.withdrawn_at.is_(None)))
    withdrawn = db.session.scalar(select(func.count(MarketingConsent.id))
                                  .where(MarketingConsent.withdrawn_at.is_not(None)))
    return {SHOW_CURRENT: current or 0, SHOW_WITHDRAWN: withdrawn or 0}


CSV_HEADER = ["email", "status", "source", "consented_at", "withdrawn_at", "has_account"]


def _time(value: datetime | None, tz_name: str) -> str:
    local = to_shop_time(value, tz_name)
    return local.isoformat(timespec="seconds") if local is not None else ""


def csv_text(show: str = SHOW_CURRENT, tz_name: str | None = None) -> str:
    """The list as CSV (header row, then one row per address, newest first), times in the shop's zone with
    their UTC offset."""
    tz_name = tz_name or current_app.config["SHOP_TIMEZONE"]
    return spreadsheet.csv_text(CSV_HEADER, (
        [row.email, "withdrawn" if row.withdrawn_at else "consented", row.source,
         _time(row.consented_at, tz_name), _time(row.withdrawn_at, tz_name), "yes" if row.user_id else "no"]
        for row in db.session.scalars(listing_query(show))))
