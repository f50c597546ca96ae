"""Promo codes: entered on the cart or at checkout, each unlocking one promotion for that cart.

Codes are case-insensitive: stored upper case, matched after upper-casing and dropping spaces. A code
is added to the cart only when it gives something on that cart; otherwise `CodeError` says which of
unknown, expired, not yet started, used up, not for this cart or not combinable it is, and the cart is
unchanged. Failed codes count towards limits per visitor and per IP address (AuthAttempt rows, see
shop.accounts.ratelimit), so codes cannot be guessed. Codes are checked again every time the cart is
priced: one that stopped applying is reported (and dropped when the order is placed). Whether a code gives
something on a cart is for the caller's pricer to say (shop.quote.apply_code passes one): the rules
for entering codes live here, the pricing of the cart in shop.quote.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from shop.accounts import ratelimit
from shop.core.errors import Refusal
from shop.core.timeutil import to_shop_time, utcnow
from shop.extensions import db
from shop.money import format_cents
from shop.pricing import promotions as promo
from shop.pricing.types import Breakdown, Customer
from shop.promotions import loader
from shop.promotions.models import STATE_ACTIVE, STATE_ENDED, CartCode, PromotionCode

MAX_LENGTH = 40
GUESSES_PER_VISITOR = ratelimit.Limit("promo-code-visitor", 10, timedelta(minutes=10))  # failed codes
GUESSES_PER_IP = ratelimit.Limit("promo-code-ip", 30, timedelta(minutes=10))  # failed codes
EMAIL_REASONS = ("needs your email address first", "only for selected customers")


class CodeError(Refusal):
    """A code that cannot be used on this cart; the message says why and is safe to show."""


@dataclass(frozen=True)
class CodeStatus:
    """An entered code as the cart shows it: applied (its discount is in the breakdown) or why not."""

    code: str
    applied: bool
    message: str = ""
    waiting_for_email: bool = False  # applies only once the customer's e-mail is known


@dataclass(frozen=True)
class PricingContext:
    """What a cart is priced with: the promotions, the codes that unlock some of them, and the customer."""

    promotions: tuple[promo.Promotion, ...]
    pairs: tuple[tuple[int, str], ...] = ()  # (promotion id, code) for pricing.types.Cart.codes
    customer: Customer = field(default_factory=Customer)
    problems: dict[str, str] = field(default_factory=dict)  # code -> why it unlocks nothing
    code_ids: dict[str, int] = field(default_factory=dict)  # code -> PromotionCode id
    codes: tuple[str, ...] = ()  # every entered code, in the order entered


def normalise(text: object) -> str:
    return "".join(str(text or "").split()).upper()


def _date(value: datetime) -> str:
    local = to_shop_time(value, current_app.config["SHOP_TIMEZONE"])
    return f"{local:%B} {local.day}, {local.year}"


def entered(cart: Any) -> list[str]:
    """The codes on this cart, in the order they were entered."""
    if cart is None or getattr(cart, "id", None) is None:
        return []
    return list(db.session.execute(
        db.select(CartCode.code).where(CartCode.cart_id == cart.id).order_by(CartCode.id)).scalars())


def _lookup(codes: Sequence[str]) -> dict[str, PromotionCode]:
    if not codes:
        return {}
    rows = db.session.execute(db.select(PromotionCode).where(PromotionCode.code.in_(sorted(set(codes))))).scalars()
    return {row.code: row for row in rows}


def _problem(code: str, row: PromotionCode | None, entry: loader.Loaded | None, now: datetime) -> str | None:
    """Why this code unlocks nothing at all, whatever the cart; None if it may apply."""
    if row is None or entry is None or entry.state not in (STATE_ACTIVE, STATE_ENDED):
        return f"We don't recognise the code {code}. Please check it and try again."  # paused and draft too
    promotion = entry.promotion
    if promotion.ends_at is not None and now >= promotion.ends_at:
        return f"{code} expired on {_date(promotion.ends_at)}."
    if entry.state == STATE_ENDED:
        return f"{code} has ended."
    if promotion.starts_at is not None and now < promotion.starts_at:
        return f"{code} starts on {_date(promotion.starts_at)}: try it again then."
    if row.max_uses is not None and row.use_count >= row.max_uses:
        return f"{code} has already been used." if row.max_uses == 1 else f"{code} has been used up."
    return None


def pricing_context(codes: Sequence[str], *, first_order: Callable[[], bool], email: str = "",
                    user_id: int | None = None, now: datetime | None = None,
                    verified: bool = False) -> PricingContext:
    """The live promotions, plus what these codes unlock, for this customer (their uses left, first order).

    `first_order()` says whether this is the customer's first order; it is asked only when a live promotion
    is for first orders and the customer is `verified` (an unverified address learns nothing of its
    orders: shop.orders.customers.is_first_order knows).
    """
    now = now or utcnow()
    live = loader.live_set()
    found = _lookup(codes)
    missing = {row.promotion_id for row in found.values() if row.promotion_id not in live.entries}
    extra = loader.load(missing)  # a code for a promotion that is not live: read it to say why
    entries = {**live.entries, **extra} if extra else live.entries
    pairs, problems, code_ids, unlocked = [], {}, {}, {}
    for code in codes:
        row = found.get(code)
        entry = entries.get(row.promotion_id) if row is not None else None
        problem = _problem(code, row, entry, now)
        if problem is None and row.promotion_id in unlocked:
            problem = f"{code} is for the same offer as {unlocked[row.promotion_id]}, which is already applied."
        if problem:
            problems[code] = problem
            continue
        unlocked[row.promotion_id] = code
        pairs.append((row.promotion_id, code))
        code_ids[code] = row.id
    promotions = tuple(p for p in live.promotions if p.ends_at is None or p.ends_at > now)
    promotions += tuple(extra[pid].promotion for pid in sorted(extra) if pid in unlocked)
    promotions = loader.for_customer(promotions, entries, email, user_id)
    first = first_order() if verified and any(p.conditions.first_order_only for p in promotions) else True
    customer = Customer(email=(email or "").strip().lower(), is_first_order=first, verified=verified)
    return PricingContext(promotions, tuple(pairs), customer, problems, code_ids, tuple(codes))


def _join(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def explain(code: str, reason: str, breakdown: Breakdown) -> str:
    """The engine's reason for not applying a code's promotion, as the customer reads it."""
    if reason.startswith("not combinable with "):
        return f"{code} can't be combined with {reason[len('not combinable with '):]}, which saves you more."
    if reason == "gives less than the other offers":
        others = [a.name for a in breakdown.adjustments] or ["your other offers"]
        return f"{code} can't be combined with {_join(others)}, which saves you more."
    if reason.startswith("used up"):
        return f"{code} has been used up."
    if reason == "already used by this customer":
        return f"You have already used {code}."
    if reason.startswith("expired on "):
        return f"{code} {reason}."
    if reason.startswith("not started yet: "):
        return f"{code} {reason[len('not started yet: '):]}."
    if reason.startswith("not running"):
        return f"{code} has ended."
    return f"{code} doesn't apply to this cart: {reason}."


def statuses(context: PricingContext, breakdown: Breakdown) -> tuple[CodeStatus, ...]:
    """A CodeStatus for every entered code, after pricing."""
    applied = {a.code for a in breakdown.adjustments if a.code}
    reasons = {}
    for item in breakdown.not_applied:
        reasons.setdefault(item.promotion_id, item.reason)
    promotion_of = {code: pid for pid, code in context.pairs}
    found = []
    for code in context.codes:
        if code in context.problems:
            found.append(CodeStatus(code, False, context.problems[code]))
        elif code in applied:
            found.append(CodeStatus(code, True))
        else:
            reason = reasons.get(promotion_of.get(code), "gives nothing on this cart")
            if reason in EMAIL_REASONS and not context.customer.email:
                found.append(CodeStatus(code, False, f"{code} applies once you enter your email address at "
                                                     "checkout.", waiting_for_email=True))
            else:
                found.append(CodeStatus(code, False, explain(code, reason, breakdown)))
    return tuple(found)


# ---- entering and removing codes ----------------------------------------------------------------

def _limited(visitor: str, ip: str) -> bool:
    return (visitor and ratelimit.exceeded(GUESSES_PER_VISITOR, visitor)) or (
        ip and ratelimit.exceeded(GUESSES_PER_IP, ip))


def _failed(message: str, visitor: str, ip: str) -> CodeError:
    if visitor:
        ratelimit.hit(GUESSES_PER_VISITOR, visitor)
    if ip:
        ratelimit.hit(GUESSES_PER_IP, ip)
    if visitor or ip:
        db.session.commit()  # only the attempt: the cart is unchanged
    return CodeError(message)


Pricer = Callable[[list[str]], tuple[tuple[CodeStatus, ...], Breakdown]]


def apply_code(cart: Any, text: str | None, price: Pricer, *, visitor: str = "", ip: str = "") -> str:
    """Add the code to the cart if it gives something on it (committed); returns a message for the customer,
    or raises CodeError (422, or 429 once `visitor` or `ip` failed too often; each failure is recorded).

    `price(codes)` prices the cart with these codes and returns (the codes' statuses, the breakdown).
    """
    code = normalise(text)
    if not code:
        raise CodeError("Enter a promo code.")
    if _limited(visitor, ip):
        raise CodeError("Too many promo codes tried. Please wait ten minutes, then try again.", status=429)
    if cart is None or not cart.items:
        raise CodeError("Add something to your cart first, then enter your promo code.")
    if len(code) > MAX_LENGTH:
        raise _failed(f"We don't recognise the code {code[:MAX_LENGTH]}…. Please check it and try again.",
                      visitor, ip)
    codes = entered(cart)
    if code in codes:
        return f"{code} is already applied."
    statuses, breakdown = price([*codes, code])
    status = next(s for s in statuses if s.code == code)
    if not status.applied and not status.waiting_for_email:
        raise _failed(status.message, visitor, ip)
    db.session.add(CartCode(cart_id=cart.id, code=code))
    try:
        db.session.commit()
    except IntegrityError:  # the same code from another tab a moment ago
        db.session.rollback()
    if status.waiting_for_email:
        return f"{code} added: it applies once you enter your email address at checkout."
    adjustment = next(a for a in breakdown.adjustments if a.code == code)
    return f"{code} applied: {adjustment.name} saves you {format_cents(adjustment.amount_cents)}."


def remove_code(cart: Any, text: str | None) -> str | None:
    """Take a code off the cart; returns the code, or None if it was not there."""
    code = normalise(text)
    if cart is None or getattr(cart, "id", None) is None or not code:
        return None
    row = db.session.execute(db.select(CartCode).filter_by(cart_id=cart.id, code=code)).scalar_one_or_none()
    if row is None:
        return None
    db.session.delete(row)
    db.session.commit()
    return code


def drop(cart: Any, codes: Sequence[str]) -> None:
    """Take codes that stopped applying off the cart (the caller commits)."""
    if cart is not None and getattr(cart, "id", None) is not None and codes:
        db.session.execute(db.delete(CartCode).where(CartCode.cart_id == cart.id, CartCode.code.in_(list(codes))))

