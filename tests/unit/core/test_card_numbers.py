"""Card numbers are recognised in typed text (13 to 19 digits, spaces or dashes between, a card brand's start, the
Luhn check) and replaced, so that none typed into a note, an address or a name is ever kept."""

import pytest

from shop.core.text import (
    CARD_REDACTED,
    card_numbers_in,
    is_card_number,
    is_whole_number,
    luhn_valid,
    redact_card_numbers,
    refuse_card_numbers,
)

CARDS = ["4242424242424242", "4242 4242 4242 4242", "4000-0566-5566-5556", "5555555555554444", "2223003122003222",
         "378282246310005", "3714 496353 98431", "6011111111111117", "3566002020360505", "30569309025904",
         "4222222222222"]
NOT_CARDS = ["4242424242424241", "1 800 741 5716", "9400100000000000000000", "1733140000000", "123456789012",
             "ISBN 9780000000002", "0000000000000000", "2024-12-01 10:00:00"]


@pytest.mark.parametrize("number", CARDS)
def test_a_card_number_as_typed_is_found_and_removed(number):
    text = f"Caller read out {number}, expiry 12/29."
    assert card_numbers_in(text) == [number]
    assert redact_card_numbers(text) == f"Caller read out {CARD_REDACTED}, expiry 12/29."


@pytest.mark.parametrize("text", NOT_CARDS)
def test_numbers_that_are_not_cards_are_kept(text):
    assert card_numbers_in(text) == [] and not is_card_number(text)
    assert redact_card_numbers(text) == text


@pytest.mark.parametrize("text", ["tok_Ab4242424242424242x", "cart-4052669810324", "files/a459706667958464b.pdf",
                                  "4242424242424242abc", "key_4242424242424242"])
def test_digits_inside_a_token_or_a_file_key_are_not_a_card_number(text):
    assert card_numbers_in(text) == []


def test_the_luhn_check():
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")


def test_anything_but_text_is_left_alone():
    assert redact_card_numbers(None) is None and redact_card_numbers(42) == 42 and redact_card_numbers("") == ""


@pytest.mark.parametrize("text, card", [
    ("4242 4242 4242 4242 123", "4242 4242 4242 4242"),  # the CVC after it
    ("ref 12 4242 4242 4242 4242", "4242 4242 4242 4242"),
    ("4242 4242 4242 4242 12 29", "4242 4242 4242 4242"),  # the expiry after it
    ("4242  4242  4242  4242", "4242  4242  4242  4242"),
    ("4242\u00a04242\u00a04242\u00a04242", "4242\u00a04242\u00a04242\u00a04242"),
    ("4242.4242.4242.4242", "4242.4242.4242.4242"),
    ("4242/4242/4242/4242", "4242/4242/4242/4242"),
])
def test_a_card_number_among_other_digit_groups_or_odd_separators_is_found(text, card):
    assert card_numbers_in(text) == [card]
    assert redact_card_numbers(text) == text.replace(card, CARD_REDACTED)


def test_text_longer_than_any_field_takes_is_left_for_its_length_check_to_refuse():
    huge = "4 " * 60_000 + "4242 4242 4242 4242"
    assert redact_card_numbers(huge) is huge


@pytest.mark.parametrize("text", ["4242 4242 4242 4242", "4111111111111111", "call 5555-5555-5555-4444 back"])
def test_a_structured_field_refuses_a_card_number_with_a_message(text):
    with pytest.raises(ValueError, match="secure card box"):
        refuse_card_numbers(text)


@pytest.mark.parametrize("text", ["207 555 0142", "+1 (800) 741-5716", "04101-1234", "SW1A 1AA", None, 12])
def test_a_structured_field_keeps_what_is_not_a_card_number(text):
    assert refuse_card_numbers(text) == text


@pytest.mark.parametrize("text, whole", [("0", True), ("120", True), ("", False), ("²", False), ("١٢٣", False),
                                         ("１２", False), ("-1", False), ("1.5", False), (" 1", False)])
def test_a_whole_number_is_digits_0_to_9_only(text, whole):
    assert is_whole_number(text) is whole
