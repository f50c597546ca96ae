"""The shop's one rule for e-mail addresses, from the email-validator package.

Checkout, registration, the phone desk, staff accounts and marketing's customer lists all use it, so
an address taken in one place is taken everywhere. Addresses are kept lower-case (the domain as typed,
internationalised domains allowed); quoted local parts, non-ASCII local parts (which need SMTPUTF8)
and reserved domains (.test, .invalid, localhost) are refused.
"""

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254
INVALID = "Enter an email address like name@example.com."
MISSING = "Enter your email address."


def normalize_email(text: str | None) -> str:
    """The form the shop stores and compares: surrounding spaces removed, lower-case."""
    return (text or "").strip().lower()


def email_problem(text: str | None) -> str | None:
    """Why this is not a usable e-mail address, in words for the person typing it; None when it is."""
    email = normalize_email(text)
    if not email:
        return MISSING
    if len(email) > MAX_LENGTH:
        return INVALID
    try:
        validate_email(email, check_deliverability=False, allow_smtputf8=False, allow_quoted_local=False)
    except EmailNotValidError:
        return INVALID
    return None


def is_email(text: str | None) -> bool:
    return email_problem(text) is None
