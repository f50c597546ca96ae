"""Accounts: registration, login, password reset and e-mail verification.

Views call one function here and show the message of any AccountError it raises. Functions that
change something commit; e-mails go to the outbox in the same transaction. When an address is
verified, `signals.email_verified` lets orders and courses attach what was bought with it as a guest.
The register page and checkout's "create an account" answer alike whether or not an address has an
account (its owner is e-mailed instead), so neither tells who is a customer.

Over 300 lines: registration, login, reset and verification share the refusals, limits and e-mails here.
"""

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.accounts import consent, emails, passwords, ratelimit, signals, tokens
from shop.accounts.models import ROLE_CUSTOMER, User
from shop.core import audit
from shop.core.emails import email_problem, normalize_email
from shop.core.errors import Refusal
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail import messages
from shop.mail.messages import required_url

DUPLICATE_EMAIL = "An account with this email already exists. Log in or reset your password."
LOGIN_FAILED = "That email and password do not match an account. Check them, or reset your password."
LOGIN_LOCKED = ("Too many failed attempts to log in to this account. Wait 15 minutes and try again, "
                "or reset your password.")
LOGIN_IP_LOCKED = "Too many failed attempts to log in from your network. Wait 15 minutes and try again."
RESET_LIMITED = ("You have asked for several reset links already. Check your inbox and spam folder, "
                 "or wait an hour and try again.")
REGISTER_LIMITED = "Too many accounts were created from your network. Try again in an hour, or call us."
REGISTER_SENT = ("Check your e-mail to confirm your account: we have sent a message to {email}. Open the link in "
                 "it, and log in with your password to finish. Already registered? Log in, or reset your password.")
CHECKOUT_ACCOUNT_SENT = ("Check your e-mail to confirm your account: we have sent a message to {email}. Log in "
                         "with your password to see this order in your account.")
RESET_SENT = ("If an account uses {email}, we have sent it a link to choose a new password. "
              "The link works for one hour.")
LINK_EXPIRED = "This link has expired. Ask for a new one."
LINK_INVALID = "This link is not valid or has already been used. Ask for a new one."


class AccountError(Refusal):
    """A refusal whose message is safe to show; `field` names the form field it is about, if any."""


class RateLimited(AccountError):
    status = 429


class BadToken(AccountError):
    status = 400


class DuplicateEmail(AccountError):
    """register() for an address that has an account (the pages that must not say so catch it)."""


def user_by_email(email: str | None) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


# ---- registration ----------------------------------------------------------------------------

def register(email: str, password: str, full_name: str, *, ip: str | None = None, role: str = ROLE_CUSTOMER,
             marketing_consent: bool = False) -> User:
    """A new account, with a verification e-mail in the outbox (and its marketing consent when the box was
    ticked). Raises AccountError."""
    email = normalize_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    if user_by_email(email) is not None:
        raise DuplicateEmail(DUPLICATE_EMAIL, "email")
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
        raise DuplicateEmail(DUPLICATE_EMAIL, "email") from None
    if ip:
        ratelimit.hit(ratelimit.REGISTER_PER_IP, ip)
    if marketing_consent:
        consent.record(email, consent.SOURCE_REGISTRATION, user=user)
    _send_verification(user)
    db.session.commit()
    return user


def sign_up(email: str, password: str, full_name: str, *, ip: str | None = None,
            marketing_consent: bool = False) -> str:
    """The register page: the same answer (returned, for the page) whether or not the address has an account,
    so nobody learns who is a customer. A new address gets its account and the confirmation e-mail (and its
    marketing consent, when ticked); an address that has an account gets an e-mail telling its owner, and the
    account is left as it is, its marketing consent too (the box is no proof the address is the visitor's).
    AccountError (a refused address or password, the registration limit) in either case alike."""
    email = normalize_email(email)
    _register_or_tell_owner(email, password, full_name, ip=ip, at_checkout=False,
                            marketing_consent=marketing_consent)
    return REGISTER_SENT.format(email=email)


def register_at_checkout(email: str, password: str, full_name: str, *, ip: str | None = None) -> User | None:
    """Checkout's optional "create an account": a new account (confirmation e-mail sent), or None when the
    address already has one, so the order goes through as a guest's, its owner is told by e-mail, and the
    checkout answers exactly as for a new account (it logs neither in). AccountError for a refused password
    or the registration limit. An existing account is never returned: only its owner may use it, by logging in.
    """
    return _register_or_tell_owner(normalize_email(email), password, full_name, ip=ip, at_checkout=True)


def _register_or_tell_owner(email: str, password: str, full_name: str, *, ip: str | None,
                            at_checkout: bool, marketing_consent: bool = False) -> User | None:
    """Every check that can refuse runs first and alike for both; then a new account, or the owner's e-mail."""
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    problem = passwords.password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    if ip and ratelimit.exceeded(ratelimit.REGISTER_PER_IP, ip):
        raise RateLimited(REGISTER_LIMITED)
    owner = user_by_email(email)
    if owner is None:
        try:
            return register(email, password, full_name, ip=ip, marketing_consent=marketing_consent)
        except DuplicateEmail:  # registered a moment ago in another request
            owner = user_by_email(email)
    passwords.burn_time(password)  # as long as hashing a new account's password takes
    if ip:
        ratelimit.hit(ratelimit.REGISTER_PER_IP, ip)  # counted alike, so the limit says nothing either
    if owner is not None and owner.is_active:
        _tell_owner(owner, at_checkout)
    db.session.commit()
    return None


def _tell_owner(owner: User, at_checkout: bool) -> None:
    """"Someone tried to register with your address": at most one a day, so it cannot flood the inbox."""
    messages.send("registration_attempt", owner.email, "Someone tried to register with your e-mail address",
                  {"user": owner, "at_checkout": at_checkout, "login_url": required_url("accounts.login"),
                   "reset_url": required_url("accounts.forgot_password")},
                  dedupe_key=f"registration-attempt:{owner.id}:{utcnow():%Y-%m-%d}")


JOIN_ADDRESS_REFUSED = ("A new account cannot be made with this address here. If it is yours, log in first, "
                        "then join; otherwise use another address.")


def register_to_join(email: str, password: str, full_name: str, *, ip: str | None = None) -> User:
    """The account a visitor makes on the membership's page: every field is needed there (AccountError with the
    fields to fill). An address that has an account is refused (it must log in first, so a second factor is
    asked too) only after the checks a new address meets, counted against the registration limit alike, and its
    owner is e-mailed as on the register page: the page is no faster a way to learn who is a customer."""
    missing = {name: message for name, value, message in (
        ("email", email, "Enter your email address."), ("full_name", (full_name or "").strip(), "Enter your name."),
        ("password", password, "Choose a password for your account."),
    ) if not value}
    if missing:
        raise AccountError("Please check the form.", errors=missing, status=400)
    user = _register_or_tell_owner(normalize_email(email), password, full_name.strip(), ip=ip, at_checkout=False)
    if user is None:
        raise AccountError(JOIN_ADDRESS_REFUSED, "email", status=409)
    return user


def register_for_caller(email: str, full_name: str, *, actor: Any) -> User:
    """A customer account staff make for a caller who has none: a random password (the caller chooses
    theirs with "Forgot your password"), the confirmation e-mail sent, audited as made by `actor`."""
    user = register(email, secrets.token_urlsafe(24), full_name)
    audit.record("customer_created", "user", user.id, "Created by staff for a caller.", actor=actor)
    db.session.commit()
    return user


def _send_verification(user: User) -> None:
    emails.email_verification(user, required_url("accounts.verify_email", token=tokens.make_verify_token(user)))


def resend_verification(user: User) -> None:
    if user.email_verified_at is not None:
        return
    if ratelimit.exceeded(ratelimit.VERIFY_RESEND_PER_USER, user.id):
        raise RateLimited("We have sent several links already. Check your spam folder, or try again in an hour.")
    ratelimit.hit(ratelimit.VERIFY_RESEND_PER_USER, user.id)
    _send_verification(user)
    db.session.commit()


# ---- login -----------------------------------------------------------------------------------

def authenticate(email: str, password: str, ip: str | None) -> User:
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

def request_password_reset(email: str, ip: str | None) -> str:
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
        emails.password_reset(user, required_url("accounts.reset_password", token=tokens.make_reset_token(user)))
    db.session.commit()
    return RESET_SENT.format(email=email)


def user_for_reset_token(token: str, max_age: int = tokens.RESET_MAX_AGE) -> User:
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


def change_password(user: User, current_password: str, new_password: str) -> User:
    """A new password, given the current one; every other session ends (the caller logs this one in
    again). Commits; AccountError on the field at fault."""
    if not passwords.verify_password(user.password_hash, current_password or ""):
        raise AccountError("That is not your current password.", "current_password")
    problem = passwords.password_problem(new_password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = passwords.hash_password(new_password)
    user.end_sessions()
    audit.record("password changed", "user", user.id, user.email, actor=user)
    db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Logging out: every session and remember cookie of the account stops working. Commits."""
    user.end_sessions()
    db.session.commit()


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link (which then stops working). Returns the user.

    Following the link proves the customer reads mail at the address, so the address counts as
    verified too, and guest purchases made with it are linked to the account.
    """
    user = user_for_reset_token(token)
    problem = passwords.password_problem(new_password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = passwords.hash_password(new_password)
    user.end_sessions()  # a session taken before the reset (a stolen cookie) ends with it
    ratelimit.clear(ratelimit.LOGIN_PER_EMAIL.kind, user.email)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    link_guest_purchases(user)
    db.session.commit()
    return user


# ---- e-mail verification ---------------------------------------------------------------------

class NotThatAccount(AccountError):
    """A confirmation link opened by someone not logged in as the account it is for."""


def verify_email(token: str, signed_in: User | None) -> User:
    """Mark the account's e-mail verified and link guest purchases made with it. Returns the user.

    Guest orders and course access are linked only to a *verified* address, and only by the account's
    own holder, logged in: anyone can register an account with someone else's e-mail, and if the owner
    of the address could confirm it with one click, their guest orders and courses would join the
    stranger's account. The owner logs in first (setting a password through "forgot password" if the
    account is not theirs), which also shuts the stranger out.
    """
    user = user_for_verify_token(token)
    if signed_in is None or signed_in.id != user.id:
        raise NotThatAccount("Log in to the account of this address first, then open the link again.",
                             status=403)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    link_guest_purchases(user)
    db.session.commit()
    return user


def user_for_verify_token(token: str) -> User:
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


def link_guest_purchases(user: User) -> None:
    """Attach guest orders and course access bought with the user's (verified) address. Not committed."""
    if user.email_verified_at is None:
        return
    signals.email_verified.send(user)
