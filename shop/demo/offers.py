"""The demo's live promotions, made as marketing makes them (shop.promotions.admin: validated, audited, then
activated):

- a seasonal sale: 15% off every home-study course, automatic, on the special offers page, ending some weeks
  ahead;
- a code to type in the cart (READER10: 10% off, web and phone, not listed on the offers page);
- a phone-only offer: $5 off the printed book on orders taken by phone (the web never sees it).

Each is made once: the sale is made again only when no demo sale is running or waiting any more (it ended, by
its date or by marketing's hand); the code and the phone offer are found by their code and their name.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from shop.catalogue import demo_data
from shop.catalogue.models import KIND_COURSE, Product
from shop.core.timeutil import local_today, to_local, utcnow
from shop.extensions import db
from shop.pricing import promotions as pricing
from shop.promotions import admin as promotion_admin
from shop.promotions.models import STATE_ENDED, Promotion, PromotionCode
from shop.promotions.validation import PromotionInput

SALE_WEEKS = 6
SEASONS = ("Winter", "Winter", "Spring", "Spring", "Spring", "Summer", "Summer", "Summer", "Autumn", "Autumn",
           "Autumn", "Winter")  # by month, January first
SALE_NAMES = tuple(f"{season} CE Sale" for season in dict.fromkeys(SEASONS))
CODE = "READER10"
CODE_NAME = "Newsletter readers: 10% off"
PHONE_NAME = "Order line special: $5 off the Soft Tissue Release book"
OFFERS_PAGE = "the special offers page, /offers"
CODE_WHERE = f"the cart, with the code {CODE}"
PHONE_WHERE = "phone orders only, /backoffice/phone/new"


@dataclass(frozen=True)
class SeededPromotion:
    promotion: Promotion
    created: bool
    where: str  # where a newcomer meets it


def sale_input(today: date) -> PromotionInput:
    """15% off every course until midnight (shop time) SALE_WEEKS weeks from today."""
    ends = datetime.combine(today + timedelta(weeks=SALE_WEEKS), time.min)
    return PromotionInput(
        name=f"{SEASONS[today.month - 1]} CE Sale", benefit_kind=pricing.PERCENT_OFF, percent_bp=1500,
        public_description="15% off every home-study course: earn your CE hours for less, this season only.",
        ends_local=ends, channels="both", applies_to_everything=False, target_kinds=[KIND_COURSE], priority=10)


def code_input() -> PromotionInput:
    return PromotionInput(
        name=CODE_NAME, benefit_kind=pricing.PERCENT_OFF, percent_bp=1000, requires_code=True, code=CODE,
        is_public=False, channels="both",
        public_description="For readers of our newsletter: 10% off your order with the code READER10.")


def phone_input(book_id: int) -> PromotionInput:
    return PromotionInput(
        name=PHONE_NAME, benefit_kind=pricing.AMOUNT_OFF, amount_cents=500, channels="phone",
        applies_to_everything=False, target_product_ids=[book_id],
        public_description="Call 1 800 741 5716 and take $5 off the printed Soft Tissue Release text.")


def _make_live(data: PromotionInput, timezone: str, now: datetime) -> Promotion:
    promotion = promotion_admin.create(data, timezone, now=now)
    return promotion_admin.activate(promotion, timezone, now=now)


def _running_sale(now: datetime) -> Promotion | None:
    """A demo sale not over yet (live, scheduled, paused or a draft), if there is one."""
    return db.session.scalar(
        select(Promotion).where(Promotion.name.in_(SALE_NAMES), Promotion.state != STATE_ENDED,
                                (Promotion.ends_at.is_(None)) | (Promotion.ends_at > now))
        .order_by(Promotion.id.desc()).limit(1))


def ensure_sale(timezone: str, now: datetime) -> SeededPromotion:
    found = _running_sale(now)
    if found is not None:
        return SeededPromotion(found, False, OFFERS_PAGE)
    return SeededPromotion(_make_live(sale_input(local_today(timezone, now)), timezone, now), True, OFFERS_PAGE)


def ensure_code(timezone: str, now: datetime) -> SeededPromotion:
    found = db.session.scalar(select(Promotion).join(PromotionCode).where(PromotionCode.code == CODE))
    if found is not None:
        return SeededPromotion(found, False, CODE_WHERE)
    return SeededPromotion(_make_live(code_input(), timezone, now), True, CODE_WHERE)


def ensure_phone_offer(timezone: str, now: datetime) -> SeededPromotion:
    found = db.session.scalar(select(Promotion).where(Promotion.name == PHONE_NAME).limit(1))
    if found is not None:
        return SeededPromotion(found, False, PHONE_WHERE)
    book = db.session.scalar(select(Product).where(Product.sku == demo_data.BOOK["sku"]))
    if book is None:
        raise LookupError(f"The demo book {demo_data.BOOK['sku']} is missing: load the demo catalogue first.")
    return SeededPromotion(_make_live(phone_input(book.id), timezone, now), True,
                           PHONE_WHERE)


def ensure_promotions(timezone: str, now: datetime | None = None) -> list[SeededPromotion]:
    """The sale, the code and the phone offer, live (made if missing)."""
    now = now or utcnow()
    return [ensure_sale(timezone, now), ensure_code(timezone, now), ensure_phone_offer(timezone, now)]


def last_day(promotion: Promotion, timezone: str) -> str:
    """Its last day in shop time ("January 12, 2027"), or "no end date"."""
    if promotion.ends_at is None:
        return "no end date"
    last = to_local(promotion.ends_at - timedelta(microseconds=1), timezone)
    return f"{last:%B} {last.day}, {last.year}"
