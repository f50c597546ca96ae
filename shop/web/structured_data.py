"""schema.org JSON-LD for search engines: one function per type, taking plain values, and the script tag.

Each builder returns a dict; `script_tag(data)` writes it as `<script type="application/ld+json">`. The JSON is
escaped for an HTML script element: `<`, `>` and `&` (and the two JavaScript line separators) become \\u003c and
so on, so a product title holding `</script>` or `<!--` cannot end the element or change how a browser reads it.
A data block is never run, so the Content-Security-Policy (no inline script) does not stand in its way.

Pages build their own values and call these (shop.storefront.seo for the catalogue). A new type is one more
function here, e.g. `article(headline, url, author, published, modified, image)` returning
{"@context": CONTEXT, "@type": "Article", ...}, written on its page with script_tag.
"""

import json
from decimal import Decimal
from typing import Any

from markupsafe import Markup

CONTEXT = "https://schema.org"
AVAILABILITY = {  # schema.org's ItemAvailability values the shop uses
    "in_stock": "https://schema.org/InStock",
    "limited": "https://schema.org/LimitedAvailability",
    "out_of_stock": "https://schema.org/OutOfStock",
}
_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_INTERVAL_CODES = {"month": "MON", "year": "ANN"}  # UN/CEFACT unit codes for a subscription's billing period


def to_script_json(data: Any) -> str:
    """`data` as JSON that is safe as the text of an HTML script element (and still the same JSON)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


def script_tag(*items: dict[str, Any]) -> Markup:
    """One `<script type="application/ld+json">` per item (none for none)."""
    tags = "".join(f'<script type="application/ld+json">{to_script_json(item)}</script>' for item in items if item)
    return Markup(tags)  # noqa: S704 (JSON with every <, > and & escaped: nothing in it can end the element)


def price_text(cents: int) -> str:
    """Integer cents as schema.org's decimal price text: 4995 -> '49.95', 100000 -> '1000.00'."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{units}.{rest:02d}"


def iso_duration(hours: Decimal | int | None) -> str | None:
    """Hours as an ISO 8601 duration: 6 -> 'PT6H', Decimal('1.5') -> 'PT1H30M'; None for none."""
    if hours is None or Decimal(hours) <= 0:
        return None
    minutes = int((Decimal(hours) * 60).to_integral_value())
    whole, rest = divmod(minutes, 60)
    return "PT" + (f"{whole}H" if whole else "") + (f"{rest}M" if rest else "")


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def organization(name: str, url: str, telephone: str = "", email: str = "", logo: str = "") -> dict[str, Any]:
    contact = _without_empty({"@type": "ContactPoint", "contactType": "sales", "telephone": telephone,
                              "email": email, "availableLanguage": "English"}) if telephone or email else None
    return _without_empty({"@context": CONTEXT, "@type": "Organization", "name": name, "url": url, "logo": logo,
                           "telephone": telephone, "email": email, "contactPoint": contact})


def offer(price_cents: int, currency: str, availability: str, url: str, *, category: str = "",
          billing_interval: str = "") -> dict[str, Any]:
    """An Offer at this price; `availability` a key of AVAILABILITY; a subscription says its billing period."""
    price = price_text(price_cents)
    unit = _INTERVAL_CODES.get(billing_interval)
    per = {"@type": "QuantitativeValue", "value": 1, "unitCode": unit}
    specification = ({"@type": "UnitPriceSpecification", "price": price, "priceCurrency": currency,
                      "referenceQuantity": per} if unit else None)
    return _without_empty({"@type": "Offer", "url": url, "price": price, "priceCurrency": currency,
                           "availability": AVAILABILITY[availability], "category": category,
                           "priceSpecification": specification})


def product(name: str, url: str, description: str, offers: dict[str, Any], *, sku: str = "", image: str = "",
            brand: str = "", extra_types: tuple[str, ...] = (), **more: Any) -> dict[str, Any]:
    """A Product (with `extra_types`, e.g. ("Book",), for a thing that is also of another type)."""
    kinds: str | list[str] = ["Product", *extra_types] if extra_types else "Product"
    return _without_empty({"@context": CONTEXT, "@type": kinds, "name": name, "url": url, "description": description,
                           "sku": sku, "image": image, "brand": {"@type": "Brand", "name": brand} if brand else None,
                           "offers": offers, **more})


def book(name: str, url: str, description: str, offers: dict[str, Any], *, author: str = "", isbn: str = "",
         pages: int | None = None, publisher: str = "", sku: str = "", image: str = "") -> dict[str, Any]:
    """A printed book for sale: a Product that is also a Book (so its Offer reads as a product's)."""
    return product(name, url, description, offers, sku=sku, image=image, extra_types=("Book",),
                   author={"@type": "Person", "name": author} if author else None, isbn=isbn or None,
                   numberOfPages=pages or None, bookFormat="https://schema.org/Paperback",
                   publisher={"@type": "Organization", "name": publisher} if publisher else None)


def course(name: str, url: str, description: str, provider: dict[str, Any], offers: dict[str, Any], *,
           hours: Decimal | None = None, mode: str = "online", instructor: str = "", image: str = "",
           credential: str = "") -> dict[str, Any]:
    """A Course from `provider` (an organization()), taken in `mode`, with its workload in hours."""
    instance = _without_empty({"@type": "CourseInstance", "courseMode": mode, "courseWorkload": iso_duration(hours),
                               "instructor": {"@type": "Person", "name": instructor} if instructor else None})
    provider = {key: value for key, value in provider.items() if key in ("@type", "name", "url", "logo")}
    return _without_empty({"@context": CONTEXT, "@type": "Course", "name": name, "url": url,
                           "description": description, "provider": provider, "offers": offers, "image": image,
                           "hasCourseInstance": instance, "educationalCredentialAwarded": credential,
                           "inLanguage": "en"})


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict[str, Any]:
    """A BreadcrumbList of (name, absolute url), from the home page down to this page."""
    items = [{"@type": "ListItem", "position": n, "name": name, "item": url}
             for n, (name, url) in enumerate(crumbs, start=1)]
    return {"@context": CONTEXT, "@type": "BreadcrumbList", "itemListElement": items}
