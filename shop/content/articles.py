"""Articles: marketing writes them (draft, then published now or scheduled), visitors read the published ones.

Saving goes through `save()` with an ArticleInput: the slug is checked, the Markdown rendered and sanitised
(shop.content.text), categories and related products set, and the change audited. An edit names the version
it started from, so two people editing one article never overwrite each other unseen (409).
"""

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from shop.catalogue.admin import slugify
from shop.catalogue.models import Category, Product
from shop.catalogue.uploads import store_image
from shop.content.models import STATE_DRAFT, STATE_PUBLISHED, Article, ArticleProduct, article_categories
from shop.content.text import render_article_markdown
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.storage import Storage, StorageError
from shop.core.timeutil import utcnow
from shop.extensions import db

PER_PAGE = 10
MAX_RELATED = 6
SLUG_MAX = 160


class ArticleError(Refusal):
    """A refusal whose message is safe to show; `field` names the form field it is about, if any."""


class StaleArticle(ArticleError):
    status = 409


@dataclass(frozen=True)
class ArticleInput:
    title: str
    slug: str = ""
    summary: str = ""
    body_md: str = ""
    author_name: str = ""
    cover_alt: str = ""
    category_ids: tuple[int, ...] = ()
    product_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ArticlePage:
    items: list[Article]
    total: int
    page: int
    pages: int
    category: Category | None = None


@dataclass
class Neighbours:
    newer: Article | None = None
    older: Article | None = None
    products: list[Product] = field(default_factory=list)


# ---- writing ------------------------------------------------------------------------------------

def _slug_for(data: ArticleInput, article: Article | None) -> str:
    slug = slugify(data.slug or data.title, SLUG_MAX)
    if not slug:
        raise ArticleError("Give the article a title (or a web address made of letters and digits).", "slug")
    others = select(Article.id).where(Article.slug == slug)
    taken = db.session.scalar(others.where(Article.id != article.id) if article is not None else others)
    if taken is not None:
        raise ArticleError(f"Another article already uses the web address “{slug}”. Choose another.", "slug")
    return slug


def _chosen(model: Any, ids: tuple[int, ...], what: str, field_name: str) -> list[Any]:
    wanted = list(dict.fromkeys(ids))
    rows = {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(wanted)))} if wanted else {}
    if len(rows) != len(wanted):
        raise ArticleError(f"One of the {what} chosen no longer exists. Reload the page and choose again.",
                           field_name)
    return [rows[i] for i in wanted]


def save(data: ArticleInput, *, actor: Any, article: Article | None = None, version: int | None = None) -> Article:
    """Create (article=None) or update an article from `data`. Commits; ArticleError when refused."""
    title = " ".join((data.title or "").split())
    if not title:
        raise ArticleError("Give the article a title.", "title")
    if article is not None and version != article.version:
        raise StaleArticle("Someone else saved this article while you were editing it. Your changes are below: "
                           "reload the page to see theirs, then make yours again.")
    if len(data.product_ids) > MAX_RELATED:
        raise ArticleError(f"Link at most {MAX_RELATED} products: the article page shows each as a card.",
                           "product_ids")
    slug = _slug_for(data, article)
    categories = _chosen(Category, data.category_ids, "categories", "category_ids")
    products = _chosen(Product, data.product_ids, "products", "product_ids")
    creating = article is None
    if article is None:
        article = Article(state=STATE_DRAFT)
        db.session.add(article)
    article.title, article.slug = title[:200], slug
    article.summary = " ".join((data.summary or "").split())[:500]
    article.body_md = data.body_md or ""
    article.body_html = render_article_markdown(article.body_md)
    article.author_name = (data.author_name or "").strip()[:120]
    article.cover_alt = (data.cover_alt or "").strip()[:300]
    article.categories = categories
    by_id = {link.product_id: link for link in article.related}
    article.related = [by_id.get(p.id) or ArticleProduct(product_id=p.id) for p in products]
    for position, link in enumerate(article.related):
        link.position = position
    article.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise StaleArticle("Someone else saved this article at the same moment. Reload the page and make your "
                           "changes again.") from None
    except IntegrityError:  # the web address taken by an article saved a moment ago in another request
        db.session.rollback()
        raise ArticleError(f"Another article took the web address “{slug}” a moment ago. Choose another.", "slug",
                           status=409) from None
    audit.record("article created" if creating else "article edited", "article", article.id, article.title,
                 actor=actor)
    db.session.commit()
    return article


def publish(article: Article, *, actor: Any, at: datetime | None = None, now: datetime | None = None) -> Article:
    """Publish now, or at `at` (naive UTC) when that is later: the article is scheduled until then."""
    now = now or utcnow()
    if not article.title or not article.body_md.strip():
        raise ArticleError("Write the article's text before publishing it.", "body_md")
    when = at if at is not None and at > now else now
    article.state, article.publish_at = STATE_PUBLISHED, when
    article.updated_at = now
    scheduled = when > now
    audit.record("article scheduled" if scheduled else "article published", "article", article.id,
                 f"{article.title} (from {when:%Y-%m-%d %H:%M} UTC)" if scheduled else article.title, actor=actor)
    db.session.commit()
    return article


def unpublish(article: Article, *, actor: Any) -> Article:
    """Back to a draft: off the public pages at once."""
    article.state, article.publish_at = STATE_DRAFT, None
    article.updated_at = utcnow()
    audit.record("article unpublished", "article", article.id, article.title, actor=actor)
    db.session.commit()
    return article


def set_cover(article: Article, upload: Any, alt_text: str, store: Storage, *, actor: Any) -> Article:
    """The article's cover image, re-encoded like product images (shop.catalogue.uploads). Commits."""
    alt_text = " ".join((alt_text or "").split())
    if not alt_text:
        raise ArticleError("Describe the image for people who cannot see it.", "alt_text")
    key = _store_image(article, upload, store, "cover")
    old = article.cover_image
    article.cover_image, article.cover_alt = key, alt_text[:300]
    article.updated_at = utcnow()
    audit.record("article cover set", "article", article.id, f"{key}, alt “{alt_text[:80]}”", actor=actor)
    db.session.commit()
    if old:
        with contextlib.suppress(StorageError, OSError):
            store.delete(old)
    return article


def add_body_image(article: Article, upload: Any, alt_text: str, store: Storage, *, actor: Any) -> str:
    """Store an image for the article's text; returns the Markdown that shows it (to paste into the text)."""
    alt_text = " ".join((alt_text or "").split()).replace("[", "(").replace("]", ")")
    if not alt_text:
        raise ArticleError("Describe the image for people who cannot see it.", "alt_text")
    key = _store_image(article, upload, store, "image")
    audit.record("article image added", "article", article.id, key, actor=actor)
    db.session.commit()
    return f"![{alt_text[:200]}](/media/{key})"


def _store_image(article: Article, upload: Any, store: Storage, purpose: str) -> str:
    try:
        return store_image(upload, store, f"articles/{slugify(article.slug, 60) or 'article'}-{purpose}")
    except Refusal as refused:
        raise ArticleError(refused.message, "image", status=refused.status) from None


# ---- reading ------------------------------------------------------------------------------------

def _live(now: datetime) -> Any:
    return (Article.state == STATE_PUBLISHED) & (Article.publish_at <= now)


def published(page: int = 1, category_slug: str = "", now: datetime | None = None,
              per_page: int = PER_PAGE) -> ArticlePage | None:
    """A page of published articles, newest first, optionally of one category (None: no such category)."""
    now = now or utcnow()
    condition = _live(now)
    category = None
    if category_slug:
        category = db.session.scalar(select(Category).where(Category.slug == category_slug))
        if category is None:
            return None
        condition = condition & Article.categories.any(Category.id == category.id)
    total = db.session.scalar(select(func.count(Article.id)).where(condition)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(
        select(Article).where(condition).options(selectinload(Article.categories))
        .order_by(Article.publish_at.desc(), Article.id.desc()).offset((page - 1) * per_page).limit(per_page)))
    return ArticlePage(items, total, page, pages, category)


def recent(count: int = 3, now: datetime | None = None) -> list[Article]:
    return list(db.session.scalars(select(Article).where(_live(now or utcnow()))
                                   .order_by(Article.publish_at.desc(), Article.id.desc()).limit(count)))


def categories_in_use(now: datetime | None = None) -> list[Category]:
    """The categories that hold a published article (the list's filters)."""
    used = select(article_categories.c.category_id).join(Article, Article.id == article_categories.c.article_id) \
        .where(_live(now or utcnow()))
    return list(db.session.scalars(select(Category).where(Category.id.in_(used))
                                   .order_by(Category.position, Category.name)))


def by_slug(slug: str, now: datetime | None = None) -> Article | None:
    """A published article by its web address (None for a draft, a scheduled one, or no such article)."""
    return db.session.scalar(select(Article).where(Article.slug == slug, _live(now or utcnow()))
                             .options(selectinload(Article.categories), selectinload(Article.related)))


def neighbours(article: Article, now: datetime | None = None) -> Neighbours:
    """The next newer and older published articles, and the related products still on sale."""
    now = now or utcnow()
    live = _live(now)
    at, ident = article.publish_at, article.id
    newer = db.session.scalar(select(Article).where(live, or_(Article.publish_at > at, (Article.publish_at == at)
                                                              & (Article.id > ident)))
                              .order_by(Article.publish_at, Article.id).limit(1)) if at else None
    older = db.session.scalar(select(Article).where(live, or_(Article.publish_at < at, (Article.publish_at == at)
                                                              & (Article.id < ident)))
                              .order_by(Article.publish_at.desc(), Article.id.desc()).limit(1)) if at else None
    ids = [link.product_id for link in article.related]
    products = {p.id: p for p in db.session.scalars(
        select(Product).where(Product.id.in_(ids), Product.is_active == true())
        .options(selectinload(Product.images)))} if ids else {}
    return Neighbours(newer, older, [products[i] for i in ids if i in products])


def for_sitemap(now: datetime | None = None) -> list[tuple[str, datetime]]:
    """(slug, last change) of every published article, for the sitemap."""
    return [(slug, updated) for slug, updated in db.session.execute(
        select(Article.slug, Article.updated_at).where(_live(now or utcnow())).order_by(Article.id))]


# ---- marketing's list ---------------------------------------------------------------------------

def all_articles() -> list[Article]:
    return list(db.session.scalars(select(Article).order_by(Article.updated_at.desc(), Article.id.desc())))
