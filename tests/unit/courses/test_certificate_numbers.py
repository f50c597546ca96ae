"""Certificate numbers: random, in a fixed typable shape, without look-alike characters, read back however typed."""

from shop.courses.certificate_pdf import ce_hours_text
from shop.courses.certificates import ALPHABET, new_number, normalise_number


def test_a_number_has_the_shop_prefix_and_three_groups_of_unambiguous_characters():
    number = new_number()
    prefix, *groups = number.split("-")
    assert prefix == "STR"
    assert [len(g) for g in groups] == [4, 4, 2]
    assert set("".join(groups)) <= set(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)


def test_numbers_do_not_repeat():
    assert len({new_number() for _ in range(2000)}) == 2000


def test_a_number_is_read_back_whatever_its_case_spaces_and_dashes():
    number = new_number()
    compact = number.replace("-", "")
    assert normalise_number(number) == number
    assert normalise_number(f"  {number.lower()} ") == number
    assert normalise_number(" ".join(compact)) == number
    assert normalise_number(compact[3:]) == number  # without the prefix


def test_something_that_cannot_be_a_number_is_none():
    assert normalise_number("") is None
    assert normalise_number(None) is None
    assert normalise_number("STR-0000-0000-00") is None
    assert normalise_number("STR-7K3M-9QXP") is None
    assert normalise_number("x" * 5000) is None


def test_hours_are_written_as_ce_hours_never_ceus():
    assert ce_hours_text("6.00") == "6 CE hours"
    assert ce_hours_text("1.00") == "1 CE hour"
    assert ce_hours_text("1.50") == "1.5 CE hours"
    assert ce_hours_text("0.25") == "0.25 CE hours"
