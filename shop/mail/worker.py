"""The mail worker: sends due outbox rows with Flask-Mail, retries with backoff, never loses one.

Claiming: each due row is taken with one conditional UPDATE (pending and due, or `sending` with an
expired claim: a worker that crashed) and the row count says whether this worker won it, so two
workers never send the same row. The claim is committed before the SMTP conversation starts and
lasts MAIL_CLAIM_SECONDS (CLAIM_SECONDS by default); the claim's expiry time doubles as the claim token
when the result is written back. Delivery is at least once: a worker killed after the SMTP server accepted
a message but before recording it sends that message again when the claim expires, with the same
Message-ID, so the copy can be told for what it is.

Flask-Mail captures its settings when `mail.init_app(app)` runs (`app.extensions["mail"]`), and its
Connection opens smtplib without a timeout. The worker builds the settings from the current
`app.config` at each batch (so MAIL_SERVER / MAIL_PORT changed later are honoured) and opens the
connection with MAIL_TIMEOUT_SECONDS, so a hung SMTP server cannot block it forever.
"""

import logging
import smtplib
import threading
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from flask import current_app
from flask_mail import Connection, Message
from sqlalchemy import and_, or_, select, update

from shop.core.timeutil import utcnow
from shop.extensions import db, mail
from shop.mail.models import MAIL_FAILED, MAIL_PENDING, MAIL_SENDING, MAIL_SENT, OutboxMessage

log = logging.getLogger(__name__)

CLAIM_SECONDS = 300
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
ERROR_MAX = 1000  # the last_error column's length


def backoff_seconds(attempts: int) -> int:
    """Wait after the n-th failed attempt: 30 s, 1 min, 2 min, ... capped at one hour."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)


def _due(now):
    return or_(
        and_(OutboxMessage.status == MAIL_PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == MAIL_SENDING, OutboxMessage.claimed_until < now),
    )


def _claim(message_id, now):
    """Take one row for this worker; returns the claim's expiry (the token) or None if another won."""
    claimed_until = now + timedelta(seconds=current_app.config.get("MAIL_CLAIM_SECONDS", CLAIM_SECONDS))
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(status=MAIL_SENDING, claimed_until=claimed_until)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed_until if result.rowcount == 1 else None


def _finish(message_id, token, **values):
    """Write the result back, only while the claim is still ours."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MAIL_SENDING,
               OutboxMessage.claimed_until == token)
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        log.warning("mail id=%s: claim expired before the result was recorded", message_id)


class _TimedConnection(Connection):
    """Flask-Mail's Connection, with a socket timeout on connect and on every read and write."""

    def __init__(self, state: Any, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=self.timeout)
        try:
            host.set_debuglevel(int(state.debug))
            if state.use_tls:
                host.starttls()
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb):
        if self.host is None:
            return
        if exc_type is None:
            self.host.quit()
        else:
            self.host.close()  # the server may be the problem: do not wait on a QUIT


def _connect():
    app = current_app._get_current_object()
    state = mail.init_mail(app.config, app.debug, app.testing)  # current settings, not those at startup
    return _TimedConnection(state, app.config.get("MAIL_TIMEOUT_SECONDS", 10))


def _short_error(error):
    text = f"{type(error).__name__}: {error}".strip()
    return " ".join(text.split())[:ERROR_MAX]


def _message_id(row, sender):
    """The same Message-ID on every attempt, so a mail client can tell a resend from a new e-mail."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{row['id']}.{row['created']}@{domain}>"


def _deliver(row):
    """Send one message; returns False when MAIL_SUPPRESS_SEND kept it from the SMTP server."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    message = Message(
        subject=row["subject"],
        recipients=[row["to"]],
        body=row["text_body"],
        html=row["html_body"] or None,
        sender=sender,
    )
    message.msgId = _message_id(row, sender)
    with _connect() as connection:
        message.send(connection)
        return connection.host is not None


def _candidates(now, batch):
    return db.session.scalars(
        select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(batch)
    ).all()


def _snapshot(message_id):
    row = db.session.get(OutboxMessage, message_id, populate_existing=True)
    return {"id": row.id, "to": row.to_address, "subject": row.subject, "text_body": row.text_body,
            "html_body": row.html_body, "attempts": row.attempts,
            "created": row.created_at.strftime("%Y%m%d%H%M%S") if row.created_at else "0"}


def send_due(now: datetime | None = None, batch: int = 20) -> tuple[int, int]:
    """Send up to `batch` due messages. Returns (sent, failed): failed counts failed attempts."""
    now = now or utcnow()
    max_attempts = current_app.config.get("MAIL_MAX_ATTEMPTS", 12)
    sent = failed = 0
    ids = _candidates(now, batch)
    db.session.commit()  # end the read transaction before claiming
    for message_id in ids:
        token = _claim(message_id, now)
        if token is None:
            continue  # another worker took it
        row = _snapshot(message_id)
        db.session.commit()
        try:
            delivered = _deliver(row)
        except Exception as error:  # SMTP down, refused, timed out, bad header: all retried
            db.session.rollback()
            failed += 1
            attempts = row["attempts"] + 1
            error_text = _short_error(error)
            if attempts >= max_attempts:
                _finish(message_id, token, status=MAIL_FAILED, attempts=attempts, last_error=error_text)
                log.error("mail failed id=%s to=%s attempts=%s giving up: %s",
                          message_id, row["to"], attempts, error_text)
            else:
                retry_at = now + timedelta(seconds=backoff_seconds(attempts))
                _finish(message_id, token, status=MAIL_PENDING, attempts=attempts, last_error=error_text,
                        next_attempt_at=retry_at)
                log.warning("mail retry id=%s to=%s attempt=%s/%s next=%s: %s",
                            message_id, row["to"], attempts, max_attempts, retry_at.isoformat(" ", "seconds"),
                            error_text)
            continue
        _finish(message_id, token, status=MAIL_SENT, attempts=row["attempts"] + 1, last_error="", sent_at=utcnow())
        sent += 1
        log.info("mail %s id=%s to=%s subject=%r", "sent" if delivered else "suppressed (MAIL_SUPPRESS_SEND)",
                 message_id, row["to"], row["subject"])
    return sent, failed


def send_all_due(now: datetime | None = None, batch: int = 20) -> tuple[int, int]:
    """Send batches until nothing is due (each message is tried at most once per call here)."""
    total_sent = total_failed = 0
    while True:
        sent, failed = send_due(now=now, batch=batch)
        total_sent += sent
        total_failed += failed
        if sent + failed == 0:
            return total_sent, total_failed


def run_forever(interval: float = 2.0, stop_event: threading.Event | None = None, batch: int = 20) -> None:
    """Send due mail until `stop_event` is set; sleep `interval` seconds when there is nothing to do."""
    stop_event = stop_event or threading.Event()
    log.info("mail worker started (every %ss)", interval)
    while not stop_event.is_set():
        try:
            sent, failed = send_due(batch=batch)
        except Exception:  # the database went away, say: log it, keep going
            log.exception("mail worker: batch failed")
            db.session.rollback()
            sent = failed = 0
        finally:
            db.session.remove()
        if sent + failed < batch:
            stop_event.wait(interval)
    log.info("mail worker stopped")
