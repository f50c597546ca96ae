"""Promotion codes as marketing manages them: the shared code, batches of single-use codes, listing, CSV.

Codes are stored in capitals and unique across the shop. Single-use codes read like SPRING-7K3QX, from an
alphabet without 0/O and 1/I; a batch is drawn until every code is new, and a clash with a batch another
marketer saved at the same moment (the unique constraint) draws again.
"""

import re
import secrets
from collections.abc import Iterable

from sqlalchemy import case, func
from sqlalchemy.exc import IntegrityError

from shop.core import audit
from shop.core.spreadsheet import csv_text
from shop.core.timeutil import to_local, utcnow
from shop.extensions import db
from shop.promotions.models import STATE_ENDED, Promotion, PromotionCode
from shop.promotions.validation import PromotionError, normalise_code, raise_if_invalid

ENTITY = "promotion"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I
PREFIX_RE = re.compile(r"^[A-Z0-9]{0,20}$")
MAX_BATCH = 5000


def shared_code(promotion: Promotion) -> PromotionCode | None:
    return db.session.scalar(db.select(PromotionCode).filter_by(promotion_id=promotion.id, max_uses=None)
                             .order_by(PromotionCode.id).limit(1))


def code_summaries(promotion_ids: list[int]) -> dict[int, tuple[str, int, int]]:
    """{promotion id: (shared code or "", number of single-use codes, codes used)} in one query."""
    if not promotion_ids:
        return {}
    shared = case((PromotionCode.max_uses.is_(None), PromotionCode.code))
    single = case((PromotionCode.max_uses.is_not(None), 1), else_=0)
    rows = db.session.execute(
        db.select(PromotionCode.promotion_id, func.max(shared), func.sum(single),
                  func.sum(case((PromotionCode.use_count > 0, 1), else_=0)))
        .where(PromotionCode.promotion_id.in_(promotion_ids)).group_by(PromotionCode.promotion_id))
    return {pid: (code or "", int(count or 0), int(used or 0)) for pid, code, count, used in rows}


def _random_code(prefix: str, length: int) -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return f"{prefix}-{body}" if prefix else body


def _taken(codes: Iterable[str]) -> set[str]:
    taken = set()
    codes = list(codes)
    for start in range(0, len(codes), 500):
        chunk = codes[start:start + 500]
        taken.update(db.session.scalars(db.select(PromotionCode.code).where(PromotionCode.code.in_(chunk))))
    return taken


def generate_codes(promotion: Promotion, count: int | None, prefix: str = "", timezone: str = "UTC",
                   length: int = 10) -> str:
    """Add `count` new single-use codes (like SPRING-7K3QX) unique across the shop; returns the batch label."""
    prefix = normalise_code(prefix)
    errors = {}
    if not promotion.requires_code:
        raise PromotionError("This promotion applies automatically; edit it to be unlocked by a code first.",
                             status=409)
    if promotion.state == STATE_ENDED:
        raise PromotionError("This promotion has ended; duplicate it to run it again.", status=409)
    if count is None or not 1 <= count <= MAX_BATCH:
        errors["count"] = f"Generate from 1 to {MAX_BATCH:,} codes at a time."
    if not PREFIX_RE.match(prefix):
        errors["prefix"] = "A prefix is up to 20 letters and digits, like SPRING."
    raise_if_invalid(errors)
    batches = db.session.scalar(db.select(func.count(func.distinct(PromotionCode.batch)))
                                .where(PromotionCode.promotion_id == promotion.id, PromotionCode.batch != ""))
    label = f"{prefix or 'CODES'} batch {batches + 1}, {to_local(utcnow(), timezone):%Y-%m-%d %H:%M}"
    for _attempt in range(3):
        codes = set()
        while len(codes) < count:
            wanted = count - len(codes)
            fresh = {_random_code(prefix, length) for _ in range(wanted)} - codes
            codes |= fresh - _taken(fresh)
        db.session.add_all(PromotionCode(promotion_id=promotion.id, code=code, max_uses=1, batch=label)
                           for code in sorted(codes))
        audit.record("promotion.codes", ENTITY, promotion.id, f"Generated {count:,} single-use codes ({label})")
        try:
            db.session.commit()
            return label
        except IntegrityError:  # another batch took one of these codes meanwhile: draw again
            db.session.rollback()
    raise PromotionError("Could not generate unique codes; try again.", status=409)


def codes_page(promotion: Promotion, page: int = 1, per_page: int = 50) -> tuple[list[PromotionCode], int]:
    statement = db.select(PromotionCode).filter_by(promotion_id=promotion.id)
    total = db.session.scalar(db.select(func.count()).select_from(statement.subquery()))
    codes = db.session.scalars(statement.order_by(PromotionCode.id).offset((page - 1) * per_page)
                               .limit(per_page)).all()
    return codes, total


def codes_csv(promotion: Promotion, timezone: str) -> str:
    rows = db.session.execute(db.select(PromotionCode).filter_by(promotion_id=promotion.id)
                              .order_by(PromotionCode.id).execution_options(yield_per=1000)).scalars()
    return csv_text(["code", "kind", "batch", "max_uses", "uses", "created"], (
        [code.code, "shared" if code.max_uses is None else "single-use", code.batch,
         "" if code.max_uses is None else code.max_uses, code.use_count,
         f"{to_local(code.created_at, timezone):%Y-%m-%d %H:%M}"] for code in rows))
