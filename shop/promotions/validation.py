"""What makes a valid promotion: typed form input, the rules it must meet, and the errors that name a field.

`validate(data, timezone)` returns {form field: message}; `PromotionError` carries such a map (status 422),
`StaleEdit` refuses an edit made on an out-of-date form (409). Times come in the shop's time zone and are
stored as naive UTC (`to_utc` / `to_local`).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func

from shop.catalogue.models import Category, Product
from shop.core.emails import is_email
from shop.core.errors import Refusal
from shop.core.timeutil import to_utc, utcnow
from shop.extensions import db
from shop.money import format_cents
from shop.pricing import promotions as pricing
from shop.promotions.models import Promotion, PromotionCode

CHANNELS = {"both": (True, True), "web": (True, False), "phone": (False, True)}
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN_RE = re.compile(rf"^(?=.{{3,253}}$){_LABEL}(?:\.{_LABEL})+$")
MAX_LISTED_EMAILS = 2000
STALE_MESSAGE = "Someone else changed this promotion; reload the page to see their changes, then edit again."


class PromotionError(Refusal):
    """A refused change; `errors` maps form fields to messages, `message` goes above the form."""


class StaleEdit(PromotionError):
    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE, status=409)


@dataclass
class PromotionInput:
    """Typed values from the form. Times are naive, in the shop's time zone; money in cents."""

    name: str
    benefit_kind: str
    public_description: str = ""
    starts_local: datetime | None = None
    ends_local: datetime | None = None
    channels: str = "both"
    requires_code: bool = False
    code: str = ""
    is_public: bool = True
    exclusive: bool = False
    priority: int = 0
    percent_bp: int | None = None
    amount_cents: int | None = None
    fixed_price_cents: int | None = None
    bundle: list[tuple[int, int]] = field(default_factory=list)  # [(product_id, quantity), ...]
    buy_quantity: int | None = None
    get_quantity: int | None = None
    get_discount_bp: int | None = 10000
    applies_to_everything: bool = True
    target_product_ids: list[int] = field(default_factory=list)
    target_category_ids: list[int] = field(default_factory=list)
    target_kinds: list[str] = field(default_factory=list)
    exclude_product_ids: list[int] = field(default_factory=list)
    exclude_category_ids: list[int] = field(default_factory=list)
    exclude_kinds: list[str] = field(default_factory=list)
    min_subtotal_cents: int | None = None
    min_quantity: int | None = None
    first_order_only: bool = False
    email_domains: list[str] = field(default_factory=list)
    customer_emails: list[str] = field(default_factory=list)
    max_redemptions: int | None = None
    max_per_customer: int | None = None
    budget_cents: int | None = None


def normalise_code(text: str | None) -> str:
    return (text or "").strip().upper()


def _check_benefit(data: PromotionInput, errors: dict[str, str]) -> None:
    kind = data.benefit_kind
    if kind not in pricing.BENEFITS:
        errors["benefit_kind"] = "Choose what the promotion gives."
    elif kind == pricing.PERCENT_OFF and not (data.percent_bp and 0 < data.percent_bp <= pricing.FULL):
        errors["percent"] = "Enter a percentage above 0 and up to 100, like 15."
    elif kind == pricing.AMOUNT_OFF and not data.amount_cents:
        errors["amount_off"] = "Enter the amount off in dollars, like 10.00."
    elif kind == pricing.FIXED_PRICE:
        _check_bundle(data, errors)
    elif kind == pricing.BUY_X_GET_Y:
        if not data.buy_quantity or data.buy_quantity < 1:
            errors["buy_quantity"] = "Customers buy at least 1 item."
        if not data.get_quantity or data.get_quantity < 1:
            errors["get_quantity"] = "Customers get at least 1 item."
        if not data.get_discount_bp or not 0 < data.get_discount_bp <= pricing.FULL:
            errors["get_discount"] = "Enter the discount on the items they get, above 0 and up to 100 (100 = free)."


def _check_bundle(data: PromotionInput, errors: dict[str, str]) -> None:
    if data.fixed_price_cents is None:
        errors["fixed_price"] = "Enter the price of one set in dollars, like 149.00."
    ids = [pid for pid, _ in data.bundle]
    if len(set(ids)) < 2:
        errors["bundle"] = "A fixed-price set needs at least 2 different products."
        return
    if len(set(ids)) != len(ids):
        errors["bundle"] = "Each product appears once in the set; change its quantity instead."
        return
    if any(not 1 <= quantity <= 99 for _, quantity in data.bundle):
        errors["bundle"] = "Quantities in the set are from 1 to 99."
        return
    prices = dict(db.session.execute(db.select(Product.id, Product.price_cents).where(Product.id.in_(ids))).all())
    if len(prices) != len(ids):
        errors["bundle"] = "One of the products in the set no longer exists."
        return
    regular = sum(prices[pid] * quantity for pid, quantity in data.bundle)
    if data.fixed_price_cents is not None and data.fixed_price_cents >= regular:
        errors["fixed_price"] = (f"The set price must be below what the products cost separately "
                                 f"({format_cents(regular)}).")


def _check_targets(data: PromotionInput, errors: dict[str, str]) -> None:
    if not data.applies_to_everything and not (data.target_product_ids or data.target_category_ids
                                               or data.target_kinds):
        errors["applies_to"] = "Choose at least one product, category or kind, or apply it to everything."
    both = (set(data.target_product_ids) & set(data.exclude_product_ids)
            or set(data.target_category_ids) & set(data.exclude_category_ids)
            or set(data.target_kinds) & set(data.exclude_kinds))
    if not data.applies_to_everything and both:
        errors["exclude_product_ids"] = "Something is both included and excluded; remove it from one list."
    for name in ("target_product_ids", "exclude_product_ids"):
        ids = set(getattr(data, name))
        if ids and db.session.scalar(db.select(func.count(Product.id)).where(Product.id.in_(ids))) != len(ids):
            errors[name] = "One of these products no longer exists."
    for name in ("target_category_ids", "exclude_category_ids"):
        ids = set(getattr(data, name))
        if ids and db.session.scalar(db.select(func.count(Category.id)).where(Category.id.in_(ids))) != len(ids):
            errors[name] = "One of these categories no longer exists."


def _check_conditions(data: PromotionInput, errors: dict[str, str]) -> None:
    bad_domains = [d for d in data.email_domains if not DOMAIN_RE.match(d)]
    if bad_domains:
        errors["email_domains"] = f"Not a domain: {bad_domains[0]}. Write one per line, like clinic.org."
    bad_emails = [e for e in data.customer_emails if not is_email(e)]
    if bad_emails:
        errors["customer_emails"] = f"Not an email address: {bad_emails[0]}. Write one per line."
    elif len(data.customer_emails) > MAX_LISTED_EMAILS:
        errors["customer_emails"] = f"List at most {MAX_LISTED_EMAILS} customers."
    for name, label in (("max_redemptions", "Total redemptions"), ("max_per_customer", "Uses per customer")):
        value = getattr(data, name)
        if value is not None and value < 1:
            errors[name] = f"{label}: leave it empty for no limit, or enter 1 or more."
    if data.budget_cents is not None and data.budget_cents < 1:
        errors["budget"] = "Budget: leave it empty for no limit, or enter an amount above $0."
    if not -1000 <= data.priority <= 1000:
        errors["priority"] = "Priority is a whole number from -1000 to 1000."


def _check_code(data: PromotionInput, promotion: Promotion | None, errors: dict[str, str]) -> None:
    code = normalise_code(data.code)
    if not code:
        current = _shared_code(promotion) if promotion is not None and data.requires_code else None
        if current is not None and current.use_count:
            errors["code"] = f"{current.code} has been used, so it stays; end the promotion instead."
        return
    if not data.requires_code:
        errors["code"] = "Choose “Unlocked by a code” to give this promotion a code."
    elif not CODE_RE.match(code):
        errors["code"] = "A code is 3 to 40 letters, digits or dashes, like NEWS15."
    else:
        taken = db.session.execute(db.select(PromotionCode.promotion_id, Promotion.name).join(Promotion)
                                   .where(PromotionCode.code == code)).first()
        if taken and (promotion is None or taken.promotion_id != promotion.id):
            errors["code"] = f"The code {code} is already used by “{taken.name}”. Choose another."


def validate(data: PromotionInput, timezone: str, promotion: Promotion | None = None,
             now: datetime | None = None) -> dict[str, str]:
    """{field: message} for everything wrong with this input (empty when it may be saved)."""
    now = now or utcnow()
    errors = {}
    data.name = (data.name or "").strip()
    if not data.name:
        errors["name"] = "Give the promotion a name."
    elif len(data.name) > 120:
        errors["name"] = "Keep the name to 120 characters."
    if len(data.public_description or "") > 2000:
        errors["public_description"] = "Keep the description to 2,000 characters."
    if data.channels not in CHANNELS:
        errors["channels"] = "Choose web, phone or both."
    starts, ends = to_utc(data.starts_local, timezone), to_utc(data.ends_local, timezone)
    if starts and ends and ends <= starts:
        errors["ends_local"] = "The end must be after the start."
    elif ends and ends <= now and (promotion is None or promotion.ends_at != ends):
        errors["ends_local"] = "The end has already passed."
    _check_benefit(data, errors)
    _check_targets(data, errors)
    _check_conditions(data, errors)
    _check_code(data, promotion, errors)
    return errors


def raise_if_invalid(errors: dict[str, str]) -> None:
    if errors:
        raise PromotionError("Please check the highlighted fields.", errors=errors)


def _shared_code(promotion: Promotion) -> PromotionCode | None:
    return db.session.scalar(db.select(PromotionCode).filter_by(promotion_id=promotion.id, max_uses=None)
                             .order_by(PromotionCode.id).limit(1))
