"""Who is a member, and what the account and back-office pages show of a membership."""

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select

from shop.accounts.models import User
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.membership.models import ENDED, OPEN_STATES, PAST_DUE, Membership

LABELS = {"pending": "starting", "active": "active", "past_due": "past due", "unpaid": "unpaid (paused)",
          "ended": "ended"}
FILTERS = ("active", "past_due", "cancelling", "unpaid", "ended", "pending")


GRACE = timedelta(days=3)  # a renewal's webhook may be late: access outlives the period by this much at most


def member_condition(user_id: Any) -> ColumnElement[bool]:
    """SQL: the account `user_id` (a column or a bound value) holds a membership that opens every course:
    active or past due (Stripe retrying), and within its period (with a little grace), so that a lost
    "ended" webhook cannot leave every course open for ever."""
    return exists().where(Membership.user_id == user_id, Membership.state.in_(OPEN_STATES),
                          or_(Membership.current_period_end.is_(None),
                              Membership.current_period_end > utcnow() - GRACE))


def is_member(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(member_condition(user.id))))


def live_membership(user_id: int) -> Membership | None:
    """The account's membership that is not ended (starting, active or past due), if any."""
    return db.session.scalar(select(Membership).where(Membership.live_user_id == user_id))


def latest_membership(user_id: int) -> Membership | None:
    """The live membership, or else the last one that ended (for "your membership ended on ...")."""
    return live_membership(user_id) or db.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.state == ENDED)
        .order_by(Membership.ended_at.desc(), Membership.id.desc()).limit(1))


def label(membership: Membership) -> str:
    """The state in the words staff and members read: active, past due, cancelling, ended, starting."""
    if membership.state in OPEN_STATES and membership.cancel_at_period_end:
        return "cancelling"
    return LABELS.get(membership.state, membership.state)


def members(state: str = "", search: str = "", page: int = 1, per_page: int = 50) -> tuple[list[Membership], int]:
    """Memberships for the back office, newest first, by state label and by e-mail or name."""
    query = select(Membership)
    if state == "cancelling":
        query = query.where(Membership.state.in_(OPEN_STATES), Membership.cancel_at_period_end.is_(True))
    elif state == "active":
        query = query.where(Membership.state == "active", Membership.cancel_at_period_end.is_(False))
    elif state == PAST_DUE:
        query = query.where(Membership.state == PAST_DUE)
    elif state in ("ended", "pending", "unpaid"):
        query = query.where(Membership.state == state)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.join(User, User.id == Membership.user_id).where(
            func.lower(User.email).like(pattern) | func.lower(User.full_name).like(pattern))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(db.session.scalars(query.order_by(Membership.created_at.desc(), Membership.id.desc())
                                   .limit(per_page).offset((max(page, 1) - 1) * per_page)))
    return rows, total
