"""Shipping methods, kept in the database so that admins can change them."""

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db
from shop.shipping.countries import REGIONS


class ShippingMethod(db.Model):
    __tablename__ = "shipping_methods"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint(f"region IN {REGIONS!r}", name="region_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(db.String(40), unique=True)
    name: Mapped[str] = mapped_column(db.String(120))
    region: Mapped[str] = mapped_column(db.String(20))
    price_cents: Mapped[int] = mapped_column()
    free_over_cents: Mapped[int | None] = mapped_column(nullable=True)
    delivery_estimate: Mapped[str] = mapped_column(db.String(120), default="")
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
