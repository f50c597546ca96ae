"""The e-mails accounts send: a password-reset link and an address-verification link."""

from flask import current_app

from shop.accounts.models import User
from shop.mail import messages
from shop.mail.models import OutboxMessage


def password_reset(user: User, reset_url: str) -> OutboxMessage | None:
    """A link to choose a new password. Every request sends its own (no dedupe key)."""
    subject = f"Reset your password for {current_app.config['SHOP_NAME']}"
    return messages.send("password_reset", user.email, subject, {"user": user, "reset_url": reset_url})


def email_verification(user: User, verify_url: str) -> OutboxMessage | None:
    """A link that confirms the customer owns the e-mail address."""
    subject = f"Confirm your e-mail address for {current_app.config['SHOP_NAME']}"
    return messages.send("email_verification", user.email, subject, {"user": user, "verify_url": verify_url})
