"""Cleaning what people type: no control characters (PostgreSQL refuses a NUL byte), tidy whitespace,
and LIKE patterns that match the text literally."""

import re
import unicodedata

KEPT_CONTROLS = frozenset("\t\n\r")


def clean_text(value: object) -> object:
    """Typed text without control characters (tabs and line breaks kept); anything not a str unchanged."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch in KEPT_CONTROLS or unicodedata.category(ch) != "Cc")


def clean_stripped(value: object) -> object:
    """clean_text, then surrounding spaces removed: the filter on every typed field."""
    value = clean_text(value)
    return value.strip() if isinstance(value, str) else value


def is_whole_number(text: str) -> bool:
    """Digits 0-9 only, as int() reads them: str.isdigit() also takes "²" and other digits int() refuses."""
    return text.isascii() and text.isdigit()


def one_line(text: str | None, limit: int = 100) -> str:
    """One line of text: control characters dropped, runs of spaces and line breaks made one space."""
    cleaned = clean_text(text or "")
    return " ".join(str(cleaned).split())[:limit]


def like_pattern(text: str) -> str:
    """'%fragment%' for a case-insensitive LIKE (lower-cased, with \\ % _ escaped; use escape="\\\\")."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Card numbers typed where they do not belong (a caller reading theirs out into the call notes): the shop never
# keeps one. A card number is 13 to 19 digits that start like a card brand's number and pass the Luhn check,
# typed whole or in groups (spaces, no-break spaces, dashes, dots or slashes between them), standing apart from
# letters (a random token or a file key that holds a run of digits is not a number someone typed). A card
# number among other groups of digits (a CVC or an expiry after it, a reference before it) is found too.
_DIGIT_GROUPS = re.compile(r"(?<![\w-])\d+(?:[ \u00a0.\-/]{1,3}\d+)*(?!\w|-\w)")
_GROUP = re.compile(r"\d+")
_CARD_PREFIX = re.compile(r"4|5[1-5]|2[2-7]|3[47]|3[0689]|35|6(?:011|5|4[4-9]|2)")
_BRAND_FIRST_DIGITS = frozenset("23456")
FREE_TEXT_LIMIT = 100_000  # the longest free-text field (a lesson's Markdown)
CARD_REDACTED = "[card number removed]"


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def is_card_number(candidate: str) -> bool:
    digits = re.sub(r"[ \u00a0.\-/]", "", candidate)
    return (digits.isascii() and digits.isdigit() and 13 <= len(digits) <= 19
            and bool(_CARD_PREFIX.match(digits)) and luhn_valid(digits))


def _card_spans(text: str) -> list[tuple[int, int]]:
    """Where the card numbers are in `text`: consecutive digit groups of a run, 13 to 19 digits in all, the first
    starting like a card brand's. At most 19 digits are looked at from each group, so the work grows with the
    text's length, never faster."""
    spans = []
    for run in _DIGIT_GROUPS.finditer(text):
        groups = [(run.start() + g.start(), run.start() + g.end(), g.group()) for g in _GROUP.finditer(run.group())]
        first = 0
        while first < len(groups):
            found, digits = None, ""
            if groups[first][2][0] in _BRAND_FIRST_DIGITS:
                for last in range(first, len(groups)):
                    digits += groups[last][2]
                    if len(digits) > 19:
                        break
                    if len(digits) >= 13 and _CARD_PREFIX.match(digits) and luhn_valid(digits):
                        found = last
                        break
            if found is None:
                first += 1
                continue
            spans.append((groups[first][0], groups[found][1]))
            first = found + 1
    return spans


def card_numbers_in(text: str | None) -> list[str]:
    """The card numbers in `text` (as typed, separators kept)."""
    return [text[a:b] for a, b in _card_spans(text)] if text and len(text) >= 13 else []


CARD_REFUSED = ("That looks like a card number. Card details are typed only into the secure card box, "
                "and the shop never keeps them.")


def refuse_card_numbers(value: object) -> object:
    """A structured field's filter (a phone number, a city, a code, a SKU): a card number there is refused with
    CARD_REFUSED (a ValueError, which a form shows as the field's error) rather than rewritten."""
    if isinstance(value, str) and 13 <= len(value) <= FREE_TEXT_LIMIT and _card_spans(value):
        raise ValueError(CARD_REFUSED)
    return value


def redact_card_numbers(value: object) -> object:
    """Typed text with every card number in it replaced by CARD_REDACTED; anything not a str unchanged. Text longer
    than any field takes (FREE_TEXT_LIMIT) is left as it is: its field's length check refuses it, and the scan
    is not run on a body an attacker made huge."""
    if not isinstance(value, str) or len(value) < 13 or len(value) > FREE_TEXT_LIMIT:
        return value
    for a, b in reversed(_card_spans(value)):
        value = value[:a] + CARD_REDACTED + value[b:]
    return value
