"""Flask-Login's user loader."""

from shop.accounts.models import User
from shop.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: object) -> User | None:
    if not str(user_id).isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.is_active else None
