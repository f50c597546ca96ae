"""Jinja filters and globals: the one place money and times are formatted."""

from urllib.parse import urlencode

from flask import Flask, current_app, g, get_flashed_messages, render_template, request
from flask_login import current_user
from markupsafe import Markup

from shop.accounts.access import has_role
from shop.accounts.models import ROLE_ADMIN, ROLE_MARKETING, ROLE_STAFF
from shop.core.timeutil import to_shop_time
from shop.courses.access import owned_course_ids
from shop.money import format_cents
from shop.shipping.countries import COUNTRIES
from shop.web import pagecache
from shop.web.urls import remembered_url_for


def _shop_date(value, fmt="%B %-d, %Y"):
    local = to_shop_time(value, current_app.config["SHOP_TIMEZONE"])
    return local.strftime(fmt) if local else ""


def _ce_hours(value):
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} CE hour" + ("" if text == "1" else "s")


def _long_date(value):
    """A calendar date (not a moment) in words: "March 1, 2027"."""
    return value.strftime("%B %-d, %Y") if value else ""


def _filesize(size):
    size = int(size or 0)
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _url_with(**changes):
    """The current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return request.path + ("?" + urlencode(args) if args else "")


def _tax_label(order):
    """An order's tax line as priced: "Ohio sales tax", or "Tax" for orders priced before taxes by state."""
    return ((getattr(order, "pricing_snapshot", None) or {}).get("tax") or {}).get("name") or "Tax"


def _tel(number):
    """'1 800 741 5716' -> 'tel:+18007415716' (North American numbers)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) == 10:
        digits = "1" + digits
    return "tel:+" + digits


def _fragment(name):
    """Where a per-visitor fragment goes in a page that may be cached (see shop.web.pagecache)."""
    return Markup(pagecache.marker(name))  # noqa: S704 (our own fixed marker, no user text)


@pagecache.condition("owns")
def _owns(course_id):
    """Whether the signed-in customer owns this course (no query at all for visitors)."""
    if not current_user.is_authenticated:
        return False
    if "owned_course_ids" not in g:
        g.owned_course_ids = owned_course_ids(user=current_user)
    return int(course_id) in g.owned_course_ids


def _owned_or(course, if_owned, otherwise):
    """`if_owned` for the customer who owns this course, `otherwise` for everyone else (pages stay shared)."""
    return pagecache.choice("owns", course.id, if_owned, otherwise)


OFFICE_NAV = (
    # (endpoint, label, roles that see it); a link shows once its endpoint exists
    ("reports.dashboard", "Dashboard", (ROLE_STAFF, ROLE_MARKETING)),
    ("phone.new_order", "Phone order", (ROLE_STAFF,)),
    ("calls.index", "Call log", (ROLE_STAFF,)),
    ("customers.index", "Customers", (ROLE_STAFF,)),
    ("desk.orders", "Orders", (ROLE_STAFF,)),
    ("reports.sales", "Sales", (ROLE_STAFF, ROLE_MARKETING)),
    ("catalogue_admin.products", "Catalogue", (ROLE_MARKETING,)),
    ("courses_admin.index", "Courses", (ROLE_STAFF,)),
    ("directory_admin.index", "Directory", (ROLE_STAFF,)),
    ("stock.books", "Stock", (ROLE_STAFF,)),
    ("marketing.promotions", "Promotions", (ROLE_MARKETING,)),
    ("articles_admin.index", "Articles", (ROLE_MARKETING,)),
    ("marketing.consents", "Mailing list", (ROLE_MARKETING,)),
    ("users.index", "Users", (ROLE_ADMIN,)),
    ("settings.index", "Settings", (ROLE_ADMIN,)),
    ("tax_admin.index", "Sales tax", (ROLE_ADMIN,)),
)


def _user_has_role(*roles):
    return has_role(current_user, *roles)


def _has_endpoint(name):
    return name in current_app.view_functions


def init_app(app: Flask) -> None:
    app.jinja_env.filters["tel"] = _tel
    app.jinja_env.filters["country_name"] = lambda code: COUNTRIES.get(code, code)
    app.jinja_env.globals["fragment"] = _fragment
    app.jinja_env.globals["url_for"] = remembered_url_for
    app.jinja_env.globals["has_endpoint"] = _has_endpoint
    app.jinja_env.globals["owned_or"] = _owned_or
    app.jinja_env.globals["office_nav"] = OFFICE_NAV
    app.jinja_env.globals["user_has_role"] = _user_has_role

    account_links = {}  # one rendering per kind of visitor (and script root); the form token is a fragment

    @pagecache.fragment("account-links")
    def _account_links():
        signed_in = current_user.is_authenticated
        key = (request.script_root, signed_in, signed_in and current_user.is_staff)
        if key not in account_links:
            account_links[key] = render_template("_account_links.html")
        return account_links[key]

    @pagecache.fragment("flashes")
    def _flashes():
        messages = get_flashed_messages(with_categories=True)
        if not messages:
            return ""
        return render_template("_flashes.html", messages=messages)

    app.jinja_env.filters["money"] = format_cents
    app.jinja_env.filters["tax_label"] = _tax_label
    app.jinja_env.filters["shop_date"] = _shop_date
    app.jinja_env.filters["ce_hours"] = _ce_hours
    app.jinja_env.filters["long_date"] = _long_date
    app.jinja_env.filters["filesize"] = _filesize
    app.jinja_env.globals["url_with"] = _url_with

    @app.context_processor
    def shop_settings():
        config = current_app.config
        return {
            "shop_name": config["SHOP_NAME"],
            "order_phone": config["ORDER_PHONE"],
            "order_phone_label": config["ORDER_PHONE_LABEL"],
            "order_phone_hours": config["ORDER_PHONE_HOURS"],
            "contact_email": config["CONTACT_EMAIL"],
        }
