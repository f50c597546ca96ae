"""Typo-tolerant product search.

Each query word matches products with a word that starts with it ("stretch" finds "stretching"); all
the query's words must match. A word that appears nowhere in the catalogue also searches the catalogue
words closest to it in spelling ("myofacial" -> "myofascial", difflib). The vocabulary is built once
per storefront stamp (shop.core.stamp) and kept in memory, on both databases, so both suggest the same.

On PostgreSQL the match is full-text search, answered by the GIN index of migration 0013: the search
text's tsvector ('simple' configuration: no stemming, no stop words) against a prefix tsquery made of
quoted catalogue-style words only. `_vector()` must stay the index's expression, constants written
into the SQL (not bound), or the planner cannot use the index. On SQLite it is a LIKE on the search
text (" word" inside " word word "). Products whose title contains a searched word rank first on both.
"""

import difflib
import re
import threading
from typing import Any

from sqlalchemy import and_, case, false, func, literal_column, or_, true

from shop.catalogue.models import Product
from shop.catalogue.text import words
from shop.core import stamp
from shop.extensions import db

MAX_QUERY_WORDS = 8
MIN_FUZZY_LENGTH = 4
_LEXEME_RE = re.compile(r"[a-z0-9]+")
_vocabulary: dict[str, Any] = {"stamp": None, "words": frozenset(), "by_length": {}, "lettered": {}}
_lock = threading.Lock()


def _build_vocabulary(current: tuple[Any, ...]) -> dict[str, Any]:
    rows = db.session.execute(db.select(Product.search_text).where(Product.is_active == true())).scalars()
    vocabulary = set()
    for text in rows:
        vocabulary.update((text or "").split())
    by_length, lettered = {}, {}
    for word in vocabulary:
        by_length.setdefault(len(word), []).append(word)
        if not word.isdigit():
            lettered.setdefault(len(word), []).append(word)
    return {"stamp": current, "words": frozenset(vocabulary), "by_length": by_length, "lettered": lettered}


def vocabulary() -> dict[str, Any]:
    """Every word of the active products' search text, rebuilt when the storefront stamp changes."""
    current = stamp.current("catalogue")
    with _lock:
        if _vocabulary["stamp"] != current:
            _vocabulary.update(_build_vocabulary(current))
        return _vocabulary


def alternatives(word: str, vocab: dict[str, Any]) -> list[str]:
    """The word itself, plus close spellings from the catalogue when the word is not in it."""
    if word in vocab["words"] or len(word) < MIN_FUZZY_LENGTH:
        return [word]
    # an all-digit word (SKUs, numbers) shares no character with a word of letters: it cannot be close
    buckets = vocab["lettered"] if word.isalpha() and "lettered" in vocab else vocab["by_length"]
    candidates = []
    for length in range(len(word) - 2, len(word) + 3):
        candidates.extend(buckets.get(length, ()))
    close = difflib.get_close_matches(word, candidates, n=3, cutoff=0.8)
    return [word, *close]


def parse_query(text: str | None) -> list[str]:
    return words(text)[:MAX_QUERY_WORDS]


def _vector() -> Any:
    """to_tsvector('simple'::regconfig, coalesce(search_text, '')): the indexed expression."""
    return func.to_tsvector(literal_column("'simple'::regconfig"),
                            func.coalesce(Product.search_text, literal_column("''")))


def _full_text(searched: list[list[str]]) -> Any:
    """PostgreSQL: every word (one of its spellings) as a word prefix, e.g. ('myofacial':* | 'myofascial':*)."""
    groups = []
    for options in searched:
        lexemes = [f"'{o}':*" for o in options if _LEXEME_RE.fullmatch(o)]  # never raw input as tsquery syntax
        if not lexemes:
            return false()
        groups.append("(" + " | ".join(lexemes) + ")")
    return _vector().bool_op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"), " & ".join(groups)))


def _like(searched: list[list[str]]) -> Any:
    return and_(*[or_(*[Product.search_text.contains(f" {o}", autoescape=True) for o in options])
                  for options in searched])


def search_condition(query_words: list[str], vocab: dict[str, Any]) -> tuple[Any, Any, list[list[str]]]:
    """(where clause, rank expression, the words actually searched) for the query words."""
    searched = [alternatives(word, vocab) for word in query_words]
    title_hits = [Product.title.ilike(f"%{o}%", escape="\\") for options in searched for o in options if o.isalnum()]
    rank = case((or_(*title_hits), 0), else_=1) if title_hits else None
    condition = _full_text(searched) if db.engine.dialect.name == "postgresql" else _like(searched)
    return condition, rank, searched
