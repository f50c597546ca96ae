"""The sales-tax rules of a destination, read from the rates admins keep, and the rates' upkeep.

`rules_for(country, typed_region)` is what the quote prices with: the destination's TaxRules (a rate of 0
where the shop keeps none, so the order still records where it went), or None abroad. Changing a rate
never touches an order already placed: each keeps the rules it was priced with in its snapshot.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from shop.core import audit
from shop.core.errors import Refusal
from shop.core.regions import REGIONS, US_TERRITORIES, region_code, region_name
from shop.core.text import one_line
from shop.extensions import db
from shop.pricing.types import TaxRules
from shop.tax.models import MAX_RATE_MILLIPERCENT, TaxRate

NAME_MAX = 120
COUNTRIES_TAXED_AS_STATES = {"PR": "PR"}  # a country in the address form that is a US state for sales tax


class TaxRateError(Refusal):
    """A rate that cannot be saved as typed."""


@dataclass(frozen=True)
class Destination:
    """One state or province on the admins' page, with its rate if the shop keeps one."""

    country: str
    region: str
    name: str
    rate: TaxRate | None


def rules_for(country: str | None, typed_region: str | None) -> TaxRules | None:
    """The destination's rules: its rate, or a rate of 0 for a state or province without one; None when the
    country has no states the shop knows (no sales tax abroad) or the region typed is not one of them."""
    country = (country or "").strip().upper()[:2]
    if country in COUNTRIES_TAXED_AS_STATES:  # Puerto Rico, a shipping country of its own, is taxed as US-PR
        country, typed_region = "US", COUNTRIES_TAXED_AS_STATES[country]
    region = region_code(country, typed_region)
    if not region:
        return None
    row = db.session.scalar(select(TaxRate).where(TaxRate.country == country, TaxRate.region == region))
    if row is None:
        return TaxRules(country, region, 0, f"Sales tax ({region_name(country, region)})")
    return as_rules(row)


def as_rules(row: TaxRate) -> TaxRules:
    return TaxRules(row.country, row.region, row.rate_millipercent,
                    row.name or f"{region_name(row.country, row.region)} sales tax",
                    taxes_shipping=row.taxes_shipping, taxes_digital=row.taxes_digital)


def digital_goods_taxed_in(country: str | None) -> bool:
    """Whether some state or province of the country taxes online goods (then an online-only order needs one)."""
    country = (country or "").strip().upper()[:2]
    if country not in REGIONS:
        return False
    return db.session.scalar(select(TaxRate.id).where(TaxRate.country == country, TaxRate.taxes_digital.is_(True),
                                                      TaxRate.rate_millipercent > 0).limit(1)) is not None


def destinations() -> list[Destination]:
    """Every US state and Canadian province, by country then name (the states before the other territories
    and military addresses), with its rate where one is kept."""
    rates = {(r.country, r.region): r for r in db.session.scalars(select(TaxRate))}
    return [Destination(country, code, name, rates.get((country, code)))
            for country, names in REGIONS.items()
            for code, name in sorted(names.items(), key=lambda kv: (kv[0] in US_TERRITORIES, kv[1]))]


def rate_of(country: str, region: str) -> TaxRate | None:
    return db.session.scalar(select(TaxRate).where(TaxRate.country == country, TaxRate.region == region))


def parse_percent(text: str | None) -> int:
    """'7.25' or '7.25%' -> 7250 (thousandths of a percent); TaxRateError for anything else."""
    cleaned = (text or "").strip().rstrip("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise TaxRateError("Enter the rate as a percentage, like 7.25.", "rate") from None
    if not value.is_finite() or value < 0:
        raise TaxRateError("Enter the rate as a percentage, like 7.25.", "rate")
    if value != value.quantize(Decimal("0.001")):
        raise TaxRateError("Give the rate to at most three decimals, like 6.875.", "rate")
    millipercent = int(value * 1000)
    if millipercent > MAX_RATE_MILLIPERCENT:
        raise TaxRateError(f"A rate is at most {MAX_RATE_MILLIPERCENT // 1000}%.", "rate")
    return millipercent


def percent_text(millipercent: int) -> str:
    """7250 -> '7.25', 6875 -> '6.875', 6000 -> '6'."""
    text = f"{Decimal(millipercent) / 1000:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def save_rate(country: str, region: str, rate_text: str | None, name: str | None, *, taxes_shipping: bool,
              taxes_digital: bool, actor: Any) -> TaxRate:
    """Set the rate of a state or province (audited, committed)."""
    country, region = (country or "").upper(), (region or "").upper()
    if region not in REGIONS.get(country, {}):
        raise TaxRateError("That is not a US state or Canadian province.", status=404)
    millipercent = parse_percent(rate_text)
    name = one_line(name or "", NAME_MAX + 1)
    if len(name) > NAME_MAX:
        raise TaxRateError(f"The name is at most {NAME_MAX} characters.", "name")
    row = rate_of(country, region)
    before = None if row is None else (percent_text(row.rate_millipercent), row.taxes_shipping, row.taxes_digital)
    if row is None:
        row = TaxRate(country=country, region=region)
        db.session.add(row)
    row.rate_millipercent, row.name = millipercent, name
    row.taxes_shipping, row.taxes_digital = bool(taxes_shipping), bool(taxes_digital)
    row.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    what = (f"{region_name(country, region)}: {percent_text(millipercent)}%, shipping "
            f"{'taxed' if taxes_shipping else 'not taxed'}, online goods {'taxed' if taxes_digital else 'not taxed'}")
    summary = what + (f" (was {before[0]}%)" if before else " (new)")
    audit.record("tax_rate_saved", "tax_rate", f"{country}-{region}", summary, actor=actor)
    db.session.commit()
    return row


def delete_rate(country: str, region: str, *, actor: Any) -> bool:
    """Stop collecting tax in a state or province (audited, committed); False when there was no rate."""
    row = rate_of((country or "").upper(), (region or "").upper())
    if row is None:
        return False
    summary = f"{region_name(row.country, row.region)}: rate of {percent_text(row.rate_millipercent)}% removed"
    db.session.delete(row)
    audit.record("tax_rate_removed", "tax_rate", f"{row.country}-{row.region}", summary, actor=actor)
    db.session.commit()
    return True
