import pytest

from shop.pricing.bundles import compare_bundle


def test_a_combo_shows_what_its_parts_cost_separately_and_the_saving():
    comparison = compare_bundle([(4995, 1), (14900, 1)], 16900)
    assert comparison.separately_cents == 19895
    assert comparison.saving_cents == 2995
    assert comparison.saving_percent == 15


def test_quantities_multiply_the_separate_price():
    assert compare_bundle([(1000, 3)], 2500).separately_cents == 3000


def test_a_bundle_dearer_than_its_parts_saves_nothing_rather_than_a_negative_amount():
    comparison = compare_bundle([(1000, 1)], 1500)
    assert comparison.saving_cents == 0
    assert comparison.saving_percent == 0


def test_bad_parts_are_refused():
    with pytest.raises(ValueError):
        compare_bundle([(1000, 0)], 500)
    with pytest.raises(ValueError):
        compare_bundle([(1000, 1)], -1)
