"""Cleaning what people type: no control characters (PostgreSQL refuses a NUL byte), tidy whitespace,
and LIKE patterns that match the text literally."""

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
