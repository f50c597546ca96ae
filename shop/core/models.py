"""Records below every domain: the audit log and the settings admins change without a deploy."""

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.timeutil import utcnow
from shop.extensions import db


class AuditEntry(db.Model):
    """Who did what to which record, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                 index=True)
    action: Mapped[str] = mapped_column(db.String(60))
    entity_type: Mapped[str] = mapped_column(db.String(30))  # order, promotion, product, user, setting
    entity_id: Mapped[str] = mapped_column(db.String(40))
    summary: Mapped[str] = mapped_column(db.Text, default="")
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    actor = relationship("User")


class ShopSetting(db.Model):
    """A setting admins change without a deploy (for example the largest refund staff may give)."""

    __tablename__ = "shop_settings"

    key: Mapped[str] = mapped_column(db.String(60), primary_key=True)
    value: Mapped[str] = mapped_column(db.String(500))
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow)
