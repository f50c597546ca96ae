"""Small things views share: reading query arguments, who is acting, and putting a refusal on a form."""

from typing import Any

from flask import request
from flask_login import current_user
from flask_wtf import FlaskForm

from shop.core.errors import Refusal
from shop.core.text import is_whole_number, one_line

MAX_PAGE = 1_000_000


def page_arg(name: str = "page") -> int:
    """The page number in the query string (1 for anything that is not a sensible whole number)."""
    value = request.args.get(name, "1")
    return int(value) if is_whole_number(value) and 1 <= int(value) <= MAX_PAGE else 1


def text_arg(name: str, limit: int = 200) -> str:
    """A query argument as one line of text, at most `limit` characters."""
    return one_line(request.args.get(name), limit)


def current_actor() -> Any:
    """The logged-in user as a plain object (for services and the audit log)."""
    return current_user._get_current_object()


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def attach(form: FlaskForm | None, error: Refusal) -> str | None:
    """Put a refusal on the form fields it names; returns the message to show above the form otherwise."""
    loose = []
    for name, message in (error.field_errors() or {None: error.message}).items():
        field = getattr(form, name, None) if (form is not None and name) else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*(field.errors or []), message]
        else:
            loose.append(message)
    return " ".join(dict.fromkeys(loose)) or None


def form_refusal(form: FlaskForm) -> Refusal:
    """The first problem a form found, as a refusal on its field (422)."""
    for name, messages in form.errors.items():
        if messages:
            return Refusal(messages[0], name if name != "csrf_token" else None)
    return Refusal("That request was not understood.")


def first_error(form: FlaskForm) -> str:
    return form_refusal(form).message


MAX_ID = 2**31 - 1  # the largest id a database integer column holds


def record_id(text: object) -> int | None:
    """A record id from a form or query string: digits within a database integer, else None (a 404)."""
    value = str(text or "").strip()
    return int(value) if is_whole_number(value) and len(value) <= 10 and 0 < int(value) <= MAX_ID else None
