"""Flask-Login's user loader."""

from shop.accounts.models import User
from shop.core.text import is_whole_number
from shop.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: object) -> User | None:
    """The user a session names ("<id>-<session version>"), if that version is still theirs."""
    number, _, version = str(user_id).partition("-")
    if not is_whole_number(number) or not is_whole_number(version):
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user
