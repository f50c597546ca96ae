"""The articles' public pages: the list (by category, paginated), an article with the products it discusses
and its neighbours, and the Atom feed. Only published articles whose time has come are shown."""

from flask import Blueprint, Response, abort, current_app, render_template, request

from shop.catalogue import services as catalogue
from shop.content import articles, feed
from shop.core.timeutil import utcnow
from shop.storefront import seo
from shop.web import pagecache
from shop.web import structured_data as schema
from shop.web.helpers import page_arg
from shop.web.metadata import public_url

bp = Blueprint("articles", __name__)
FEED_ENTRIES = 20


@bp.get("/articles")
def index():
    page, category = page_arg(), request.args.get("category", "")[:80]

    def render():
        result = articles.published(page, category)
        if result is None:
            abort(404, description="There is no such category of articles.")
        return render_template("articles/list.html", result=result, categories=articles.categories_in_use())

    return pagecache.cached_page(("articles", page, category), render)


def article_structured_data(article):
    """Article (with its author, dates, image and publisher) and BreadcrumbList JSON-LD for an article's page."""
    config = current_app.config
    url = public_url("articles.article", slug=article.slug)
    publisher = schema.organization(config["SHOP_NAME"], public_url("catalogue.home"),
                                    telephone=config["ORDER_PHONE"], logo=public_url("static", filename="favicon.svg"))
    publisher.pop("@context", None)
    data = {"@context": schema.CONTEXT, "@type": "Article", "headline": article.title[:110],
            "description": article.summary, "url": url, "mainEntityOfPage": url,
            "datePublished": article.publish_at.isoformat() + "Z" if article.publish_at else None,
            "dateModified": article.updated_at.isoformat() + "Z" if article.updated_at else None,
            "author": {"@type": "Person", "name": article.author_name} if article.author_name else publisher,
            "publisher": publisher, "articleSection": [c.name for c in article.categories] or None,
            "image": public_url("catalogue.media", filename=article.cover_image) if article.cover_image else None}
    crumbs = [("Home", public_url("catalogue.home")), ("Articles", public_url("articles.index")), (article.title, url)]
    return schema.script_tag({k: v for k, v in data.items() if v not in (None, "", [])},
                             schema.breadcrumb_list(crumbs))


@bp.get("/articles/<slug>")
def article(slug):
    if len(slug) > 160:
        abort(404)

    def render():
        found = articles.by_slug(slug)
        if found is None:
            abort(404, description="There is no such article.")
        low = current_app.config["LOW_STOCK_THRESHOLD"]
        return render_template("articles/article.html", article=found, around=articles.neighbours(found),
                               availability=lambda p: catalogue.availability(p, low), preview=False, now=utcnow(),
                               structured=article_structured_data(found),
                               cover_url=public_url("catalogue.media", filename=found.cover_image)
                               if found.cover_image else None)

    return pagecache.cached_page(("article", slug), render)


@bp.get("/articles/feed.xml")
def atom_feed():
    entries = [feed.FeedEntry(url=public_url("articles.article", slug=a.slug), title=a.title, summary=a.summary,
                              author=a.author_name, published=a.publish_at, updated=a.updated_at)
               for a in articles.recent(FEED_ENTRIES)]
    body = feed.atom(title=f"{current_app.config['SHOP_NAME']}: articles", feed_url=public_url("articles.atom_feed"),
                     site_url=public_url("articles.index"), author=current_app.config["SHOP_NAME"], entries=entries)
    return Response(body, mimetype="application/atom+xml", headers={"Cache-Control": "public, max-age=300"})


@seo.sitemap_source
def article_pages():
    """Every published article, and the list when there is one."""
    found = articles.for_sitemap()
    if found:
        yield public_url("articles.index"), max(updated for _slug, updated in found)
    for slug, updated in found:
        yield public_url("articles.article", slug=slug), updated
