"""Shipping methods as admins change them: the list, create and update, each change audited."""

import re
from typing import Any

from shop.core import audit
from shop.core.errors import Refusal
from shop.extensions import db
from shop.money import format_cents
from shop.shipping.models import ShippingMethod

ENTITY = "shipping_method"
FIELDS = ("name", "region", "price_cents", "free_over_cents", "delivery_estimate", "position", "is_active")
_CODE_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ShippingError(Refusal):
    """A shipping method the shop refuses to save."""


def shipping_methods() -> list[ShippingMethod]:
    return list(db.session.scalars(db.select(ShippingMethod).order_by(ShippingMethod.position, ShippingMethod.region,
                                                                       ShippingMethod.id)).all())


def _show(name: str, value: Any) -> str:
    if value is None:
        return "—"
    return format_cents(value) if name.endswith("_cents") else str(value)


def save_shipping_method(method: ShippingMethod | None, values: dict[str, Any], actor: Any = None) -> ShippingMethod:
    """Create (method None, values has a code) or update a shipping method. Audited; commits."""
    created = method is None
    if method is None:
        code = (values.get("code") or "").strip().lower()
        if not _CODE_RE.fullmatch(code):
            raise ShippingError("Enter a code of lower-case letters, digits and dashes, like us-express.", "code")
        if db.session.scalar(db.select(ShippingMethod.id).where(ShippingMethod.code == code)):
            raise ShippingError(f"Another shipping method already uses the code {code}.", "code")
        method = ShippingMethod(code=code)
        db.session.add(method)
    changes = []
    for name in FIELDS:
        old, new = getattr(method, name), values.get(name)
        if not created and old != new:
            changes.append(f"{name.replace('_cents', '').replace('_', ' ')} {_show(name, old)} → {_show(name, new)}")
        setattr(method, name, new)
    db.session.flush()
    summary = (f"{method.code}: {method.name}, {format_cents(method.price_cents)}" if created
               else f"{method.code}: " + ("; ".join(changes) or "saved without changes"))
    audit.record("created" if created else "updated", ENTITY, method.id, summary, actor=actor)
    db.session.commit()
    return method
