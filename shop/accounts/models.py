"""Customers and staff (one table, with a role), their addresses, and attempts counted for rate limits."""

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.timeutil import utcnow
from shop.extensions import db

ROLE_CUSTOMER = "customer"
ROLE_STAFF = "staff"
ROLE_MARKETING = "marketing"
ROLE_ADMIN = "admin"
ROLES = (ROLE_CUSTOMER, ROLE_STAFF, ROLE_MARKETING, ROLE_ADMIN)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), unique=True)  # always stored lower-case
    password_hash: Mapped[str | None] = mapped_column(db.String(255), nullable=True)
    full_name: Mapped[str] = mapped_column(db.String(200), default="")
    phone: Mapped[str] = mapped_column(db.String(40), default="")
    role: Mapped[str] = mapped_column(db.String(20), default=ROLE_CUSTOMER)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    email_verified_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    last_login_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    # part of every session's and remember cookie's user id: bumped to end every session at once
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # the CE profile a certificate prints: the name exactly as on the licence, and an NCBTMB number if any
    licence_name: Mapped[str] = mapped_column(db.String(200), default="")
    ncbtmb_number: Mapped[str] = mapped_column(db.String(40), default="")
    # two-factor sign-in (shop.accounts.two_factor): the TOTP secret (set while being set up, on once
    # totp_enabled_at is), the last time step accepted (never accepted twice) and the recovery codes'
    # SHA-256 hashes, one a line, each removed when used
    totp_secret: Mapped[str | None] = mapped_column(db.String(64), nullable=True)
    totp_enabled_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(db.BigInteger, nullable=True)
    recovery_code_hashes: Mapped[str | None] = mapped_column(db.Text, nullable=True)
    # two records of one person merged by staff: this one's orders, courses, calls and notes moved to
    # merged_into_id, and it can no longer sign in (shop.accounts.merging)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    merged_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)

    addresses = relationship("Address", back_populates="user", cascade="all, delete-orphan",
                             order_by="Address.id")
    licences = relationship("Licence", back_populates="user", cascade="all, delete-orphan",
                            order_by="Licence.state")

    @property
    def is_active(self):
        return self.is_active_account

    def get_id(self):
        """Flask-Login's alternative id: a session or remember cookie from before the version changed
        (logout everywhere, a new password, deactivation, a new role) names no one any more."""
        return f"{self.id}-{self.session_version}"

    def end_sessions(self):
        """Every session and remember cookie of this account stops working (not committed)."""
        self.session_version = (self.session_version or 1) + 1

    @property
    def is_staff(self):
        return self.role in (ROLE_STAFF, ROLE_MARKETING, ROLE_ADMIN)

    def __repr__(self):
        return f"<User {self.email} {self.role}>"


class Licence(db.Model):
    """A state licence to practise (one per state), printed on certificates and reported to CE Broker."""

    __tablename__ = "licences"
    __table_args__ = (db.UniqueConstraint("user_id", "state", name="uq_licence_per_state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(db.String(2))
    number: Mapped[str] = mapped_column(db.String(40))

    user = relationship("User", back_populates="licences")


class Address(db.Model):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(db.String(200))
    line1: Mapped[str] = mapped_column(db.String(200))
    line2: Mapped[str] = mapped_column(db.String(200), default="")
    city: Mapped[str] = mapped_column(db.String(120))
    region: Mapped[str] = mapped_column(db.String(120), default="")
    postal_code: Mapped[str] = mapped_column(db.String(20), default="")
    country: Mapped[str] = mapped_column(db.String(2))
    phone: Mapped[str] = mapped_column(db.String(40), default="")
    is_default: Mapped[bool] = mapped_column(default=False)

    user = relationship("User", back_populates="addresses")


class AuthAttempt(db.Model):
    """One attempt at something rate-limited (a failed login, a reset request, a promo-code guess)."""

    __tablename__ = "auth_attempts"
    __table_args__ = (Index("ix_auth_attempts_kind_key_at", "kind", "key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(30))
    key: Mapped[str] = mapped_column(db.String(300))
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)


class CustomerNote(db.Model):
    """A note staff wrote about a customer (dated, signed), shown on the customer's back-office page."""

    __tablename__ = "customer_notes"
    __table_args__ = (Index("ix_customer_notes_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    body: Mapped[str] = mapped_column(db.Text)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    author = relationship("User", foreign_keys=[author_id])


class CustomerMerge(db.Model):
    """Two customer records found to be one person: what moved from source to target, by whom, when."""

    __tablename__ = "customer_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                  index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                  index=True)
    source_email: Mapped[str] = mapped_column(db.String(254))
    target_email: Mapped[str] = mapped_column(db.String(254))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    summary: Mapped[str] = mapped_column(db.String(1000), default="")  # "3 orders, 1 course, 2 calls, 1 note"
    merged_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
