"""A promotion as marketing reads it: its status (draft, scheduled, live, paused, ended), which state
changes it allows, the list of promotions by status, and its settings in words for its page."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.money import format_cents
from shop.promotions.models import (
    ROLE_BUNDLE,
    ROLE_EXCLUDE,
    ROLE_TARGET,
    STATE_ACTIVE,
    STATE_DRAFT,
    STATE_ENDED,
    STATE_PAUSED,
    Promotion,
)

STATUSES = ("draft", "scheduled", "live", "paused", "ended")
# The state changes marketing can make, and the states each one starts from.
ACTIONS = {
    "activate": (STATE_DRAFT, STATE_PAUSED),
    "pause": (STATE_ACTIVE,),
    "end": (STATE_DRAFT, STATE_ACTIVE, STATE_PAUSED),
}
CHANNEL_WORDS = {(True, True): "Web and phone orders", (True, False): "Web only", (False, True): "Phone orders only"}


def display_status(promotion: Promotion, now: datetime) -> str:
    if promotion.state != STATE_ACTIVE:
        return promotion.state
    if promotion.ends_at is not None and now >= promotion.ends_at:
        return "ended"
    if promotion.starts_at is not None and now < promotion.starts_at:
        return "scheduled"
    return "live"


def actions(promotion: Promotion) -> list[str]:
    """The state changes this promotion allows now, in the order its page shows them."""
    return [name for name, states in ACTIONS.items() if promotion.state in states]


def status_filter(status: str, now: datetime) -> Any:
    """A WHERE clause selecting promotions shown with this status (the same rule as display_status)."""
    active = Promotion.state == STATE_ACTIVE
    started = or_(Promotion.starts_at.is_(None), Promotion.starts_at <= now)
    not_over = or_(Promotion.ends_at.is_(None), Promotion.ends_at > now)
    return {
        "draft": Promotion.state == STATE_DRAFT,
        "paused": Promotion.state == STATE_PAUSED,
        "ended": or_(Promotion.state == STATE_ENDED, active & (Promotion.ends_at <= now)),
        "scheduled": active & (Promotion.starts_at > now) & not_over,
        "live": active & started & not_over,
    }[status]


def list_page(status: str | None = None, page: int = 1, per_page: int = 50,
              now: datetime | None = None) -> tuple[list[Promotion], int]:
    """(promotions, total) for the list: newest first; `status` is one of STATUSES or None."""
    now = now or utcnow()
    statement = db.select(Promotion)
    if status in STATUSES:
        statement = statement.where(status_filter(status, now))
    total = db.session.scalar(db.select(func.count()).select_from(statement.subquery())) or 0
    rows = db.session.scalars(statement.order_by(Promotion.id.desc()).offset((page - 1) * per_page)
                              .limit(per_page)).all()
    return list(rows), total


@dataclass(frozen=True)
class Facts:
    """A promotion's settings in words, for its page."""

    channels: str
    applies_to: list[str]  # empty: everything
    excluded: list[str]
    bundle: list[tuple[int, str, int]]  # (quantity, title, unit price in cents)
    conditions: list[str]
    limits: list[str]


def _named(promotion: Promotion, role: str, kinds: str) -> list[str]:
    names = [entry.product.title for entry in promotion.products if entry.role == role and entry.product]
    names += [f"category {entry.category.name}" for entry in promotion.categories
              if entry.role == role and entry.category]
    names += [f"all {kind}s" for kind in kinds.split(",") if kind]
    return names


def facts(promotion: Promotion) -> Facts:
    p = promotion
    conditions = []
    if p.min_subtotal_cents:
        conditions.append(f"subtotal at least {format_cents(p.min_subtotal_cents)}")
    if p.min_quantity:
        conditions.append(f"at least {p.min_quantity} items")
    if p.first_order_only:
        conditions.append("first order only")
    if p.email_domains:
        conditions.append("e-mail at " + ", ".join(d for d in p.email_domains.split("\n") if d))
    if p.customers:
        count = len(p.customers)
        conditions.append(f"{count} listed customer{'' if count == 1 else 's'}")
    names_membership = "membership" in p.target_kinds.split(",") or any(
        entry.role == ROLE_TARGET and entry.product and entry.product.kind == "membership" for entry in p.products)
    if names_membership and not p.applies_to_everything:
        conditions.append("on the membership: its first month only, for new members")
    limits = []
    if p.max_redemptions:
        limits.append(f"{p.max_redemptions} redemptions")
    if p.max_per_customer:
        limits.append(f"{p.max_per_customer} per customer")
    if p.budget_cents:
        limits.append(f"budget {format_cents(p.budget_cents)}")
    return Facts(
        channels=CHANNEL_WORDS.get((p.channel_web, p.channel_phone), "No channel"),
        applies_to=[] if p.applies_to_everything else _named(p, ROLE_TARGET, p.target_kinds),
        excluded=_named(p, ROLE_EXCLUDE, p.exclude_kinds),
        bundle=[(e.quantity, e.product.title, e.product.price_cents) for e in p.products
                if e.role == ROLE_BUNDLE and e.product],
        conditions=conditions, limits=limits,
    )
