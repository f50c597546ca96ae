"""Settings admins change without a deploy, stored as text in shop_settings and read back typed.

    get_setting("STAFF_REFUND_LIMIT_CENTS")  -> 10000 until an admin changes it
    set_setting("LOW_STOCK_THRESHOLD", 3)    -> added to the session; the caller commits

A key that is not declared here is a programming error (KeyError), never a silent default.
"""

import re
from dataclasses import dataclass

from flask import current_app

from shop.backoffice import audit
from shop.backoffice.models import AuditEntry, ShopSetting
from shop.extensions import db
from shop.money import format_cents
from shop.shipping.models import ShippingMethod


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    type: type
    default: object  # a value, or a callable taking the app config
    minimum: int | None = None
    maximum: int | None = None

    def default_value(self):
        return self.default(current_app.config) if callable(self.default) else self.default

    def parse(self, text):
        value = self.type(text)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.label} cannot be less than {self.minimum}.")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.label} cannot be more than {self.maximum}.")
        return value


SETTINGS = {
    s.key: s
    for s in (
        Setting("STAFF_REFUND_LIMIT_CENTS", "Largest refund staff may give", int, 10000, 0, 100_000_000),
        Setting("LOW_STOCK_THRESHOLD", "Default low-stock threshold", int,
                lambda config: int(config["LOW_STOCK_THRESHOLD"]), 0, 100_000),
    )
}


def get_setting(key):
    """The setting's typed value: the stored one, or the default when none is stored or it is unreadable."""
    setting = SETTINGS[key]
    row = db.session.get(ShopSetting, key)
    if row is None:
        return setting.default_value()
    try:
        return setting.parse(row.value)
    except (TypeError, ValueError):
        return setting.default_value()


def set_setting(key, value):
    """Store a value (checked against the setting's type and bounds; ValueError if refused). Returns the old value."""
    setting = SETTINGS[key]
    value = setting.parse(value)
    old = get_setting(key)
    row = db.session.get(ShopSetting, key)
    if row is None:
        db.session.add(ShopSetting(key=key, value=str(value)))
    else:
        row.value = str(value)
    return old


def history(limit=50):
    """Recent changes to settings and shipping methods, newest first."""
    return db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.entity_type.in_(("setting", "shipping_method")))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()


def save_settings(values, actor=None):
    """values: {key: typed value}. Audits each change and commits; ValueError (with a message) if one is refused."""
    for key, value in values.items():
        old = set_setting(key, value)
        if old != SETTINGS[key].parse(value):
            audit.record("setting changed", "setting", key, f"{SETTINGS[key].label}: {_show(key, old)} → "
                         f"{_show(key, value)}", actor=actor)
    db.session.commit()


def _show(key, value):
    if key.endswith("_CENTS"):
        return format_cents(value)
    return str(value)


# ---- shipping methods ----------------------------------------------------------------------------

SHIPPING_FIELDS = ("name", "region", "price_cents", "free_over_cents", "delivery_estimate", "position", "is_active")


class ShippingError(ValueError):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message, self.field = message, field


def shipping_methods():
    return db.session.scalars(db.select(ShippingMethod).order_by(ShippingMethod.position, ShippingMethod.region,
                                                                  ShippingMethod.id)).all()


def save_shipping_method(method, values, actor=None):
    """Create (method None, values has a code) or update a shipping method. Audited; commits."""
    created = method is None
    if created:
        code = (values.get("code") or "").strip().lower()
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", code):
            raise ShippingError("Enter a code of lower-case letters, digits and dashes, like us-express.", "code")
        if db.session.scalar(db.select(ShippingMethod.id).where(ShippingMethod.code == code)):
            raise ShippingError(f"Another shipping method already uses the code {code}.", "code")
        method = ShippingMethod(code=code)
        db.session.add(method)
    changes = []
    for name in SHIPPING_FIELDS:
        old, new = getattr(method, name), values.get(name)
        if not created and old != new:
            show = format_cents if name.endswith("_cents") else str
            changes.append(f"{name.replace('_cents', '').replace('_', ' ')} "
                           f"{show(old) if old is not None else '—'} → {show(new) if new is not None else '—'}")
        setattr(method, name, new)
    db.session.flush()
    summary = (f"{method.code}: {method.name}, {format_cents(method.price_cents)}" if created
               else f"{method.code}: " + ("; ".join(changes) or "saved without changes"))
    audit.record("created" if created else "updated", "shipping_method", method.id, summary, actor=actor)
    db.session.commit()
    return method
