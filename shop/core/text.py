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


def one_line(text: str | None, limit: int = 100) -> str:
    """One line of text: control characters dropped, runs of spaces and line breaks made one space."""
    cleaned = clean_text(text or "")
    return " ".join(str(cleaned).split())[:limit]


def like_pattern(text: str) -> str:
    """'%fragment%' for a case-insensitive LIKE (lower-cased, with \\ % _ escaped; use escape="\\\\")."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Card numbers typed where they do not belong (a caller reading theirs out into the call notes): the shop never
# keeps one. A run of 13 to 19 digits, spaces or dashes allowed between them, that starts like a card brand's
# number and passes the Luhn check, standing apart from letters and other digits (a random token or a file key
# that holds a run of digits is not a card number someone typed).
_CARD_RUN = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w]|-\w)")
_CARD_PREFIX = re.compile(r"4|5[1-5]|2[2-7]|3[47]|3[0689]|35|6(?:011|5|4[4-9]|2)")
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
    digits = re.sub(r"[ -]", "", candidate)
    return 13 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits)) and luhn_valid(digits)


def card_numbers_in(text: str | None) -> list[str]:
    """The card numbers in `text` (as typed, separators kept)."""
    return [match.group() for match in _CARD_RUN.finditer(text or "") if is_card_number(match.group())]


def redact_card_numbers(value: object) -> object:
    """Typed text with every card number in it replaced by CARD_REDACTED; anything not a str unchanged."""
    if not isinstance(value, str) or len(value) < 13:
        return value
    return _CARD_RUN.sub(lambda m: CARD_REDACTED if is_card_number(m.group()) else m.group(), value)
