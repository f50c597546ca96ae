"""The plan members subscribe to: the catalogue's membership product and its recurring price in Stripe."""

import re
from datetime import date

from sqlalchemy import select

from shop.catalogue.models import KIND_MEMBERSHIP, Product
from shop.core.errors import Refusal
from shop.extensions import db
from shop.payments.gateway import processor

INTERVALS = {"month": "month", "monthly": "month", "year": "year", "yearly": "year", "annual": "year"}


class PlanUnavailable(Refusal):
    status = 409


def plan_product() -> Product:
    """The membership on sale (the newest published one)."""
    product = db.session.scalar(select(Product).where(Product.kind == KIND_MEMBERSHIP, Product.is_active.is_(True))
                                .order_by(Product.published_at.desc(), Product.id.desc()).limit(1))
    if product is None or product.price_cents <= 0:
        raise PlanUnavailable("The membership is not on sale at the moment. Call us and we will help.")
    return product


def interval_of(product: Product) -> str:
    return INTERVALS.get((product.billing_interval or "month").lower(), "month")


def plan_id(product: Product) -> str:
    """A stable Stripe plan id for this product at this price: a new price gets a new plan, and the members
    already subscribed keep theirs until staff move them."""
    sku = re.sub(r"[^a-z0-9]+", "_", product.sku.lower()).strip("_")
    return f"plan_{sku}_{product.price_cents}_{product.currency.lower()}_{interval_of(product)}"


def ensure_plan(product: Product) -> str:
    return processor().ensure_plan(plan_id=plan_id(product), name=product.title, amount_cents=product.price_cents,
                                   currency=product.currency, interval=interval_of(product))


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def charge_statement(amount: str, interval: str, today: date, first: str | None = None) -> str:
    """What joining today charges, and when, in plain words ("$19.95 today, then $19.95 on the 2nd of each
    month until you cancel"); Stripe bills on the day one joined, or a short month's last day. `first`: the
    first payment when an offer lowers it."""
    now = first or amount
    if interval == "year":
        return f"{now} today, then {amount} every year on {today:%B} {ordinal(today.day)} until you cancel."
    day = ordinal(today.day)
    when = f"the {day} of each month" + (" (or the month's last day, if shorter)" if today.day > 28 else "")
    return f"{now} today, then {amount} on {when} until you cancel."
