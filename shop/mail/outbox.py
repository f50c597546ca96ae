"""Putting e-mails in the outbox. Nothing here talks to an SMTP server: `shop.mail.worker` does that.

An e-mail is a row first. `enqueue` adds the row to the current session and does not commit, so
the caller commits it in the same transaction as the business change it announces: an order marked
paid and its confirmation are saved together or not at all. The worker sends it afterwards and
retries until it goes.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail.models import MAIL_PENDING, MAIL_SENT, OutboxMessage

SUBJECT_MAX = 300  # the column's length


class BadAddressError(ValueError):
    """A recipient or subject that would inject headers, or an empty recipient."""


def enqueue(to: str, subject: str, text_body: str, html_body: str = "", *, dedupe_key: str | None = None,
            order_id: int | None = None) -> OutboxMessage | None:
    """Add an e-mail to the outbox in the current session (not committed). Returns the new row.

    With a `dedupe_key` already in the outbox (committed or pending in this session), nothing is
    added and None is returned: an event delivered twice sends one e-mail. The check is a read
    first; the unique constraint on `dedupe_key` is the final guard. So two transactions that
    enqueue the same key at the same moment may see IntegrityError on commit (the loser's whole
    transaction is rolled back). The order-paid transition prevents that for order e-mails: only
    one transaction can move an order to paid (a conditional update / version check), and only
    that one enqueues its confirmation.
    """
    to = (to or "").strip()
    subject = " ".join((subject or "").split())  # no newlines in a header
    if not to or any(ch in to for ch in "\r\n"):
        raise BadAddressError(f"Not a usable recipient: {to!r}")
    if dedupe_key is not None and _exists(dedupe_key):
        return None
    message = OutboxMessage(
        to_address=to,
        subject=subject[:SUBJECT_MAX],
        text_body=text_body,
        html_body=html_body or "",
        dedupe_key=dedupe_key,
        order_id=order_id,
        status=MAIL_PENDING,
        attempts=0,
        last_error="",
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


def _exists(dedupe_key):
    # autoflush sends rows added earlier in this session first, so a second enqueue of the same key
    # inside one transaction is caught here too
    return db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is not None


REDACTED = "[This message was sent on {sent}. Its text, which held single-use links, is no longer kept.]"


def redact_sent(older_than: timedelta, now: datetime | None = None) -> int:
    """Drop the bodies of messages sent longer ago than `older_than`: reset, verification and payment links
    must not stay readable in the database. The row (whom, what subject, when) stays. Not committed."""
    cutoff = (now or utcnow()) - older_than
    rows = list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.status == MAIL_SENT, OutboxMessage.sent_at < cutoff,
        ~OutboxMessage.text_body.startswith(REDACTED.split("{")[0]))))
    for row in rows:
        row.text_body = REDACTED.format(sent=f"{row.sent_at:%Y-%m-%d}")
        row.html_body = ""
    return len(rows)
