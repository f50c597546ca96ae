"""Typo-tolerant product search.

Each query word matches products whose search text contains it; a word that appears nowhere in the
catalogue is replaced by the catalogue words closest to it in spelling ("myofacial" ->
"myofascial"). The vocabulary is built once per storefront stamp (shop.core.stamp) and kept in memory.
"""

import difflib
import threading
from typing import Any

from sqlalchemy import and_, case, or_, true

from shop.catalogue.models import Product
from shop.catalogue.text import words
from shop.core import stamp
from shop.extensions import db

MAX_QUERY_WORDS = 8
MIN_FUZZY_LENGTH = 4
_vocabulary: dict[str, Any] = {"stamp": None, "words": frozenset(), "by_length": {}}
_lock = threading.Lock()


def _build_vocabulary(current: tuple[Any, ...]) -> dict[str, Any]:
    rows = db.session.execute(db.select(Product.search_text).where(Product.is_active == true())).scalars()
    vocabulary = set()
    for text in rows:
        vocabulary.update((text or "").split())
    by_length = {}
    for word in vocabulary:
        by_length.setdefault(len(word), []).append(word)
    return {"stamp": current, "words": frozenset(vocabulary), "by_length": by_length}


def vocabulary() -> dict[str, Any]:
    """Every word of the active products' search text, rebuilt when the storefront stamp changes."""
    current = stamp.current()
    with _lock:
        if _vocabulary["stamp"] != current:
            _vocabulary.update(_build_vocabulary(current))
        return _vocabulary


def alternatives(word: str, vocab: dict[str, Any]) -> list[str]:
    """The word itself, plus close spellings from the catalogue when the word is not in it."""
    if word in vocab["words"] or len(word) < MIN_FUZZY_LENGTH:
        return [word]
    candidates = []
    for length in range(len(word) - 2, len(word) + 3):
        candidates.extend(vocab["by_length"].get(length, ()))
    close = difflib.get_close_matches(word, candidates, n=3, cutoff=0.8)
    return [word, *close]


def parse_query(text: str | None) -> list[str]:
    return words(text)[:MAX_QUERY_WORDS]


def search_condition(query_words: list[str], vocab: dict[str, Any]) -> tuple[Any, Any, list[list[str]]]:
    """(where clause, rank expression, the words actually searched) for the query words."""
    clauses = []
    title_hits = []
    searched = []
    for word in query_words:
        options = alternatives(word, vocab)
        searched.append(options)
        clauses.append(or_(*[Product.search_text.contains(f" {o}", autoescape=True) for o in options]))
        title_hits.extend(Product.title.ilike(f"%{o}%", escape="\\") for o in options if o.isalnum())
    rank = case((or_(*title_hits), 0), else_=1) if title_hits else None
    return and_(*clauses), rank, searched
