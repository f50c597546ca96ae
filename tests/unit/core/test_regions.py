"""States and provinces as customers type them: the two-letter code or the full name, any case, dots and extra
spaces ignored; nothing guessed from an abbreviation; no states outside the US and Canada."""

import pytest

from shop.core.regions import CA_PROVINCES, REGIONS, US_STATES, US_TERRITORIES, region_code, region_name


@pytest.mark.parametrize(("country", "typed", "code"), [
    ("US", "ca", "CA"), ("US", "California", "CA"), ("us", " CALIFORNIA ", "CA"), ("US", "new   york", "NY"),
    ("US", "N.Y.", "NY"), ("US", "District of Columbia", "DC"), ("US", "Washington, D.C.", "DC"),
    ("US", "Puerto Rico", "PR"), ("US", "Guam", "GU"), ("US", "us virgin islands", "VI"), ("US", "AE", "AE"),
    ("CA", "on", "ON"), ("CA", "Ontario", "ON"), ("CA", "Québec", "QC"), ("CA", "quebec", "QC"),
    ("CA", "British Columbia", "BC"), ("CA", "Newfoundland & Labrador", "NL"),
])
def test_a_code_or_a_full_name_is_read_as_the_postal_code(country, typed, code):
    assert region_code(country, typed) == code


@pytest.mark.parametrize(("country", "typed"), [
    ("US", " calif. "), ("US", "Ohioo"), ("US", ""), ("US", None), ("US", "ON"), ("CA", "OH"), ("GB", "London"),
    ("", "CA"), (None, "Ohio"), ("US", "C A"),
])
def test_anything_else_is_not_a_state(country, typed):
    assert region_code(country, typed) == ""


def test_every_state_dc_the_territories_and_every_province_are_known():
    assert len(US_STATES) == 52 and {"DC", "PR"} <= set(US_STATES)  # the 50 states, DC and Puerto Rico
    assert {"GU", "VI", "AS", "MP"} <= set(US_TERRITORIES) and not set(US_TERRITORIES) & set(US_STATES)
    assert len(CA_PROVINCES) == 13  # ten provinces, three territories
    for country, names in REGIONS.items():
        for code, name in names.items():
            assert region_code(country, code.lower()) == region_code(country, name) == code
            assert region_name(country, code) == name
    assert region_name("US", "ZZ") == "ZZ"
