"""The customer's CE profile: the name exactly as on their licence, an NCBTMB number, licences by state.

Certificates copy these when they are issued (shop.courses.certificates); CE Broker reporting reads the
Florida licence. Every change is checked here: a state is a US state's two-letter code, a number is
1-40 letters, digits, dashes or spaces.
"""

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.accounts.models import Licence, User
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.regions import US_STATES
from shop.core.text import one_line
from shop.extensions import db

NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,39}$")
NAME_MAX = 200


class LicenceError(Refusal):
    """A CE profile change that cannot be saved as typed."""


def state_name(code: str) -> str:
    return US_STATES.get((code or "").upper(), code or "")


def clean_state(state: str | None, field: str = "state") -> str:
    """A US state's code, upper-cased; LicenceError otherwise."""
    code = one_line(state, 10).upper()
    if code not in US_STATES:
        raise LicenceError("Choose a US state.", field)
    return code


def clean_number(number: str | None, field: str = "number", *, required: bool = True) -> str:
    """A licence or certification number: 1-40 letters, digits, dashes or spaces (runs of spaces made one)."""
    text = one_line(number, 100)
    if not text and not required:
        return ""
    if not NUMBER.match(text) or text.endswith(("-", " ")):
        raise LicenceError("Enter the number as printed on your licence: up to 40 letters, digits, dashes or "
                           "spaces.", field)
    return text


def update_profile(user: User, *, licence_name: str, ncbtmb_number: str, actor: Any = None) -> User:
    """Save the name as on the licence and the NCBTMB number (either may be empty). Commits."""
    name = one_line(licence_name, NAME_MAX + 1)
    if len(name) > NAME_MAX:
        raise LicenceError(f"Keep the name to {NAME_MAX} characters.", "licence_name")
    number = clean_number(ncbtmb_number, "ncbtmb_number", required=False)
    changed = (name, number) != (user.licence_name or "", user.ncbtmb_number or "")
    user.licence_name = name
    user.ncbtmb_number = number
    if changed and actor is not None and getattr(actor, "id", None) != user.id:
        audit.record("ce profile changed", "user", user.id, f"Name on licence: {name or '-'}; "
                     f"NCBTMB: {number or '-'}", actor=actor)
    db.session.commit()
    return user


def licence_for(user: User, state: str) -> Licence | None:
    return db.session.scalar(select(Licence).where(Licence.user_id == user.id, Licence.state == state.upper()))


def set_licence(user: User, state: str, number: str) -> Licence:
    """Add the licence for a state, or change its number (one licence per state). Commits."""
    code = clean_state(state)
    cleaned = clean_number(number)
    licence = licence_for(user, code)
    if licence is None:
        licence = Licence(user_id=user.id, state=code, number=cleaned)
        db.session.add(licence)
    else:
        licence.number = cleaned
    try:
        db.session.commit()
    except IntegrityError:  # the same state added a moment ago (a double click): change that one
        db.session.rollback()
        licence = licence_for(user, code)
        licence.number = cleaned
        db.session.commit()
    db.session.refresh(user)
    return licence


def remove_licence(user: User, state: str) -> None:
    """Forget the licence for a state (certificates already issued keep the number they printed). Commits."""
    code = clean_state(state)
    licence = licence_for(user, code)
    if licence is None:
        raise LicenceError(f"There is no {state_name(code)} licence on your profile.", "state", status=404)
    db.session.delete(licence)
    db.session.commit()
    db.session.refresh(user)
