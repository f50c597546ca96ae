"""Storefront views: home, catalogue listing and search, product pages, special offers, media."""

import mimetypes

from flask import Blueprint, abort, current_app, render_template, request

from shop.catalogue import services
from shop.catalogue.models import KIND_COMBO, KIND_COURSE, KIND_LABELS, KIND_PLURALS
from shop.content import articles
from shop.core import storage
from shop.core.timeutil import local_today
from shop.courses import approvals as course_approvals
from shop.promotions import offers as promotion_offers
from shop.storefront.directory_forms import SearchForm
from shop.web import pagecache

bp = Blueprint("catalogue", __name__)


def _low_stock():
    return current_app.config["LOW_STOCK_THRESHOLD"]


@bp.get("/")
def home():
    def render():
        sections = services.home_sections()
        return render_template(
            "catalogue/home.html",
            sections=sections,
            availability=lambda p: services.availability(p, _low_stock()),
            comparison=services.combo_comparison,
            recent_articles=articles.recent(3),
            directory_form=SearchForm(formdata=None),
        )

    return pagecache.cached_page(("home",), render)


def _listing_page(template, endpoint):
    try:
        query = services.ListingQuery.from_args(request.args)
    except services.ListingError as error:
        abort(error.status, description=str(error))

    def render():
        try:
            result = services.listing(query, current_app.config["CATALOGUE_PAGE_SIZE"])
        except services.ListingError as error:
            abort(error.status, description=str(error))
        return render_template(
            template,
            listing=result,
            endpoint=endpoint,
            categories=services.categories(),
            sorts=services.SORTS,
            kinds=KIND_PLURALS,
            availability=lambda p: services.availability(p, _low_stock()),
        )

    return pagecache.cached_page((endpoint, query), render)


@bp.get("/catalogue")
def catalogue():
    return _listing_page("catalogue/listing.html", "catalogue.catalogue")


@bp.get("/search")
def search():
    return _listing_page("catalogue/search.html", "catalogue.search")


@bp.get("/products/<slug>")
def product(slug):
    if len(slug) > 160:
        abort(404)

    def render():
        item = services.product_by_slug(slug)
        if item is None:
            abort(404, description="We could not find that product. It may have been retired.")
        return render_template(
            "catalogue/product.html",
            product=item,
            availability=services.availability(item, _low_stock()),
            comparison=services.combo_comparison(item) if item.kind == KIND_COMBO else None,
            related=services.related_products(item),
            kind_labels=KIND_LABELS,
            offer=promotion_offers.product_offer(item),
            approvals=course_approvals.valid_on(item.id, local_today(current_app.config["SHOP_TIMEZONE"]))
            if item.kind == KIND_COURSE else [],
        )

    return pagecache.cached_page(("product", slug), render)


@bp.get("/offers")
def offers():
    def render():
        return render_template(
            "catalogue/offers.html",
            offers=services.special_offers(),
            promotions=promotion_offers.special_offers(),
            comparison=services.combo_comparison,
        )

    return pagecache.cached_page(("offers",), render)


@bp.get("/media/<path:filename>")
def media(filename):
    """Public files (product images, article pictures): from the disk, or a signed URL of the object store.
    In production nginx serves MEDIA_ROOT itself when the files are on the disk."""
    store = storage.public()
    if not store.exists(filename):
        abort(404)
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return store.send(filename, mimetype=mimetype, max_age=86400)
