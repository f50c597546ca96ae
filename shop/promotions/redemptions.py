"""Redemptions: every use of a promotion by an order, counted against the promotion's limits.

The counters on promotions (redemption_count, discount_given_cents) and codes (use_count) change only
through conditional updates, so a limit holds with many buyers at once on any database:

- `hold(order, breakdown, code_ids)` runs in the transaction that writes the order. For each promotion
  that applied: `UPDATE promotions SET redemption_count + 1, discount_given_cents + d WHERE
  redemption_count < max_redemptions AND discount_given_cents + d <= budget_cents` (when those limits are
  set), then the same on the code (`use_count < max_uses`), then the customer's own uses are counted
  (after the update, which holds the promotion's row lock on PostgreSQL, so two orders by one customer
  queue), and a held PromotionRedemption is added. A limit reached meanwhile raises LimitReached: the
  caller rolls the whole order back.
- `confirm_for_order(order)` when the order is paid: held becomes confirmed; it returns the promotions
  counted again past their limit (an order paid after it expired), for the order's timeline.
- `release_for_order(order)` when an unpaid order expires, is abandoned or is cancelled: the uses go
  back (counters decremented, never below zero).

The counter updates keep the promotion's updated_at, so the storefront's caches are not dropped by
every order.
"""

from typing import Any

from sqlalchemy import case, delete, or_, update

from shop.core.errors import Refusal
from shop.extensions import db
from shop.pricing.types import Breakdown
from shop.promotions import loader
from shop.promotions.models import (
    REDEMPTION_CONFIRMED,
    REDEMPTION_HELD,
    REDEMPTION_RELEASED,
    STATE_ACTIVE,
    CartCode,
    Promotion,
    PromotionCode,
    PromotionRedemption,
)

REVIEW = "your total has changed, please review it."


class LimitReached(Refusal):
    """A promotion or code ran out between pricing and placing the order; the message is for the customer."""

    status = 409


def _run(statement: Any) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def _take_promotion(promotion_id: int, cents: int) -> bool:
    return _run(
        update(Promotion)
        .where(Promotion.id == promotion_id, Promotion.state == STATE_ACTIVE,
               or_(Promotion.max_redemptions.is_(None), Promotion.redemption_count < Promotion.max_redemptions),
               or_(Promotion.budget_cents.is_(None), Promotion.discount_given_cents + cents <= Promotion.budget_cents))
        .values(redemption_count=Promotion.redemption_count + 1,
                discount_given_cents=Promotion.discount_given_cents + cents,
                updated_at=Promotion.updated_at)  # not an edit: keeps the caches' stamp
    ) == 1


def _take_code(code_id: int) -> bool:
    return _run(
        update(PromotionCode)
        .where(PromotionCode.id == code_id,
               or_(PromotionCode.max_uses.is_(None), PromotionCode.use_count < PromotionCode.max_uses))
        .values(use_count=PromotionCode.use_count + 1)
    ) == 1


def _give_back(promotion_id: int, code_id: int | None, cents: int) -> None:
    _run(
        update(Promotion).where(Promotion.id == promotion_id)
        .values(redemption_count=case((Promotion.redemption_count > 0, Promotion.redemption_count - 1), else_=0),
                discount_given_cents=case((Promotion.discount_given_cents >= cents,
                                           Promotion.discount_given_cents - cents), else_=0),
                updated_at=Promotion.updated_at)
    )
    if code_id is not None:
        _run(update(PromotionCode).where(PromotionCode.id == code_id)
             .values(use_count=case((PromotionCode.use_count > 0, PromotionCode.use_count - 1), else_=0)))


def _why_not_taken(promotion_id: int, name: str) -> str:
    state = db.session.execute(db.select(Promotion.state).where(Promotion.id == promotion_id)).scalar_one_or_none()
    if state != STATE_ACTIVE:
        return f"{name} has just ended: {REVIEW}"
    return f"{name} was just used up: {REVIEW}"


def _over_customer_limit(promotion_id: int, email: str, user_id: int | None) -> bool:
    limit = db.session.execute(
        db.select(Promotion.max_per_customer).where(Promotion.id == promotion_id)).scalar_one_or_none()
    if limit is None:
        return False
    return loader.customer_uses([promotion_id], email, user_id).get(promotion_id, 0) >= limit


def hold(order: Any, breakdown: Breakdown, code_ids: dict[str, int] | None = None) -> None:
    """Count the order's use of every promotion that applied (caller's transaction); LimitReached if one ran out."""
    code_ids = code_ids or {}
    email = (order.email or "").strip().lower()
    by_promotion = {}
    for adjustment in breakdown.adjustments:
        if adjustment.promotion_id is not None:
            name, cents, code = by_promotion.get(adjustment.promotion_id, (adjustment.name, 0, ""))
            by_promotion[adjustment.promotion_id] = (name, cents + adjustment.amount_cents, code or adjustment.code)
    for promotion_id in sorted(by_promotion):  # always in the same order: no deadlocks between orders
        name, cents, code = by_promotion[promotion_id]
        if not _take_promotion(promotion_id, cents):
            raise LimitReached(_why_not_taken(promotion_id, name))
        if _over_customer_limit(promotion_id, email, order.user_id):
            raise LimitReached(f"You have already used {name} as often as it allows: {REVIEW}")
        code_id = code_ids.get(code) if code else None
        if code_id is not None and not _take_code(code_id):
            raise LimitReached(f"The code {code} was just used up: {REVIEW}")
        db.session.add(PromotionRedemption(
            promotion_id=promotion_id, code_id=code_id, order_id=order.id, email=email, user_id=order.user_id,
            channel=order.channel, discount_cents=cents, status=REDEMPTION_HELD,
        ))
    db.session.flush()


def _for_order(order_id: int, statuses: tuple[str, ...]) -> Any:
    return db.session.execute(
        db.select(PromotionRedemption.id, PromotionRedemption.promotion_id, PromotionRedemption.code_id,
                  PromotionRedemption.discount_cents, PromotionRedemption.status)
        .where(PromotionRedemption.order_id == order_id, PromotionRedemption.status.in_(statuses))
        .order_by(PromotionRedemption.promotion_id)
    ).all()


def _move(redemption_id: int, from_statuses: tuple[str, ...], to_status: str) -> bool:
    return _run(update(PromotionRedemption)
                .where(PromotionRedemption.id == redemption_id, PromotionRedemption.status.in_(from_statuses))
                .values(status=to_status)) == 1


def _clear_cart_codes(order: Any) -> None:
    """The codes this order used leave the cart it came from, as its items do."""
    used = [a.get("code") for a in (order.pricing_snapshot or {}).get("adjustments", []) if a.get("code")]
    if order.cart_id is not None and used:
        _run(delete(CartCode).where(CartCode.cart_id == order.cart_id, CartCode.code.in_(used)))


def confirm_for_order(order: Any) -> list[int]:
    """The order is paid: its held uses are confirmed. Uses given back when it expired are counted again
    (the customer paid that price), even past a limit: returns the ids of the promotions counted past it."""
    _clear_cart_codes(order)
    over_limit = []
    for row in _for_order(order.id, (REDEMPTION_HELD, REDEMPTION_RELEASED)):
        if row.status == REDEMPTION_HELD:
            _move(row.id, (REDEMPTION_HELD,), REDEMPTION_CONFIRMED)
            continue
        if not _move(row.id, (REDEMPTION_RELEASED,), REDEMPTION_CONFIRMED):
            continue
        if not _take_promotion(row.promotion_id, row.discount_cents):
            _run(update(Promotion).where(Promotion.id == row.promotion_id)
                 .values(redemption_count=Promotion.redemption_count + 1,
                         discount_given_cents=Promotion.discount_given_cents + row.discount_cents,
                         updated_at=Promotion.updated_at))
            over_limit.append(row.promotion_id)
        if row.code_id is not None and not _take_code(row.code_id):
            _run(update(PromotionCode).where(PromotionCode.id == row.code_id)
                 .values(use_count=PromotionCode.use_count + 1))
    return over_limit


def release_for_order(order: Any, include_confirmed: bool = False) -> int:
    """Give back the order's uses of its promotions and codes (held ones; confirmed ones too when asked,
    e.g. for a paid order that is cancelled). Returns how many. The caller commits."""
    statuses = (REDEMPTION_HELD, REDEMPTION_CONFIRMED) if include_confirmed else (REDEMPTION_HELD,)
    released = 0
    for row in _for_order(order.id, statuses):
        if _move(row.id, statuses, REDEMPTION_RELEASED):
            _give_back(row.promotion_id, row.code_id, row.discount_cents)
            released += 1
    return released


def take_use(promotion_id: int, code_id: int | None, cents: int) -> bool:
    """Count one use of a promotion (and its code) outside an order, within its limits: the membership's
    first month at an offer's price. False when the offer or the code was just used up (nothing counted)."""
    if not _take_promotion(promotion_id, cents):
        db.session.rollback()
        return False
    if code_id is not None and not _take_code(code_id):
        db.session.rollback()
        return False
    db.session.commit()
    return True


def release_use(promotion_id: int, code_id: int | None, cents: int) -> None:
    """Undo `take_use` (the first payment never succeeded), in the caller's transaction."""
    _give_back(promotion_id, code_id, cents)
