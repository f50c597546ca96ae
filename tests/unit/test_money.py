import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop.money import MoneyError, allocate, decimal_text, format_cents, parse_money


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "$0.00"), (5, "$0.05"), (1995, "$19.95"), (123456789, "$1,234,567.89"), (-500, "-$5.00")],
)
def test_format_cents_shows_dollars_and_cents(cents, text):
    assert format_cents(cents) == text


@pytest.mark.parametrize(("text", "cents"), [("19.95", 1995), ("$19.9", 1990), ("20", 2000), ("1,000.01", 100001)])
def test_parse_money_reads_dollar_amounts_without_floats(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "19.999", "-5", "1e3", "19,95.0.1", "nan"])
def test_parse_money_refuses_what_is_not_an_amount(text):
    with pytest.raises(MoneyError):
        parse_money(text)


def test_allocate_splits_by_weight_to_the_cent():
    assert allocate(1000, [1, 1, 1]) == [334, 333, 333]
    assert allocate(500, [4995, 14900]) == [126, 374]
    assert allocate(-100, [1, 3]) == [-25, -75]


@given(st.integers(-10**9, 10**9), st.lists(st.integers(0, 10**7), min_size=1, max_size=30))
def test_allocate_always_sums_exactly_and_never_goes_past_a_share(total, weights):
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert len(shares) == len(weights)
    weight_sum = sum(weights) or len(weights)
    for share, weight in zip(shares, weights or [], strict=True):
        exact = abs(total) * (weight if sum(weights) else 1) / weight_sum
        assert abs(abs(share) - exact) < 1


@pytest.mark.parametrize(("cents", "text"), [(0, "0.00"), (5, "0.05"), (1995, "19.95"), (123456, "1234.56"),
                                             (-2500, "-25.00"), (-7, "-0.07")])
def test_decimal_text_is_a_plain_amount_for_files(cents, text):
    assert decimal_text(cents) == text
