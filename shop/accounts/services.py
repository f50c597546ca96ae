"""Accounts: registration, login, password reset, e-mail verification, "My account" data, addresses.

Views call one function here and show the message of any AccountError it raises. Functions that
change something commit; e-mails go to the outbox in the same transaction.
"""

import re

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from shop.accounts import passwords, ratelimit, tokens
from shop.accounts.models import ROLE_CUSTOMER, Address, User
from shop.courses.models import CourseAccess
from shop.extensions import db
from shop.orders.models import Order
from shop.timeutil import utcnow

EMAIL_MAX = 254
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")

DUPLICATE_EMAIL = "An account with this email already exists. Log in or reset your password."
LOGIN_FAILED = "That email and password do not match an account. Check them, or reset your password."
LOGIN_LOCKED = ("Too many failed attempts to log in to this account. Wait 15 minutes and try again, "
                "or reset your password.")
LOGIN_IP_LOCKED = "Too many failed attempts to log in from your network. Wait 15 minutes and try again."
RESET_LIMITED = ("You have asked for several reset links already. Check your inbox and spam folder, "
                 "or wait an hour and try again.")
REGISTER_LIMITED = "Too many accounts were created from your network. Try again in an hour, or call us."
RESET_SENT = ("If an account uses {email}, we have sent it a link to choose a new password. "
              "The link works for one hour.")
LINK_EXPIRED = "This link has expired. Ask for a new one."
LINK_INVALID = "This link is not valid or has already been used. Ask for a new one."


class AccountError(Exception):
    """A refusal whose message is safe to show; `field` names the form field it is about, if any."""

    status = 422

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class RateLimited(AccountError):
    status = 429


class BadToken(AccountError):
    status = 400


def normalize_email(email):
    return (email or "").strip().lower()


def email_problem(email):
    email = normalize_email(email)
    if not email:
        return "Enter your email address."
    if len(email) > EMAIL_MAX or not _EMAIL_RE.match(email):
        return "Enter an email address like name@example.com."
    return None


def user_by_email(email):
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


# ---- registration ----------------------------------------------------------------------------

def register(email, password, full_name, *, ip=None, role=ROLE_CUSTOMER):
    """A new account, with a verification e-mail in the outbox. Raises AccountError."""
    email = normalize_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    if user_by_email(email) is not None:
        raise AccountError(DUPLICATE_EMAIL, "email")
    problem = passwords.password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    if ip and ratelimit.exceeded(ratelimit.REGISTER_PER_IP, ip):
        raise RateLimited(REGISTER_LIMITED)
    user = User(email=email, password_hash=passwords.hash_password(password),
                full_name=(full_name or "").strip()[:200], role=role)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same address registered a moment ago in another request
        db.session.rollback()
        raise AccountError(DUPLICATE_EMAIL, "email") from None
    if ip:
        ratelimit.hit(ratelimit.REGISTER_PER_IP, ip)
    _send_verification(user)
    db.session.commit()
    return user


def create_or_get_customer_for_checkout(email, password, full_name, *, ip=None):
    """Checkout's optional "create an account": a new account (verification e-mail sent) or AccountError.

    An existing account is never returned: only its owner may use it, by logging in.
    """
    if user_by_email(email) is not None:
        raise AccountError("An account with this email already exists. Log in to use it, "
                           "or uncheck “create an account” to continue as a guest.", "email")
    return register(email, password, full_name, ip=ip)


def _link(endpoint, **values):
    """An absolute link for an e-mail (the request's host, else SERVER_NAME or PUBLIC_BASE_URL)."""
    from shop.mail import messages

    url = messages.absolute_url(endpoint, **values)
    if url is None:
        raise RuntimeError(f"No host known for the link to {endpoint}: set SERVER_NAME or PUBLIC_BASE_URL")
    return url


def _send_verification(user):
    from shop.mail import messages

    messages.email_verification(user, _link("accounts.verify_email", token=tokens.make_verify_token(user)))


def resend_verification(user):
    if user.email_verified_at is not None:
        return
    if ratelimit.exceeded(ratelimit.VERIFY_RESEND_PER_USER, user.id):
        raise RateLimited("We have sent several links already. Check your spam folder, or try again in an hour.")
    ratelimit.hit(ratelimit.VERIFY_RESEND_PER_USER, user.id)
    _send_verification(user)
    db.session.commit()


# ---- login -----------------------------------------------------------------------------------

def authenticate(email, password, ip):
    """The user these credentials belong to; raises RateLimited (429) or AccountError.

    Failures count per e-mail and per IP address; a success clears the e-mail's failures, upgrades
    the password hash if its parameters are old, and links guest purchases of a verified address.
    """
    email = normalize_email(email)
    if ratelimit.exceeded(ratelimit.LOGIN_PER_EMAIL, email):
        raise RateLimited(LOGIN_LOCKED)
    if ip and ratelimit.exceeded(ratelimit.LOGIN_PER_IP, ip):
        raise RateLimited(LOGIN_IP_LOCKED)
    user = user_by_email(email) if email else None
    if user is None:
        passwords.burn_time(password)
    if user is None or not passwords.verify_password(user.password_hash, password):
        ratelimit.hit(ratelimit.LOGIN_PER_EMAIL, email)
        if ip:
            ratelimit.hit(ratelimit.LOGIN_PER_IP, ip)
        db.session.commit()
        raise AccountError(LOGIN_FAILED)
    if not user.is_active:
        raise AccountError("This account is closed. Call us if you need it opened again.")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    ratelimit.clear(ratelimit.LOGIN_PER_EMAIL.kind, email)
    link_guest_purchases(user)
    db.session.commit()
    return user


# ---- password reset --------------------------------------------------------------------------

def request_password_reset(email, ip):
    """Send a reset link if an account uses this address. The answer is the same either way."""
    email = normalize_email(email)
    if ratelimit.exceeded(ratelimit.RESET_PER_EMAIL, email) or (
            ip and ratelimit.exceeded(ratelimit.RESET_PER_IP, ip)):
        raise RateLimited(RESET_LIMITED)
    ratelimit.hit(ratelimit.RESET_PER_EMAIL, email)
    if ip:
        ratelimit.hit(ratelimit.RESET_PER_IP, ip)
    user = user_by_email(email) if email else None
    if user is not None and user.is_active:
        from shop.mail import messages

        messages.password_reset(user, _link("accounts.reset_password", token=tokens.make_reset_token(user)))
    db.session.commit()
    return RESET_SENT.format(email=email)


def user_for_reset_token(token, max_age=tokens.RESET_MAX_AGE):
    """The user a reset link is for; raises BadToken when it has expired, was used or is forged."""
    try:
        payload = tokens.read_reset_token(token, max_age=max_age)
    except tokens.TokenExpired:
        raise BadToken(LINK_EXPIRED) from None
    except tokens.TokenInvalid:
        raise BadToken(LINK_INVALID) from None
    user = db.session.get(User, payload["id"])
    if user is None or not user.is_active or not tokens.reset_token_fits(payload, user):
        raise BadToken(LINK_INVALID)
    return user


def reset_password(token, new_password):
    """Set a new password from a reset link (which then stops working). Returns the user.

    Following the link proves the customer reads mail at the address, so the address counts as
    verified too, and guest purchases made with it are linked to the account.
    """
    user = user_for_reset_token(token)
    problem = passwords.password_problem(new_password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = passwords.hash_password(new_password)
    ratelimit.clear(ratelimit.LOGIN_PER_EMAIL.kind, user.email)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    link_guest_purchases(user)
    db.session.commit()
    return user


# ---- e-mail verification ---------------------------------------------------------------------

def verify_email(token):
    """Mark the account's e-mail verified and link guest purchases made with it. Returns the user.

    Guest orders and course access are linked only to a *verified* address: anyone can register
    an account with someone else's e-mail, and linking before verification would let them read
    that person's orders and take their courses.
    """
    user = user_for_verify_token(token)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    link_guest_purchases(user)
    db.session.commit()
    return user


def user_for_verify_token(token):
    """The user a verification link is for (nothing changed); raises BadToken."""
    try:
        payload = tokens.read_verify_token(token)
    except tokens.TokenExpired:
        raise BadToken(LINK_EXPIRED) from None
    except tokens.TokenInvalid:
        raise BadToken(LINK_INVALID) from None
    user = db.session.get(User, payload["id"])
    if not tokens.verify_token_fits(payload, user):
        raise BadToken(LINK_INVALID)
    return user


def link_guest_purchases(user):
    """Attach guest orders and course access bought with the user's (verified) address. Not committed."""
    if user.email_verified_at is None:
        return
    email = normalize_email(user.email)
    db.session.execute(
        update(Order).where(Order.user_id.is_(None), func.lower(Order.email) == email)
        .values(user_id=user.id).execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(CourseAccess).where(CourseAccess.user_id.is_(None), func.lower(CourseAccess.email) == email)
        .values(user_id=user.id).execution_options(synchronize_session=False)
    )


# ---- My account ------------------------------------------------------------------------------

def orders_for(user):
    statement = (select(Order).where(Order.user_id == user.id, Order.number.is_not(None))
                 .order_by(Order.placed_at.desc(), Order.id.desc()))
    return db.session.scalars(statement).all()


def order_for(user, number):
    """The user's own order with this number, or None (also for someone else's)."""
    return db.session.scalar(select(Order).where(Order.user_id == user.id, Order.number == number))


def courses_for(user):
    statement = select(CourseAccess).where(CourseAccess.user_id == user.id).order_by(CourseAccess.granted_at.desc())
    return db.session.scalars(statement).unique().all()


# ---- addresses -------------------------------------------------------------------------------

def address_for(user, address_id):
    """The user's own address, or None."""
    return db.session.scalar(select(Address).where(Address.id == address_id, Address.user_id == user.id))


def save_address(user, data, address=None, make_default=False):
    """Add (address=None) or change an address; the first one, or make_default, becomes the default."""
    if address is None:
        address = Address(is_default=False)
        user.addresses.append(address)
    for name in ADDRESS_FIELDS:
        value = (data.get(name) or "").strip()
        setattr(address, name, value.upper() if name == "country" else value)
    others = [a for a in user.addresses if a is not address]
    if make_default or not any(a.is_default for a in others):
        _make_default(user, address)
    db.session.commit()
    return address


def set_default_address(user, address):
    _make_default(user, address)
    db.session.commit()


def delete_address(user, address):
    was_default = address.is_default
    user.addresses.remove(address)  # delete-orphan: the row goes
    if was_default and user.addresses:
        _make_default(user, user.addresses[0])
    db.session.commit()


def _make_default(user, address):
    for other in user.addresses:
        other.is_default = False
    address.is_default = True
