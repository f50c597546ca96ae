"""Marketing's promotion work: create, edit (optimistic locking), state changes and duplicates.

Validation lives in shop.promotions.validation, codes in admin_codes, statuses and what the promotion's
page says about it in shop.promotions.status. Every change is written to the audit log in the same
transaction. Views pass a PromotionInput (typed values read from the form) and the shop's time zone; a
refusal is a PromotionError naming the form field.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from shop.core import audit
from shop.core.timeutil import to_local, to_utc, utcnow
from shop.extensions import db
from shop.money import format_cents
from shop.pricing import promotions as pricing
from shop.promotions.admin_codes import shared_code
from shop.promotions.models import (
    ROLE_BUNDLE,
    ROLE_EXCLUDE,
    ROLE_TARGET,
    STATE_ACTIVE,
    STATE_DRAFT,
    STATE_ENDED,
    STATE_PAUSED,
    Promotion,
    PromotionCategory,
    PromotionCode,
    PromotionCustomer,
    PromotionProduct,
)
from shop.promotions.status import ACTIONS
from shop.promotions.validation import (
    CHANNELS,
    PromotionError,
    PromotionInput,
    StaleEdit,
    normalise_code,
    raise_if_invalid,
    validate,
)

ENTITY = "promotion"


# ---- saving -------------------------------------------------------------------------------------

def _sync(collection: Any, wanted: dict[Any, dict[str, Any]], key: Any, make: Any) -> None:
    """Make a child collection hold exactly `wanted` ({key: extra values}) without delete-then-insert."""
    existing = {key(child): child for child in collection}
    for k, child in existing.items():
        if k not in wanted:
            collection.remove(child)
    for k, values in wanted.items():
        if k in existing:
            for name, value in values.items():
                setattr(existing[k], name, value)
        else:
            collection.append(make(k, values))


def _apply(promotion: Promotion, data: PromotionInput, timezone: str) -> None:
    promotion.name = data.name
    promotion.public_description = (data.public_description or "").strip()
    promotion.starts_at = to_utc(data.starts_local, timezone)
    promotion.ends_at = to_utc(data.ends_local, timezone)
    promotion.channel_web, promotion.channel_phone = CHANNELS[data.channels]
    promotion.requires_code = data.requires_code
    promotion.is_public = data.is_public
    promotion.exclusive = data.exclusive
    promotion.priority = data.priority
    kind = promotion.benefit_kind = data.benefit_kind
    promotion.basis_points = {pricing.PERCENT_OFF: data.percent_bp,
                              pricing.BUY_X_GET_Y: data.get_discount_bp}.get(kind) or 0
    promotion.amount_cents = {pricing.AMOUNT_OFF: data.amount_cents,
                              pricing.FIXED_PRICE: data.fixed_price_cents}.get(kind) or 0
    promotion.buy_quantity = (data.buy_quantity or 0) if kind == pricing.BUY_X_GET_Y else 0
    promotion.get_quantity = (data.get_quantity or 0) if kind == pricing.BUY_X_GET_Y else 0
    everything = promotion.applies_to_everything = data.applies_to_everything
    promotion.target_kinds = "" if everything else ",".join(sorted(set(data.target_kinds)))
    promotion.exclude_kinds = ",".join(sorted(set(data.exclude_kinds)))
    products = {(pid, ROLE_EXCLUDE): {"quantity": 1} for pid in data.exclude_product_ids}
    if not everything:
        products.update({(pid, ROLE_TARGET): {"quantity": 1} for pid in data.target_product_ids})
    if kind == pricing.FIXED_PRICE:
        products.update({(pid, ROLE_BUNDLE): {"quantity": qty} for pid, qty in data.bundle})
    _sync(promotion.products, products, lambda c: (c.product_id, c.role),
          lambda k, v: PromotionProduct(product_id=k[0], role=k[1], **v))
    categories = {(cid, ROLE_EXCLUDE): {} for cid in data.exclude_category_ids}
    if not everything:
        categories.update({(cid, ROLE_TARGET): {} for cid in data.target_category_ids})
    _sync(promotion.categories, categories, lambda c: (c.category_id, c.role),
          lambda k, v: PromotionCategory(category_id=k[0], role=k[1]))
    promotion.min_subtotal_cents = data.min_subtotal_cents or 0
    promotion.min_quantity = data.min_quantity or 0
    promotion.first_order_only = data.first_order_only
    promotion.email_domains = "\n".join(sorted(set(data.email_domains)))
    _sync(promotion.customers, {e: {} for e in data.customer_emails}, lambda c: c.email,
          lambda k, v: PromotionCustomer(email=k))
    promotion.max_redemptions = data.max_redemptions
    promotion.max_per_customer = data.max_per_customer
    promotion.budget_cents = data.budget_cents
    promotion.updated_at = utcnow()  # always an UPDATE of the row, so its version moves on


def _set_shared_code(promotion: Promotion, text: str) -> str:
    """The shared code becomes `text` (added, renamed or removed); returns a summary or "".

    A promotion switched to automatic keeps its codes (they are simply not needed any more).
    """
    if not promotion.requires_code:
        return ""
    code = normalise_code(text)
    current = shared_code(promotion) if promotion.id else None
    if current is None and code:
        db.session.add(PromotionCode(promotion=promotion, code=code, max_uses=None))
        return f"shared code {code}"
    if current is not None and code and current.code != code:
        old, current.code = current.code, code
        return f"shared code {old} → {code}"
    if current is not None and not code:  # validate() refused this for a code already used
        db.session.delete(current)
        return f"shared code {current.code} removed"
    return ""


def _commit_code(promotion: Promotion, data: PromotionInput) -> None:
    try:
        db.session.commit()
    except IntegrityError:  # another marketer took the code a moment ago
        db.session.rollback()
        raise PromotionError("Please check the highlighted fields.", errors={
            "code": f"The code {normalise_code(data.code)} is already taken. Choose another."}) from None
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit() from None


def describe(promotion: Promotion) -> str:
    """A short description of the benefit, for lists and the audit log."""
    kind = promotion.benefit_kind
    if kind == pricing.PERCENT_OFF:
        return f"{_percent(promotion.basis_points)} off"
    if kind == pricing.AMOUNT_OFF:
        return f"{format_cents(promotion.amount_cents)} off"
    if kind == pricing.FIXED_PRICE:
        return f"set of {len([p for p in promotion.products if p.role == ROLE_BUNDLE])} products for " \
               f"{format_cents(promotion.amount_cents)}"
    if kind == pricing.BUY_X_GET_Y:
        what = "free" if promotion.basis_points >= pricing.FULL else f"{_percent(promotion.basis_points)} off"
        return f"buy {promotion.buy_quantity}, get {promotion.get_quantity} {what}"
    return "free shipping"


def _percent(basis_points: int) -> str:
    text = f"{basis_points / 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def create(data: PromotionInput, timezone: str, now: datetime | None = None) -> Promotion:
    raise_if_invalid(validate(data, timezone, now=now))
    promotion = Promotion(state=STATE_DRAFT, benefit_kind=data.benefit_kind)
    db.session.add(promotion)
    _apply(promotion, data, timezone)
    db.session.flush()
    code_note = _set_shared_code(promotion, data.code)
    audit.record("promotion.create", ENTITY, promotion.id,
                 f"{promotion.name}: {describe(promotion)}" + (f"; {code_note}" if code_note else ""))
    _commit_code(promotion, data)
    return promotion


LABELS = {"starts_at": "start", "ends_at": "end", "channel_web": "web channel", "channel_phone": "phone channel",
          "requires_code": "code or automatic", "is_public": "listing", "exclusive": "stacking",
          "benefit_kind": "benefit", "basis_points": "percentage", "amount_cents": "amount",
          "applies_to_everything": "applies to", "products": "products", "customers": "listed customers"}
AUDITED_FIELDS = (
    "name", "public_description", "starts_at", "ends_at", "channel_web", "channel_phone", "requires_code",
    "is_public", "exclusive", "priority", "benefit_kind", "basis_points", "amount_cents", "buy_quantity",
    "get_quantity", "applies_to_everything", "target_kinds", "exclude_kinds", "min_subtotal_cents",
    "min_quantity", "first_order_only", "email_domains", "max_redemptions", "max_per_customer", "budget_cents",
)


def _snapshot(promotion: Promotion) -> dict[str, Any]:
    values = {name: getattr(promotion, name) for name in AUDITED_FIELDS}
    values["products"] = sorted((p.product_id, p.role, p.quantity) for p in promotion.products)
    values["categories"] = sorted((c.category_id, c.role) for c in promotion.categories)
    values["customers"] = sorted(c.email for c in promotion.customers)
    return values


def update(promotion: Promotion, data: PromotionInput, timezone: str, expected_version: int,
           now: datetime | None = None) -> Promotion:
    """Save an edit made on a form loaded at `expected_version`; a stale form is refused (StaleEdit)."""
    if expected_version != promotion.version_id:
        raise StaleEdit()
    raise_if_invalid(validate(data, timezone, promotion=promotion, now=now))
    before = _snapshot(promotion)
    _apply(promotion, data, timezone)
    code_note = _set_shared_code(promotion, data.code)
    after = _snapshot(promotion)
    changed = [LABELS.get(name, name.replace("_cents", "").replace("_", " "))
               for name in before if before[name] != after[name]]
    summary = ", ".join(changed + ([code_note] if code_note else [])) or "saved without changes"
    audit.record("promotion.update", ENTITY, promotion.id, summary)
    _commit_code(promotion, data)
    return promotion


# ---- state changes ------------------------------------------------------------------------------

def _change_state(promotion: Promotion, state: str, action: str, summary: str) -> Promotion:
    promotion.state = state
    promotion.updated_at = utcnow()
    audit.record(action, ENTITY, promotion.id, summary)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit() from None
    return promotion


def activate(promotion: Promotion, timezone: str, now: datetime | None = None) -> Promotion:
    now = now or utcnow()
    if promotion.state == STATE_ACTIVE:
        raise PromotionError(f"{promotion.name} is already active.", status=409)
    if promotion.state not in ACTIONS["activate"]:
        raise PromotionError("An ended promotion cannot run again; duplicate it instead.", status=409)
    if promotion.ends_at is not None and promotion.ends_at <= now:
        raise PromotionError("Its end has already passed: change the schedule first.", status=409)
    if promotion.requires_code and not db.session.scalar(
            db.select(func.count(PromotionCode.id)).filter_by(promotion_id=promotion.id)):
        raise PromotionError("This promotion is unlocked by a code: give it a shared code or generate codes "
                             "before activating it.", status=409)
    when = ("live now" if promotion.starts_at is None or promotion.starts_at <= now else
            f"scheduled to start {to_local(promotion.starts_at, timezone):%Y-%m-%d %H:%M}")
    return _change_state(promotion, STATE_ACTIVE, "promotion.activate", f"Activated: {when}")


def pause(promotion: Promotion) -> Promotion:
    if promotion.state not in ACTIONS["pause"]:
        raise PromotionError("Only an active promotion can be paused.", status=409)
    return _change_state(promotion, STATE_PAUSED, "promotion.pause", "Paused")


def end(promotion: Promotion) -> Promotion:
    if promotion.state not in ACTIONS["end"]:
        raise PromotionError(f"{promotion.name} has already ended.", status=409)
    return _change_state(promotion, STATE_ENDED, "promotion.end", "Ended")


def duplicate(promotion: Promotion) -> Promotion:
    """A draft copy with the same settings, no codes and no usage."""
    copy = Promotion(state=STATE_DRAFT)
    for name in AUDITED_FIELDS:
        setattr(copy, name, getattr(promotion, name))
    copy.name = f"Copy of {promotion.name}"[:120]
    copy.products = [PromotionProduct(product_id=p.product_id, role=p.role, quantity=p.quantity)
                     for p in promotion.products]
    copy.categories = [PromotionCategory(category_id=c.category_id, role=c.role) for c in promotion.categories]
    copy.customers = [PromotionCustomer(email=c.email) for c in promotion.customers]
    db.session.add(copy)
    db.session.flush()
    audit.record("promotion.create", ENTITY, copy.id, f"Duplicated from #{promotion.id} {promotion.name}")
    audit.record("promotion.duplicate", ENTITY, promotion.id, f"Copied to #{copy.id}")
    db.session.commit()
    return copy
