"""Users and roles for admins: search, change a role, deactivate or reactivate; and `flask create-user`.

Every change is audited. The shop never loses its last active admin, and admins cannot lock
themselves out (change their own role or deactivate themselves).
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from shop.accounts import passwords
from shop.accounts.models import ROLE_ADMIN, ROLES, User
from shop.core import audit
from shop.core.emails import email_problem, normalize_email
from shop.core.errors import Refusal
from shop.core.models import AuditEntry
from shop.core.timeutil import utcnow
from shop.extensions import db

PER_PAGE = 50


class UserAdminError(Refusal):
    """A change to a user that the shop refuses (the last admin kept, no self-lockout)."""


@dataclass(frozen=True)
class UserPage:
    items: list[User]
    total: int
    page: int
    pages: int


def search(q: str = "", role: str = "", page: int = 1, per_page: int = PER_PAGE) -> UserPage:
    statement = select(User)
    q = (q or "").strip().lower()[:200]
    if q:
        like = f"%{q}%"
        statement = statement.where(or_(User.email.like(like), func.lower(User.full_name).like(like),
                                        User.phone.like(like)))
    if role in ROLES:
        statement = statement.where(User.role == role)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = db.session.scalars(statement.order_by(User.email).offset((page - 1) * per_page).limit(per_page)).all()
    return UserPage(items=items, total=total, page=page, pages=pages)


def history(user: User) -> list[AuditEntry]:
    return audit.entries_for("user", user.id)


def _other_active_admins(user: User) -> int:
    return db.session.scalar(select(func.count(User.id)).where(
        User.role == ROLE_ADMIN, User.is_active_account.is_(True), User.id != user.id))


def change_role(user: User, role: str, actor: Any) -> bool:
    if role not in ROLES:
        raise UserAdminError("Choose one of the roles listed.", "role")
    if user.role == role:
        return False
    if actor is not None and user.id == actor.id:
        raise UserAdminError("You cannot change your own role. Ask another admin.", "role", status=409)
    if user.role == ROLE_ADMIN and not _other_active_admins(user):
        raise UserAdminError("This is the shop's last admin. Make someone else an admin first.", "role",
                             status=409)
    audit.record("role changed", "user", user.id, f"{user.email}: {user.role} → {role}", actor=actor)
    user.role = role
    user.end_sessions()  # the new role starts with a new login
    db.session.commit()
    return True


def set_active(user: User, active: bool, actor: Any) -> bool:
    if user.is_active_account == active:
        return False
    if not active and actor is not None and user.id == actor.id:
        raise UserAdminError("You cannot deactivate your own account.", status=409)
    if not active and user.role == ROLE_ADMIN and not _other_active_admins(user):
        raise UserAdminError("This is the shop's last admin. Make someone else an admin first.", status=409)
    audit.record("reactivated" if active else "deactivated", "user", user.id, user.email, actor=actor)
    user.is_active_account = active
    if not active:
        user.end_sessions()
    db.session.commit()
    return True


def create_user(email: str, password: str, role: str, full_name: str = "") -> User:
    """A verified account with this role (the `flask create-user` command). Commits; UserAdminError if refused."""
    email = normalize_email(email)
    problem = email_problem(email)
    if problem:
        raise UserAdminError(problem, "email")
    if role not in ROLES:
        raise UserAdminError(f"Choose a role from {', '.join(ROLES)}.", "role")
    problem = passwords.password_problem(password, email)
    if problem:
        raise UserAdminError(problem, "password")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise UserAdminError(f"An account with {email} already exists.", "email", status=409)
    user = User(email=email, password_hash=passwords.hash_password(password), role=role,
                full_name=(full_name or "").strip()[:200], email_verified_at=utcnow())
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise UserAdminError(f"An account with {email} already exists.", "email", status=409) from None
    audit.record("created", "user", user.id, f"{email} as {role} (command line)", actor=None)
    db.session.commit()
    return user
