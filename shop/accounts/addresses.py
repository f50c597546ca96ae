"""A customer's saved addresses: add, change, delete, and which one is the default."""

from collections.abc import Mapping

from sqlalchemy import select

from shop.accounts.models import Address, User
from shop.extensions import db

ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")


def address_for(user: User, address_id: int) -> Address | None:
    """The user's own address, or None."""
    return db.session.scalar(select(Address).where(Address.id == address_id, Address.user_id == user.id))


def save_address(user: User, data: Mapping[str, str], address: Address | None = None,
                 make_default: bool = False) -> Address:
    """Add (address=None) or change an address; the first one, or make_default, becomes the default."""
    if address is None:
        address = Address(is_default=False)
        user.addresses.append(address)
    for name in ADDRESS_FIELDS:
        value = (data.get(name) or "").strip()
        setattr(address, name, value.upper() if name == "country" else value)
    others = [a for a in user.addresses if a is not address]
    if make_default or not any(a.is_default for a in others):
        _make_default(user, address)
    db.session.commit()
    return address


def set_default_address(user: User, address: Address) -> None:
    _make_default(user, address)
    db.session.commit()


def delete_address(user: User, address: Address) -> None:
    was_default = address.is_default
    user.addresses.remove(address)  # delete-orphan: the row goes
    if was_default and user.addresses:
        _make_default(user, user.addresses[0])
    db.session.commit()


def default_address(user: User) -> Address | None:
    """The default address, else the first one, else None."""
    return next((a for a in user.addresses if a.is_default), None) or (user.addresses[0] if user.addresses else None)


def _make_default(user: User, address: Address) -> None:
    for other in user.addresses:
        other.is_default = False
    address.is_default = True
