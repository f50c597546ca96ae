"""Search engines: /sitemap.xml from a registry of sitemap sources, /robots.txt, and each page's canonical link.

A sitemap source is a function taking nothing and returning (absolute url, last change) pairs, the change a
stored time, a date or None. Add one where its pages' routes live, with the decorator:

    @seo.sitemap_source
    def article_pages():
        return ((public_url("articles.article", slug=slug), updated_at) for slug, updated_at in ...)

(or put it in SITEMAP_SOURCES here). The sitemap takes the sources in order and stops at the protocol's 50,000
URLs (a longer list needs a sitemap index). Canonical links: a page's own URL without its query string; a
catalogue listing's is the plain listing (shop.storefront.seo_pages.listing_canonical_args, beside the JSON-LD
and the texts of the catalogue's pages); templates reach both through the globals registered here.
"""

import itertools
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime
from urllib.parse import urlsplit

from flask import Blueprint, Response, render_template, request
from jinja2 import pass_context

from shop.catalogue import sitemap as catalogue_sitemap
from shop.catalogue.models import KIND_BOOK, KIND_COMBO, KIND_COURSE, KIND_MEMBERSHIP
from shop.membership import plan
from shop.storefront import pages, seo_pages
from shop.web import pagecache
from shop.web.metadata import lastmod, meta_description, public_url

log = logging.getLogger(__name__)
bp = Blueprint("seo", __name__)

MAX_URLS = 50_000  # the sitemap protocol's limit for one file
# Areas search engines are asked to keep out of (robots.txt); their pages carry no canonical link either.
PRIVATE_PREFIXES = ("/backoffice/", "/marketing/", "/cart", "/checkout", "/account", "/my/", "/pay/", "/orders/",
                    "/dev/")
LISTED_KINDS = (KIND_COURSE, KIND_BOOK, KIND_COMBO)  # the main menu's listings

SitemapEntry = tuple[str, datetime | date | None]
SITEMAP_SOURCES: list[Callable[[], Iterable[SitemapEntry]]] = []


def sitemap_source(source: Callable[[], Iterable[SitemapEntry]]) -> Callable[[], Iterable[SitemapEntry]]:
    """Add `source` to the sitemap (as a decorator); returns it unchanged."""
    if source not in SITEMAP_SOURCES:
        SITEMAP_SOURCES.append(source)
    return source


def _latest(*times):
    return max((t for t in times if t is not None), default=None)


@sitemap_source
def storefront_pages():
    """The home page, the catalogue and its menu listings, the offers, the membership, the information pages."""
    kinds = catalogue_sitemap.latest_change_by_kind()
    everything = _latest(*kinds.values(), catalogue_sitemap.latest_category_change())
    yield public_url("catalogue.home"), everything
    yield public_url("catalogue.catalogue"), everything
    for kind in LISTED_KINDS:
        if kind in kinds:
            yield public_url("catalogue.catalogue", kind=kind), kinds[kind]
    yield public_url("catalogue.offers"), _latest(kinds.get(KIND_COMBO), kinds.get(KIND_MEMBERSHIP))
    try:
        membership = plan.plan_product()
    except plan.PlanUnavailable:
        membership = None
    if membership is not None:
        yield public_url("membership.join_page"), membership.updated_at
    for name in pages.PAGES:
        yield public_url("pages.page", name=name), None


@sitemap_source
def category_listings():
    for slug, changed in catalogue_sitemap.categories(MAX_URLS):
        yield public_url("catalogue.catalogue", category=slug), changed


@sitemap_source
def product_pages():
    for slug, changed in catalogue_sitemap.products_on_sale(MAX_URLS):
        yield public_url("catalogue.product", slug=slug), changed


def sitemap_entries(limit=MAX_URLS):
    """[(url, W3C lastmod or None)] from every source in turn, at most `limit`."""
    entries = []
    for source in SITEMAP_SOURCES:
        room = limit - len(entries)
        entries += [(url, lastmod(changed)) for url, changed in itertools.islice(source(), room)]
        if len(entries) >= limit:
            log.warning("The sitemap reached %s URLs: the rest are left out (split it with a sitemap index)", limit)
            break
    return entries


@bp.get("/sitemap.xml")
def sitemap():
    body = pagecache.cached_page(("seo.sitemap",),
                                 lambda: render_template("seo/sitemap.xml", entries=sitemap_entries()))
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    root = urlsplit(public_url("catalogue.home")).path.rstrip("/")  # the shop's path when it is not at the root
    text = render_template("seo/robots.txt", disallowed=[root + prefix for prefix in PRIVATE_PREFIXES],
                           sitemap_url=public_url("seo.sitemap"))
    return Response(text, mimetype="text/plain")


def is_private(path):
    return path.startswith(PRIVATE_PREFIXES) or path.rstrip("/") in {p.rstrip("/") for p in PRIVATE_PREFIXES}


@bp.app_template_global()
@pass_context
def canonical_url(context):
    """This page's URL without its query string; None for an error page or a private area's page."""
    if request.endpoint is None or (context.name or "").startswith("errors/") or is_private(request.path):
        return None
    return public_url(request.endpoint, **(request.view_args or {}))


bp.add_app_template_filter(meta_description, "meta_description")
for _helper in (seo_pages.listing_canonical, seo_pages.listing_description, seo_pages.product_description,
                seo_pages.product_image_url, seo_pages.product_structured_data, seo_pages.listing_structured_data,
                seo_pages.home_structured_data):
    bp.add_app_template_global(_helper)
