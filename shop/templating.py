"""Jinja filters and globals: the one place money and times are formatted."""

from flask import current_app, request

from shop.money import format_cents
from shop.timeutil import to_shop_time


def _shop_date(value, fmt="%B %-d, %Y"):
    local = to_shop_time(value, current_app.config["SHOP_TIMEZONE"])
    return local.strftime(fmt) if local else ""


def _ce_hours(value):
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} CE hour" + ("" if text == "1" else "s")


def _url_with(**changes):
    """The current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    from urllib.parse import urlencode

    return request.path + ("?" + urlencode(args) if args else "")


def _tel(number):
    """'1 800 741 5716' -> 'tel:+18007415716' (North American numbers)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) == 10:
        digits = "1" + digits
    return "tel:+" + digits


def init_app(app):
    app.jinja_env.filters["tel"] = _tel
    app.jinja_env.filters["money"] = format_cents
    app.jinja_env.filters["shop_date"] = _shop_date
    app.jinja_env.filters["ce_hours"] = _ce_hours
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
