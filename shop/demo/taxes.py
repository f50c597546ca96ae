"""The demo's sales tax: the publisher collects Ohio's 5.75% (shipping taxed, online courses not), so an order
shipped to Ohio shows a tax line and every other destination none. Made through the rates' own service,
once: a rate an admin changed is left as they changed it."""

from typing import Any

from shop.tax import rules

DEMO_RATES = (("US", "OH", "5.75", "Ohio sales tax", True, False),)


def ensure_rates(actor: Any) -> list[str]:
    """The demo's rates, set where none is kept yet; returns what each destination collects."""
    kept = []
    for country, region, rate, name, shipping, digital in DEMO_RATES:
        if rules.rate_of(country, region) is None:
            rules.save_rate(country, region, rate, name, taxes_shipping=shipping, taxes_digital=digital, actor=actor)
        row = rules.rate_of(country, region)
        kept.append(f"{row.name or region} {rules.percent_text(row.rate_millipercent)}%")
    return kept
