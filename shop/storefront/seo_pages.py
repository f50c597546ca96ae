"""The catalogue's pages as search engines and link previews read them: descriptions, listing canonical URLs,
images, and JSON-LD (a Product with its Offer, the book as Product + Book, a course as a Course, the breadcrumbs,
the Organization on the home page), built with shop.web.structured_data from what the page itself shows.

Each function here is a template global (registered by shop.storefront.seo).
"""

from decimal import Decimal

from flask import current_app

from shop.catalogue.models import KIND_BOOK, KIND_COURSE, KIND_MEMBERSHIP, KIND_PLURALS
from shop.catalogue.services import DEFAULT_SORT, ListingQuery
from shop.membership import plan
from shop.web import structured_data as schema
from shop.web.metadata import meta_description, public_url

# the catalogue's availability codes (shop.catalogue.services.availability) as schema.org's
AVAILABILITY = {"in_stock": "in_stock", "low_stock": "limited", "out_of_stock": "out_of_stock"}
CREDENTIAL = "Certificate of achievement"


def _one_line(text):
    return " ".join((text or "").split())


def _hours(value):
    """Decimal('6.50') -> '6.5 CE hours' (as the product page says it)."""
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return f"{text} CE hour" + ("" if text == "1" else "s")


def product_description(product):
    """The product's summary for a meta description (about 160 characters), or a sentence saying what it is."""
    text = _one_line(product.summary) or _one_line(product.subtitle)
    if not text:
        text = f"{product.title}: {product.kind_label.lower()} from {current_app.config['SHOP_NAME']}."
    return meta_description(text)


def listing_description(listing):
    """A category's description for its listing's meta description; None for other listings (the default)."""
    category = listing.category
    if category is None:
        return None
    text = _one_line(category.description) or (
        f"{category.name}: home-study CE courses and books for massage and manual therapists.")
    return meta_description(text)


def product_image_url(product):
    """The absolute URL of the product's main image, or None."""
    image = product.image
    return public_url("catalogue.media", filename=image.filename) if image is not None else None


def listing_canonical_args(query: ListingQuery, searching: bool = False) -> dict:
    """The query arguments of a listing's canonical URL.

    A listing is the catalogue, a category's or a product kind's (the menu's Courses, Books, Combo deals); its
    canonical URL drops the sort, a search, page=1 and any filter beyond that (a kind within a category). A later
    page of a plain listing keeps its page number (it lists other products); a later page of a sorted, searched or
    filtered one is canonical to the plain listing. Search results are canonical to the plain search page.
    """
    if searching:
        return {}
    identity = {"category": query.category} if query.category else {"kind": query.kind} if query.kind else {}
    narrowed = bool(query.q) or query.sort != DEFAULT_SORT or bool(query.kind and query.category)
    if query.page > 1 and not narrowed:
        identity["page"] = query.page
    return identity


def listing_canonical(listing, endpoint):
    return public_url(endpoint, **listing_canonical_args(listing.query, searching=endpoint == "catalogue.search"))


def _organization():
    config = current_app.config
    return schema.organization(config["SHOP_NAME"], public_url("catalogue.home"), telephone=config["ORDER_PHONE"],
                               email=config["CONTACT_EMAIL"], logo=public_url("static", filename="favicon.svg"))


def home_structured_data():
    return schema.script_tag(_organization())


def product_breadcrumbs(product):
    return [("Home", public_url("catalogue.home")),
            (KIND_PLURALS[product.kind], public_url("catalogue.catalogue", kind=product.kind)),
            (product.title, public_url("catalogue.product", slug=product.slug))]


def _product_schema(product, availability, offer):
    url = public_url("catalogue.product", slug=product.slug)
    image = product_image_url(product) or ""
    deal = schema.offer(offer.after_cents if offer else product.price_cents, product.currency,
                        AVAILABILITY.get(availability.code, "in_stock"), url,
                        category="Paid" if product.kind == KIND_COURSE else "",
                        billing_interval=plan.interval_of(product) if product.kind == KIND_MEMBERSHIP else "")
    summary = _one_line(product.summary) or _one_line(product.subtitle) or product.title
    if product.kind == KIND_BOOK:
        return schema.book(product.title, url, summary, deal, author=product.author, isbn=product.isbn,
                           pages=product.page_count, publisher=current_app.config["SHOP_NAME"], sku=product.sku,
                           image=image)
    if product.kind == KIND_COURSE:
        hours = _hours(product.ce_hours) if product.ce_hours is not None else ""
        description = f"{summary} Home study, {hours}." if hours else summary
        return schema.course(product.title, url, description, _organization(), deal, hours=product.ce_hours,
                             instructor=product.author, image=image,
                             credential=f"{CREDENTIAL} ({hours})" if hours else CREDENTIAL)
    return schema.product(product.title, url, summary, deal, sku=product.sku, image=image,
                          brand=current_app.config["SHOP_NAME"])


def product_structured_data(product, availability, offer=None):
    """The product page's JSON-LD: the product (at the price the page shows) and its breadcrumbs."""
    return schema.script_tag(_product_schema(product, availability, offer),
                             schema.breadcrumb_list(product_breadcrumbs(product)))


def listing_breadcrumbs(listing):
    crumbs = [("Home", public_url("catalogue.home")), ("All products", public_url("catalogue.catalogue"))]
    if listing.category is not None:
        crumbs.append((listing.category.name, public_url("catalogue.catalogue", category=listing.category.slug)))
    elif listing.query.kind:
        crumbs.append((KIND_PLURALS[listing.query.kind], public_url("catalogue.catalogue", kind=listing.query.kind)))
    return crumbs


def listing_structured_data(listing):
    """A listing's BreadcrumbList (Home, All products, then its category or kind)."""
    return schema.script_tag(schema.breadcrumb_list(listing_breadcrumbs(listing)))
