"""Find a professional: therapists' listings (made by the owner, public once staff approve), the search by ZIP
code and radius, city, state, modality and name, and the CE hours each owner completed with us (from their
certificates). Contacting a professional is shop.content.directory_contact.
"""

import contextlib
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from shop.accounts.licences import US_STATES
from shop.catalogue.admin import slugify
from shop.catalogue.uploads import store_image
from shop.content import geo
from shop.content.models import (
    LISTING_APPROVED,
    LISTING_HIDDEN,
    LISTING_PENDING,
    LISTING_REJECTED,
    LISTING_WITHDRAWN,
    MODALITIES,
    Listing,
    ListingModality,
)
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.storage import Storage, StorageError
from shop.core.text import like_pattern
from shop.core.timeutil import utcnow
from shop.courses.models import Certificate
from shop.extensions import db
from shop.mail import messages

RADII = (10, 25, 50, 100)
PER_PAGE = 20
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)


class DirectoryError(Refusal):
    """A refusal whose message is safe to show; `field` names the form field it is about, if any."""


@dataclass(frozen=True)
class ListingInput:
    practice_name: str
    full_name: str
    city: str
    state: str
    zip_code: str
    modalities: tuple[str, ...] = ()
    street: str = ""
    show_street: bool = False
    phone: str = ""
    website: str = ""
    bio: str = ""


@dataclass(frozen=True)
class Search:
    zip_code: str = ""
    radius: int = 25
    place: str = ""  # a city or a state
    modality: str = ""
    name: str = ""
    page: int = 1


@dataclass
class Found:
    listing: Listing
    miles: float | None = None


@dataclass
class Results:
    items: list[Found]
    total: int
    page: int
    pages: int
    origin: geo.Place | None = None
    message: str = ""


@dataclass
class Studied:
    """What a listing's owner completed with us: CE hours and the courses, each with its certificate."""

    hours: Decimal = Decimal(0)
    certificates: list[Certificate] = field(default_factory=list)


# ---- the owner's listing ------------------------------------------------------------------------

def listing_of(user: Any) -> Listing | None:
    return db.session.scalar(select(Listing).where(Listing.user_id == user.id))


def _checked(data: ListingInput) -> tuple[geo.Place, str, list[str]]:
    errors = {}
    for name, label in (("practice_name", "your practice's name"), ("full_name", "your name"),
                        ("city", "the city")):
        if not " ".join((getattr(data, name) or "").split()):
            errors[name] = f"Enter {label}."
    state = (data.state or "").strip().upper()
    if state not in US_STATES:
        errors["state"] = "Choose the state."
    place = geo.place_for_zip(data.zip_code)
    if place is None:
        errors["zip_code"] = "Enter the practice's 5-digit US ZIP code (we could not find that one)."
    elif state in US_STATES and place.state and place.state != state:
        errors["zip_code"] = f"That ZIP code is in {US_STATES.get(place.state, place.state)}, not {US_STATES[state]}."
    modalities = [m for m in dict.fromkeys(data.modalities) if m in MODALITIES]
    if not modalities:
        errors["modalities"] = "Choose at least one kind of work you do."
    website = (data.website or "").strip()
    if website and (not _WEBSITE.match(website) or not urlsplit(website).hostname):
        errors["website"] = "Give the full address of your website, starting with https://."
    if errors:
        raise DirectoryError("Please check the highlighted fields.", errors=errors)
    assert place is not None
    return place, state, modalities


def _slug_for(data: ListingInput, listing: Listing | None) -> str:
    if listing is not None:
        return listing.slug
    base = slugify(f"{data.practice_name} {data.city}", 100) or "practice"
    slug = base
    while db.session.scalar(select(Listing.id).where(Listing.slug == slug)) is not None:
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


def save_listing(user: Any, data: ListingInput) -> Listing:
    """Create or edit the owner's listing; it waits for staff again after every edit. Commits."""
    place, state, modalities = _checked(data)
    listing = listing_of(user)
    creating = listing is None
    if listing is None:
        listing = Listing(user_id=user.id, slug=_slug_for(data, None))
        db.session.add(listing)
    listing.practice_name = " ".join(data.practice_name.split())[:160]
    listing.full_name = " ".join(data.full_name.split())[:160]
    listing.city, listing.state, listing.zip_code = " ".join(data.city.split())[:120], state, place.zip_code
    listing.latitude, listing.longitude = place.latitude, place.longitude
    listing.street, listing.show_street = (data.street or "").strip()[:200], bool(data.show_street)
    listing.phone, listing.website = (data.phone or "").strip()[:40], (data.website or "").strip()[:300]
    listing.bio = (data.bio or "").strip()[:2000]
    listing.modality_rows = [ListingModality(modality=m) for m in modalities]
    listing.status, listing.status_reason = LISTING_PENDING, ""
    listing.updated_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # a listing saved at the same moment (a double click, another tab) took its place
        db.session.rollback()
        raise DirectoryError("Another save of this listing arrived at the same moment. Reload this page to see "
                             "what is saved, then send your changes again.", status=409) from None
    audit.record("listing created" if creating else "listing edited", "listing", listing.id,
                 f"{listing.practice_name}, {listing.city} {listing.state}: waiting for review", actor=user)
    db.session.commit()
    return listing


def set_photo(listing: Listing, upload: Any, store: Storage, *, actor: Any) -> Listing:
    try:
        key = store_image(upload, store, f"directory/{listing.slug[:60]}")
    except Refusal as refused:
        raise DirectoryError(refused.message, "photo", status=refused.status) from None
    old, listing.photo = listing.photo, key
    listing.updated_at = utcnow()
    audit.record("listing photo set", "listing", listing.id, key, actor=actor)
    db.session.commit()
    if old:
        with contextlib.suppress(StorageError, OSError):
            store.delete(old)
    return listing


def withdraw(listing: Listing, *, actor: Any) -> None:
    """The owner takes the listing down (it can be sent for review again by saving it)."""
    listing.status, listing.status_reason = LISTING_WITHDRAWN, ""
    audit.record("listing withdrawn", "listing", listing.id, "Taken down by its owner.", actor=actor)
    db.session.commit()


# ---- staff's review -----------------------------------------------------------------------------

def review(listing: Listing, decision: str, reason: str, *, actor: Any) -> Listing:
    """approve, hide or reject (a reject or a hide needs a reason, e-mailed to the owner). Commits."""
    reason = " ".join((reason or "").split())[:1000]
    if decision not in ("approve", "hide", "reject"):
        raise DirectoryError("Choose approve, hide or reject.", "decision")
    if decision != "approve" and not reason:
        raise DirectoryError("Give the reason: the owner is told it by e-mail.", "reason")
    if listing.status == LISTING_WITHDRAWN:
        raise DirectoryError("Its owner took this listing down; it cannot be changed until they send it again.",
                             status=409)
    listing.status = {"approve": LISTING_APPROVED, "hide": LISTING_HIDDEN, "reject": LISTING_REJECTED}[decision]
    listing.status_reason = reason if decision != "approve" else ""
    if decision == "approve":
        listing.approved_at = utcnow()
    audit.record(f"listing {listing.status}", "listing", listing.id, reason or listing.practice_name, actor=actor)
    messages.send("directory_review", listing.owner.email,
                  "Your listing is live" if decision == "approve" else "About your directory listing",
                  {"listing": listing, "decision": decision, "reason": reason,
                   "listing_url": messages.absolute_url("directory.listing", slug=listing.slug),
                   "edit_url": messages.absolute_url("directory.my_listing")})
    db.session.commit()
    return listing


def for_review(status: str = LISTING_PENDING) -> list[Listing]:
    query = select(Listing).order_by(Listing.updated_at.desc(), Listing.id.desc())
    if status:
        query = query.where(Listing.status == status)
    return list(db.session.scalars(query.limit(500)))


def counts_by_status() -> dict[str, int]:
    return dict(db.session.execute(select(Listing.status, func.count(Listing.id)).group_by(Listing.status)).all())


# ---- the public search --------------------------------------------------------------------------

def search(query: Search) -> Results:
    """Approved listings matching `query`: within the radius of a ZIP code (nearest first), else by name."""
    condition = Listing.status == LISTING_APPROVED
    origin, message = None, ""
    if query.zip_code:
        origin = geo.place_for_zip(query.zip_code)
        if origin is None:
            return Results([], 0, 1, 1, None, f"We could not find the ZIP code “{query.zip_code[:10]}”. "
                                               "Check it, or search by city or state instead.")
        low_lat, high_lat, low_lng, high_lng = geo.bounding_box(origin.latitude, origin.longitude, query.radius)
        condition &= Listing.latitude.between(low_lat, high_lat) & Listing.longitude.between(low_lng, high_lng)
    place = " ".join(query.place.split())
    if place:
        state = next((code for code, name in US_STATES.items()
                      if place.upper() == code or place.lower() == name.lower()), None)
        condition &= (Listing.state == state) if state else func.lower(Listing.city).like(like_pattern(place),
                                                                                          escape="\\")
    if query.modality in MODALITIES:
        condition &= Listing.modality_rows.any(ListingModality.modality == query.modality)
    if query.name:
        pattern = like_pattern(" ".join(query.name.split()))
        condition &= or_(func.lower(Listing.full_name).like(pattern, escape="\\"),
                         func.lower(Listing.practice_name).like(pattern, escape="\\"))
    rows = list(db.session.scalars(select(Listing).where(condition).order_by(Listing.practice_name, Listing.id)
                                   .limit(5000)))
    found = [Found(row) for row in rows]
    if origin is not None:
        for item in found:
            item.miles = geo.miles_between(origin.latitude, origin.longitude, item.listing.latitude,
                                           item.listing.longitude)
        found = sorted((f for f in found if f.miles is not None and f.miles <= query.radius),
                       key=lambda f: (f.miles, f.listing.practice_name))
    total = len(found)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(query.page, 1), pages)
    return Results(found[(page - 1) * PER_PAGE: page * PER_PAGE], total, page, pages, origin, message)


def public_listing(slug: str) -> Listing | None:
    return db.session.scalar(select(Listing).where(Listing.slug == slug, Listing.status == LISTING_APPROVED))


def for_sitemap() -> list[tuple[str, Any]]:
    """(slug, last change) of every approved listing."""
    return [(slug, updated) for slug, updated in db.session.execute(
        select(Listing.slug, Listing.updated_at).where(Listing.status == LISTING_APPROVED).order_by(Listing.id))]


def studied(listing: Listing) -> Studied:
    """The owner's certificates still standing (not revoked), newest first, and their CE hours in all."""
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == listing.user_id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.completed_on.desc(), Certificate.id.desc())))
    return Studied(sum((Decimal(str(c.ce_hours)) for c in certificates), Decimal(0)), certificates)


def studied_hours(listings: list[Listing]) -> dict[int, Decimal]:
    """{owner's user id: CE hours completed with us} for a page of results, in one query."""
    ids = {listing.user_id for listing in listings}
    if not ids:
        return {}
    return {user_id: Decimal(str(hours)) for user_id, hours in db.session.execute(
        select(Certificate.user_id, func.sum(Certificate.ce_hours))
        .where(Certificate.user_id.in_(ids), Certificate.revoked_at.is_(None)).group_by(Certificate.user_id))}
