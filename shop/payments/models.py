"""Stripe events already handled, so that a duplicate delivery changes nothing."""

from sqlalchemy.orm import Mapped, mapped_column

from shop.core.timeutil import utcnow
from shop.extensions import db


class ProcessedEvent(db.Model):
    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(db.String(120), primary_key=True)
    event_type: Mapped[str] = mapped_column(db.String(80))
    received_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
