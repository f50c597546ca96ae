"""Who owns which course: granted when an order is paid, by the buyer's e-mail (and account, if any)."""

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.timeutil import utcnow
from shop.extensions import db


class CourseAccess(db.Model):
    __tablename__ = "course_access"
    __table_args__ = (UniqueConstraint("email", "product_id", name="uq_course_access_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True)
    granted_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    product = relationship("Product", lazy="joined")
