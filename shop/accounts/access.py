"""Who may open what: `role_required(*roles)` and a way to list every protected endpoint.

Anonymous visitors are sent to the login page (with `next=`); logged-in users without the role get
a 403 page. An admin has every role. The decorator writes the roles on the view function
(`view.required_roles`), so `protected_endpoints(app)` can list the whole access table for a test.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, abort, redirect, request, url_for
from flask_login import current_user

from shop.accounts import sessions, two_factor
from shop.accounts.models import ROLE_ADMIN, ROLE_MARKETING, ROLE_STAFF, ROLES
from shop.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])
ANY_ROLE = ROLES  # role_required(*ANY_ROLE): any logged-in user


def has_role(user: Any, *roles: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.role == ROLE_ADMIN or user.role in roles


def is_admin(user: Any) -> bool:
    """An admin: every role, and the limits that bind staff (refunds) do not bind them."""
    return user is not None and user.is_authenticated and user.role == ROLE_ADMIN


def role_required(*roles: str) -> Callable[[F], F]:
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"role_required needs roles from {ROLES}, got {roles!r}")

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403, description="Your account does not have access to this page.")
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)
        return wrapped

    return decorate


def protected_endpoints(app: Flask) -> dict[str, frozenset[str]]:
    """{endpoint: frozenset of roles} for every view behind role_required."""
    return {
        endpoint: view.required_roles
        for endpoint, view in app.view_functions.items()
        if getattr(view, "required_roles", None) is not None
    }


def protect_blueprint(bp: Blueprint, *roles: str) -> Blueprint:
    """Every view of this blueprint needs one of `roles`, checked before anything else reads the request
    (see `install`)."""
    bp.required_roles = frozenset(roles)
    return bp


STAFF_PREFIXES = ("/backoffice", "/marketing")
STAFF_ROLES = frozenset({ROLE_STAFF, ROLE_MARKETING})


def install(app: Flask) -> None:
    """Run role checks first of all: before CSRFProtect reads a form (so an oversized or odd body from a
    stranger meets a login page, never a back-office error handler) and before any blueprint code.

    Deny by default: a route under /backoffice or /marketing that declares no roles needs a staff role.
    When admins require two-factor sign-in for staff, a staff account without it opens nothing there but
    is sent to set it up (checked here too, before any form is read).
    """

    def _require_roles():
        sessions.expire_idle()
        if request.endpoint is None:
            return None  # a 404 or 405: nothing to open
        roles = endpoint_roles(app, request.endpoint)
        if roles is None and request.path.startswith(STAFF_PREFIXES):
            roles = STAFF_ROLES
        if roles is None:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not has_role(current_user, *roles):
            abort(403, description="Your account does not have access to this page.")
        if request.path.startswith(STAFF_PREFIXES) and two_factor.setup_needed(current_user):
            return redirect(url_for("accounts.two_factor_status"))
        return None

    app.before_request_funcs.setdefault(None, []).insert(0, _require_roles)


def endpoint_roles(app: Flask, endpoint: str) -> frozenset[str] | None:
    """The roles an endpoint needs (from its decorator or its blueprint), or None for a public page."""
    view = app.view_functions[endpoint]
    roles = getattr(view, "required_roles", None)
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0]) if "." in endpoint else None
    blueprint_roles = getattr(blueprint, "required_roles", None)
    if roles is not None and blueprint_roles is not None:
        return roles & blueprint_roles or roles
    return roles if roles is not None else blueprint_roles
