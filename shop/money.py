"""Integer-cent money helpers. Money is always an int number of cents; only templates format it."""

import re
from collections.abc import Iterable

_MONEY_RE = re.compile(r"^\s*\$?\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$")


class MoneyError(ValueError):
    """A text that is not a dollar amount."""


def format_cents(cents: int | None, currency_symbol: str = "$") -> str:
    """1995 -> '$19.95'; -500 -> '-$5.00'; thousands separated."""
    if cents is None:
        return ""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}{currency_symbol}{dollars:,}.{rest:02d}"


def decimal_text(cents: int) -> str:
    """1995 -> '19.95'; -123456 -> '-1234.56': an amount for a file (no symbol, no thousands separator)."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{dollars}.{rest:02d}"


def parse_money(text: str) -> int:
    """'19.95', '$19.9', '20' -> cents. Raises MoneyError for anything else (no floats involved)."""
    match = _MONEY_RE.match(str(text).replace(",", ""))
    if not match:
        raise MoneyError(f"{text!r} is not an amount in dollars and cents, like 19.95")
    dollars, fraction = match.groups()
    fraction = (fraction or "").ljust(2, "0")
    return int(dollars) * 100 + int(fraction)


def allocate(total: int, weights: Iterable[int]) -> list[int]:
    """Split `total` cents over `weights` in proportion, to the cent, summing exactly to `total`.

    Largest-remainder method; ties go to the earlier weight, so the result is deterministic.
    """
    weights = [int(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no weights")
        return []
    weight_sum = sum(weights)
    if weight_sum == 0:
        weights = [1] * len(weights)
        weight_sum = len(weights)
    sign = -1 if total < 0 else 1
    magnitude = abs(int(total))
    shares = [magnitude * w // weight_sum for w in weights]
    remainders = [(magnitude * w % weight_sum, -i) for i, w in enumerate(weights)]
    leftover = magnitude - sum(shares)
    for _, neg_index in sorted(remainders, reverse=True)[:leftover]:
        shares[-neg_index] += 1
    return [sign * s for s in shares]
