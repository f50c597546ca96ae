"""The call log: every call to the order line, with or without an order."""

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.timeutil import utcnow
from shop.extensions import db

CALL_ORDER = "order"
CALL_QUESTION = "question"
CALL_CALLBACK = "callback"
CALL_COMPLAINT = "complaint"
CALL_OTHER = "other"
CALL_OUTCOMES = (CALL_ORDER, CALL_QUESTION, CALL_CALLBACK, CALL_COMPLAINT, CALL_OTHER)


class CallLogEntry(db.Model):
    """A call to the order line, with or without an order."""

    __tablename__ = "call_log"
    __table_args__ = (Index("ix_call_log_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    caller_name: Mapped[str] = mapped_column(db.String(200), default="")
    caller_phone: Mapped[str] = mapped_column(db.String(40), default="", index=True)
    caller_email: Mapped[str] = mapped_column(db.String(254), default="", index=True)
    outcome: Mapped[str] = mapped_column(db.String(20), default=CALL_QUESTION)
    notes: Mapped[str] = mapped_column(db.Text, default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True)
    callback_due_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    staff = relationship("User", foreign_keys=[staff_id])
