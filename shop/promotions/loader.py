"""The one bridge from promotion rows to pricing: load what could apply, convert it, keep it in memory.

`live_set()` loads every promotion that is switched on (state active) and not past its end, turns each
row into a frozen `pricing.promotions.Promotion` and keeps the result per process under the storefront
stamp (shop.core.stamp, which counts the promotions and their latest change and is read at most every
PAGE_CACHE_CHECK_SECONDS), so adding to the cart or showing a page does not load a thousand promotions
each time. Schedules are left to the engine, which is given `now`: a promotion that starts
tomorrow is in the set and says "not started yet".

The counters that change with every order (uses and budget) are re-read for the promotions that applied
(`with_fresh_counters`), and finally enforced by conditional updates when the order is placed
(shop.promotions.redemptions).
"""

import logging
import re
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from shop.core import stamp
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.pricing import promotions as promo
from shop.promotions.models import (
    REDEMPTION_CONFIRMED,
    REDEMPTION_HELD,
    ROLE_BUNDLE,
    ROLE_EXCLUDE,
    ROLE_TARGET,
    STATE_ACTIVE,
    Promotion,
    PromotionCode,
    PromotionRedemption,
)

log = logging.getLogger(__name__)
_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class BundlePart:
    product_id: int
    title: str
    slug: str
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class Loaded:
    """A promotion as pricing sees it, with what the storefront may show about it."""

    promotion: promo.Promotion
    state: str
    description: str = ""
    is_public: bool = False
    max_per_customer: int | None = None
    shared_code: str = ""  # a public code promotion's shared code (not a single-use one)
    bundle: tuple = ()  # BundlePart, for a fixed price on a set

    @property
    def id(self) -> int:
        return self.promotion.id


@dataclass(frozen=True)
class LiveSet:
    entries: dict = field(default_factory=dict)  # id -> Loaded
    promotions: tuple = ()  # the pricing Promotions, highest priority first

    def get(self, promotion_id: int) -> "Loaded | None":
        return self.entries.get(promotion_id)


def _words(text: str | None, lower: bool = True) -> frozenset[str]:
    found = (w.strip() for w in _SPLIT.split(text or ""))
    return frozenset((w.lower() if lower else w) for w in found if w)


def _target(row: Promotion, bundle: tuple[tuple[int, int], ...]) -> promo.Target:
    ids, exclude_ids, slugs, exclude_slugs = set(), set(), set(), set()
    for entry in row.products:
        if entry.role == ROLE_TARGET:
            ids.add(entry.product_id)
        elif entry.role == ROLE_EXCLUDE:
            exclude_ids.add(entry.product_id)
    for entry in row.categories:
        if entry.category is None:
            continue
        (slugs if entry.role == ROLE_TARGET else exclude_slugs).add(entry.category.slug)
    if row.benefit_kind == promo.FIXED_PRICE and not row.applies_to_everything:
        ids |= {product_id for product_id, _ in bundle}  # the set's products are what it applies to
    return promo.Target(
        everything=bool(row.applies_to_everything), product_ids=frozenset(ids), categories=frozenset(slugs),
        kinds=_words(row.target_kinds), exclude_product_ids=frozenset(exclude_ids),
        exclude_categories=frozenset(exclude_slugs), exclude_kinds=_words(row.exclude_kinds),
    )


def to_pricing(row: Promotion) -> promo.Promotion:
    """A promotion row (with its products, categories and customers loaded) as pricing data; ValueError if broken."""
    bundle = tuple(sorted((e.product_id, max(1, e.quantity or 1)) for e in row.products if e.role == ROLE_BUNDLE))
    benefit = promo.Benefit(
        row.benefit_kind, basis_points=row.basis_points or 0, amount_cents=row.amount_cents or 0, bundle=bundle,
        buy_quantity=row.buy_quantity or 0, get_quantity=row.get_quantity or 0,
    )
    conditions = promo.Conditions(
        min_subtotal_cents=row.min_subtotal_cents or 0, min_quantity=row.min_quantity or 0,
        first_order_only=bool(row.first_order_only),
        email_domains=frozenset(d.lstrip("@") for d in _words(row.email_domains)),
        customer_emails=frozenset(c.email.strip().lower() for c in row.customers if c.email.strip()),
    )
    channels = frozenset(name for name, on in (("web", row.channel_web), ("phone", row.channel_phone)) if on)
    return promo.Promotion(
        id=row.id, name=row.name, benefit=benefit, target=_target(row, bundle), conditions=conditions,
        requires_code=bool(row.requires_code), channels=channels, active=row.state == STATE_ACTIVE,
        starts_at=row.starts_at, ends_at=row.ends_at, exclusive=bool(row.exclusive), priority=row.priority or 0,
        uses_left=None if row.max_redemptions is None else max(0, row.max_redemptions - row.redemption_count),
        budget_left_cents=None if row.budget_cents is None else max(0, row.budget_cents - row.discount_given_cents),
    )


def _bundle_parts(row: Promotion) -> tuple[BundlePart, ...]:
    parts = []
    for entry in row.products:
        if entry.role == ROLE_BUNDLE and entry.product is not None:
            parts.append(BundlePart(entry.product_id, entry.product.title, entry.product.slug,
                                    max(1, entry.quantity or 1), entry.product.price_cents))
    return tuple(sorted(parts, key=lambda p: (p.title, p.product_id)))


def _shared_codes(rows: list[Promotion]) -> dict[int, str]:
    """{promotion id: its first shared code} for the public code promotions among rows (one query)."""
    ids = [row.id for row in rows if row.requires_code and row.is_public]
    if not ids:
        return {}
    found = {}
    statement = (db.select(PromotionCode.promotion_id, PromotionCode.code)
                 .where(PromotionCode.promotion_id.in_(ids),
                        or_(PromotionCode.max_uses.is_(None), PromotionCode.max_uses > 1))
                 .order_by(PromotionCode.id))
    for promotion_id, code in db.session.execute(statement):
        found.setdefault(promotion_id, code)
    return found


def _convert(rows: list[Promotion], shared: dict[int, str] | None = None) -> dict[int, "Loaded"]:
    shared = shared or {}
    loaded = {}
    for row in rows:
        try:
            pricing = to_pricing(row)
        except ValueError as error:  # a row pricing cannot use never breaks the shop
            log.error("Promotion %s (%s) skipped: %s", row.id, row.name, error)
            continue
        loaded[row.id] = Loaded(
            promotion=pricing, state=row.state, description=row.public_description or "",
            is_public=bool(row.is_public), max_per_customer=row.max_per_customer,
            shared_code=shared.get(row.id, ""), bundle=_bundle_parts(row),
        )
    return loaded


def _rows(*conditions: Any) -> list[Promotion]:
    statement = (db.select(Promotion).where(*conditions)
                 .options(selectinload(Promotion.products), selectinload(Promotion.categories),
                          selectinload(Promotion.customers))
                 .order_by(Promotion.priority.desc(), Promotion.id))
    return db.session.execute(statement).scalars().all()


def _load_live(now: Any) -> "LiveSet":
    rows = _rows(Promotion.state == STATE_ACTIVE, or_(Promotion.ends_at.is_(None), Promotion.ends_at > now))
    entries = _convert(rows, _shared_codes(rows))
    promotions = tuple(sorted((e.promotion for e in entries.values()), key=lambda p: p.sort_key))
    return LiveSet(entries, promotions)


_cache = {"entry": None}
_lock = threading.Lock()


def live_set() -> LiveSet:
    """Every promotion that is on and not past its end, converted; cached per process under the stamp."""
    key = (str(db.engine.url), stamp.current("promotions", "catalogue"))
    entry = _cache["entry"]
    if entry is not None and entry[0] == key:
        return entry[1]
    value = _load_live(utcnow())
    with _lock:
        _cache["entry"] = (key, value)
    return value


def live_promotions(now: Any = None) -> tuple[promo.Promotion, ...]:
    """The pricing Promotions that are on and not past their end at `now` (automatic and code ones alike:
    the engine uses a code one only when the cart unlocked it)."""
    now = now or utcnow()
    return tuple(p for p in live_set().promotions if p.ends_at is None or p.ends_at > now)


def forget() -> None:
    with _lock:
        _cache["entry"] = None
    stamp.forget()


def load(ids: Any) -> dict[int, Loaded]:
    """{id: Loaded} read now from the database, whatever their state (for codes of ended or paused ones)."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return {}
    rows = _rows(Promotion.id.in_(ids))
    return _convert(rows, _shared_codes(rows))


def with_fresh_counters(promotions: Any, ids: Any) -> tuple[promo.Promotion, ...]:
    """The promotions, with uses and budget left re-read from the database for those in `ids` (one query)."""
    wanted = {p.id for p in promotions if p.id in ids and (p.uses_left is not None or p.budget_left_cents is not None)}
    if not wanted:
        return promotions if isinstance(promotions, tuple) else tuple(promotions)
    fresh = {row.id: row for row in db.session.execute(
        db.select(Promotion.id, Promotion.max_redemptions, Promotion.redemption_count, Promotion.budget_cents,
                  Promotion.discount_given_cents).where(Promotion.id.in_(sorted(wanted)))
    )}
    changed = {}
    for p in promotions:
        row = fresh.get(p.id)
        if row is None:
            continue
        uses = None if row.max_redemptions is None else max(0, row.max_redemptions - row.redemption_count)
        budget = None if row.budget_cents is None else max(0, row.budget_cents - row.discount_given_cents)
        if (uses, budget) != (p.uses_left, p.budget_left_cents):
            changed[p.id] = replace(p, uses_left=uses, budget_left_cents=budget)
    if not changed:
        return promotions if isinstance(promotions, tuple) else tuple(promotions)
    return tuple(changed.get(p.id, p) for p in promotions)


def customer_uses(promotion_ids: Any, email: str = "", user_id: int | None = None) -> dict[int, int]:
    """{promotion id: held or confirmed redemptions} by this customer, matched by e-mail or by account."""
    email = (email or "").strip().lower()
    who = []
    if email:
        who.append(PromotionRedemption.email == email)
    if user_id is not None:
        who.append(PromotionRedemption.user_id == user_id)
    if not who or not promotion_ids:
        return {}
    statement = (db.select(PromotionRedemption.promotion_id, func.count(PromotionRedemption.id))
                 .where(PromotionRedemption.promotion_id.in_(sorted(promotion_ids)),
                        PromotionRedemption.status.in_((REDEMPTION_HELD, REDEMPTION_CONFIRMED)), or_(*who))
                 .group_by(PromotionRedemption.promotion_id))
    return dict(db.session.execute(statement).all())


def for_customer(promotions: Any, entries: dict[int, Loaded], email: str = "",
                 user_id: int | None = None) -> tuple[promo.Promotion, ...]:
    """Fill in `customer_uses_left` for the promotions limited per customer (one query when any are)."""
    limits = {p.id: entries[p.id].max_per_customer for p in promotions
              if p.id in entries and entries[p.id].max_per_customer is not None}
    if not limits:
        return tuple(promotions)
    used = customer_uses(limits, email, user_id) if (email or user_id is not None) else {}
    return tuple(replace(p, customer_uses_left=max(0, limits[p.id] - used.get(p.id, 0))) if p.id in limits else p
                 for p in promotions)
