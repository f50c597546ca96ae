"""Article text: Markdown rendered and sanitised like product descriptions, plus images from the shop's own
store (articles/ in the public media). Any other image source is dropped, so an article never loads
anything from elsewhere (the content-security policy allows images from the shop only)."""

import re

import markdown
import nh3

from shop.catalogue.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

IMAGE_PREFIX = "/media/articles/"
_SAFE_KEY = re.compile(r"^/media/articles/[a-z0-9][a-z0-9-]{0,120}\.(?:jpg|png|webp)$")


def _keep(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _SAFE_KEY.match(value) else None
    return value


def render_article_markdown(text: str | None) -> str:
    """Markdown -> HTML with only harmless tags, headings from h2, and images only from the article store."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"img", "figure", "figcaption"},
        attributes={**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_keep,
    )
    html = re.sub(r"<img(?![^>]*\bsrc=)[^>]*>", "", html)  # an image whose source was dropped shows nothing
    return html.replace("<img ", '<img loading="lazy" ')
