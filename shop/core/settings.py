"""Settings admins change without a deploy, stored as text in shop_settings and read back typed.

    get_setting("STAFF_REFUND_LIMIT_CENTS")  -> 10000 until an admin changes it
    set_setting("LOW_STOCK_THRESHOLD", 3)    -> added to the session; the caller commits

A key that is not declared here is a programming error (KeyError), never a silent default.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from shop.core import audit
from shop.core.models import AuditEntry, ShopSetting
from shop.extensions import db
from shop.money import format_cents

ENTITY = "setting"


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    type: Callable[[Any], int]
    default: int | Callable[[Mapping[str, Any]], int]  # a value, or a callable taking the app config
    minimum: int | None = None
    maximum: int | None = None
    switch: bool = False  # on (1) or off (0): shown as "on"/"off"

    def default_value(self) -> int:
        return self.default(current_app.config) if callable(self.default) else self.default

    def parse(self, text: Any) -> int:
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
        Setting("REQUIRE_STAFF_TWO_FACTOR", "Two-factor sign-in required for staff", int, 0, 0, 1, switch=True),
    )
}


def get_setting(key: str) -> int:
    """The setting's typed value: the stored one, or the default when none is stored or it is unreadable."""
    setting = SETTINGS[key]
    row = db.session.get(ShopSetting, key)
    if row is None:
        return setting.default_value()
    try:
        return setting.parse(row.value)
    except (TypeError, ValueError):
        return setting.default_value()


def set_setting(key: str, value: Any) -> int:
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


def history(entity_types: tuple[str, ...] = (ENTITY,), limit: int = 50) -> list[AuditEntry]:
    """Recent changes to settings (and other records admins keep beside them), newest first."""
    return audit.recent(entity_types, limit)


def save_settings(values: Mapping[str, Any], actor: Any = None) -> None:
    """values: {key: typed value}. Audits each change and commits; ValueError (with a message) if one is refused."""
    for key, value in values.items():
        old = set_setting(key, value)
        if old != SETTINGS[key].parse(value):
            audit.record("setting changed", ENTITY, key, f"{SETTINGS[key].label}: {show(key, old)} → "
                         f"{show(key, value)}", actor=actor)
    db.session.commit()


def show(key: str, value: Any) -> str:
    """A setting's value as the audit log and the settings page write it."""
    if key.endswith("_CENTS"):
        return format_cents(value)
    if SETTINGS[key].switch:
        return "on" if int(value) else "off"
    return str(value)
