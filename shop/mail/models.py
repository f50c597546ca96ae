"""The outbox: every e-mail is a row first, sent later by the mail worker, retried until it goes."""

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.timeutil import utcnow
from shop.extensions import db

MAIL_PENDING = "pending"
MAIL_SENDING = "sending"
MAIL_SENT = "sent"
MAIL_FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str | None] = mapped_column(db.String(200), unique=True, nullable=True)
    to_address: Mapped[str] = mapped_column(db.String(254))
    subject: Mapped[str] = mapped_column(db.String(300))
    text_body: Mapped[str] = mapped_column(db.Text)
    html_body: Mapped[str] = mapped_column(db.Text, default="")
    status: Mapped[str] = mapped_column(db.String(20), default=MAIL_PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(db.String(1000), default="")
    order_id: Mapped[int | None] = mapped_column(nullable=True, index=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    next_attempt_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    claimed_until: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    sent_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
