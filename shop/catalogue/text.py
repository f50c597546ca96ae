"""Product text: Markdown rendered to sanitised HTML, and the normalised text search reads."""

import re
import unicodedata
from typing import Any

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
_WORD_RE = re.compile(r"[a-z0-9]+")


def render_markdown(text: str | None) -> str:
    """Markdown -> HTML with only harmless tags; headings start at h2 (the page owns h1)."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def fold(text: str | None) -> str:
    """Lower-case ASCII words: 'Myofascial Release—Level Ⅱ' -> 'myofascial release level ii'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(_WORD_RE.findall(text))


def words(text: str | None) -> list[str]:
    return _WORD_RE.findall(fold(text))


def search_text_for(product: Any) -> str:
    """What search looks in: title, subtitle, author, SKU, ISBN, summary, description, categories."""
    parts = [
        product.title,
        product.subtitle,
        product.author,
        product.sku,
        product.isbn,
        product.summary,
        product.description_md,
    ]
    parts.extend(category.name for category in product.categories)
    return " " + fold(" ".join(p for p in parts if p)) + " "
