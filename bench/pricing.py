"""How long the pure pricing engine takes: a 20-line cart against 1,000 live promotions.

    .venv/bin/python bench/pricing.py [--promotions 1000] [--lines 20] [--runs 200]

Prints the median and 95th percentile per price() call, beside a baseline in the same run: the same
cart priced with no promotions at all.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shop.pricing import engine  # noqa: E402
from shop.pricing import promotions as promo  # noqa: E402
from shop.pricing.types import Cart, Customer, Line, ShippingRate  # noqa: E402

NOW = datetime(2026, 11, 24, 12, 0)
KINDS = ("book", "course", "combo")
CATEGORIES = ("str", "trigger", "mfr", "stretch", "ethics", "sports")


def make_cart(rnd, count):
    lines = tuple(
        Line(product_id=i, sku=f"SKU-{i:04d}", title=f"Product {i}", kind=KINDS[i % 3],
             unit_price_cents=rnd.randrange(1900, 24900), quantity=rnd.randrange(1, 4), is_physical=i % 3 == 0,
             categories=frozenset({CATEGORIES[i % len(CATEGORIES)]}))
        for i in range(1, count + 1)
    )
    return Cart(lines=lines, shipping=ShippingRate("m", "Media Mail", "domestic", 595, 7500),
                customer=Customer("pat@example.com", is_first_order=False))


def make_promotions(rnd, count, product_count):
    result = []
    for pid in range(1, count + 1):
        kind = promo.BENEFITS[pid % len(promo.BENEFITS)]
        target = promo.Target(everything=False, categories=frozenset({rnd.choice(CATEGORIES)})) if pid % 2 else \
            promo.Target(everything=False, product_ids=frozenset(rnd.sample(range(1, product_count * 5), 3)))
        result.append(promo.Promotion(
            id=pid, name=f"Offer {pid}",
            benefit=promo.Benefit(kind, basis_points=rnd.choice([500, 1000, 2000, 10000]),
                                  amount_cents=rnd.choice([500, 1000, 5000]),
                                  bundle=((rnd.randrange(1, product_count + 1), 1),
                                          (rnd.randrange(1, product_count + 1), 1)),
                                  buy_quantity=2, get_quantity=1),
            target=target,
            conditions=promo.Conditions(min_subtotal_cents=rnd.choice([0, 0, 5000, 50000])),
            exclusive=pid % 7 == 0, priority=rnd.randrange(0, 5),
            starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=rnd.randrange(1, 30)),
        ))
    return result


def measure(cart, promotions, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        engine.price(cart, promotions, now=NOW)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--promotions", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    rnd = random.Random(42)
    cart = make_cart(rnd, args.lines)
    promotions = make_promotions(rnd, args.promotions, args.lines)
    result = engine.price(cart, promotions, now=NOW)
    base = measure(cart, [], args.runs)
    full = measure(cart, promotions, args.runs)
    print(f"{args.lines}-line cart, {args.promotions} live promotions: {len(result.adjustments)} applied, "
          f"{len(result.not_applied)} explained as not applying")
    print(f"{'case':<28}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'no promotions (baseline)':<28}{base[0]:>10.3f}{base[1]:>10.3f}")
    print(f"{f'{args.promotions} promotions':<28}{full[0]:>10.3f}{full[1]:>10.3f}")
    print("target: under 5 ms per price() call with 1,000 promotions")


if __name__ == "__main__":
    main()
