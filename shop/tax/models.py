"""A sales-tax rate for one destination (a US state or a Canadian province), kept by admins.

Where no row exists the shop charges no tax (abroad, and every state where it has no obligation).
The rate is in thousandths of a percent, so 7.25% is 7250 and Minnesota's 6.875% is 6875.
"""

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.timeutil import utcnow
from shop.extensions import db

MAX_RATE_MILLIPERCENT = 30_000  # 30%: no state or province comes near it


class TaxRate(db.Model):
    __tablename__ = "tax_rates"
    __table_args__ = (
        UniqueConstraint("country", "region", name="uq_tax_rates_destination"),
        CheckConstraint(f"rate_millipercent >= 0 AND rate_millipercent <= {MAX_RATE_MILLIPERCENT}",
                        name="rate_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(db.String(2))  # "US" or "CA"
    region: Mapped[str] = mapped_column(db.String(3))  # the state's or province's postal code: "CA", "ON"
    name: Mapped[str] = mapped_column(db.String(120), default="")  # shown on receipts: "California sales tax"
    rate_millipercent: Mapped[int] = mapped_column(default=0)
    taxes_shipping: Mapped[bool] = mapped_column(default=False)
    taxes_digital: Mapped[bool] = mapped_column(default=False)  # online courses and the membership
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
