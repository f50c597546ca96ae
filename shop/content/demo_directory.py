"""The demo's "Find a professional": fifteen approved listings over several states (a few near each other, so a
ZIP-code search has something to sort), four of them with certificates earned with us. The owners' accounts
get a random password (nobody signs in as them). `load_demo_directory()` adds what is missing."""

import secrets
from datetime import timedelta

from sqlalchemy import select

from shop.accounts import admin as users_admin
from shop.accounts.services import user_by_email
from shop.catalogue.models import Product
from shop.content import directory
from shop.content.models import LISTING_APPROVED
from shop.core.timeutil import local_today, utcnow
from shop.courses import certificates
from shop.courses.models import ExamAttempt
from shop.extensions import db

# (practice, name, city, state, ZIP, modalities, phone, courses passed with us (slugs))
LISTINGS = [
    ("Casco Bay Soft Tissue", "Dana Whitcomb", "Portland", "ME", "04101",
     ("soft-tissue-release", "trigger-point", "sports-massage"), "207 555 0110",
     ("soft-tissue-release-foundations", "trigger-point-therapy-neck-shoulders")),
    ("Knightville Massage Studio", "Ellis Park", "South Portland", "ME", "04106",
     ("swedish", "deep-tissue", "myofascial-release"), "207 555 0123", ("myofascial-release-principles",)),
    ("Brunswick Bodywork", "Robin Asare", "Brunswick", "ME", "04011", ("trigger-point", "neuromuscular"),
     "207 555 0188", ()),
    ("Back Bay Manual Therapy", "Priya Natarajan", "Boston", "MA", "02116",
     ("myofascial-release", "orthopedic", "physical-therapy"), "617 555 0142", ()),
    ("Hudson Valley Massage", "Marcus Bell", "Kingston", "NY", "12401", ("swedish", "prenatal"), "845 555 0101",
     ()),
    ("Brooklyn Sports Recovery", "Lena Hoffmann", "Brooklyn", "NY", "11215",
     ("sports-massage", "assisted-stretching", "soft-tissue-release"), "718 555 0177",
     ("assisted-stretching-for-therapists",)),
    ("Blue Ridge Therapeutic Massage", "Owen Castillo", "Asheville", "NC", "28801",
     ("deep-tissue", "trigger-point"), "828 555 0190", ()),
    ("Gulf Coast Myofascial", "Tessa Grant", "St. Petersburg", "FL", "33701",
     ("myofascial-release", "lymphatic"), "727 555 0133", ("myofascial-release-thoracic-spine",)),
    ("Hill Country Bodywork", "Diego Ramirez", "Austin", "TX", "78701", ("sports-massage", "deep-tissue"),
     "512 555 0164", ()),
    ("Mission Street Massage", "Grace Liu", "San Francisco", "CA", "94110", ("swedish", "prenatal", "lymphatic"),
     "415 555 0105", ()),
    ("Front Range Sports Massage", "Caleb Stone", "Denver", "CO", "80202",
     ("sports-massage", "assisted-stretching"), "303 555 0118", ()),
    ("Lakeview Neuromuscular", "Amara Okafor", "Chicago", "IL", "60657", ("neuromuscular", "trigger-point"),
     "773 555 0151", ()),
    ("Cascade Manual Therapy", "Ingrid Larsen", "Seattle", "WA", "98103", ("orthopedic", "soft-tissue-release"),
     "206 555 0129", ()),
    ("Rose City Stretch & Release", "Noah Fischer", "Portland", "OR", "97214",
     ("assisted-stretching", "soft-tissue-release"), "503 555 0172", ()),
    ("Peachtree Massage Therapy", "Keisha Moore", "Atlanta", "GA", "30309", ("swedish", "deep-tissue"),
     "404 555 0146", ()),
]


def _owner(practice: str, name: str):
    email = f"demo.{directory.slugify(practice, 40)}@example.com"
    user = user_by_email(email)
    if user is None:
        user = users_admin.create_user(email, secrets.token_urlsafe(24), "customer", name)
    return user


def _pass_courses(user, slugs: tuple[str, ...], tz_name: str) -> None:
    """A passed exam and its certificates for each course, as a real pass makes them (valid approvals only)."""
    for index, slug in enumerate(slugs):
        product = db.session.scalar(select(Product).where(Product.slug == slug))
        if product is None:
            continue
        attempt = db.session.scalar(select(ExamAttempt).where(ExamAttempt.user_id == user.id,
                                                              ExamAttempt.product_id == product.id))
        if attempt is None:
            attempt = ExamAttempt(user_id=user.id, product_id=product.id, number=1, layout=[], passed=True,
                                  score_percent=90, submitted_at=utcnow() - timedelta(days=30 * (index + 1)))
            db.session.add(attempt)
            db.session.flush()
        certificates.issue_for_pass(user, product, attempt, today=local_today(tz_name, attempt.submitted_at))
    db.session.commit()


def load_demo_directory(tz_name: str) -> int:
    """Add the demo listings that are missing (approved at once); returns how many were added."""
    added = 0
    for practice, name, city, state, zip_code, modalities, phone, passed in LISTINGS:
        user = _owner(practice, name)
        if directory.listing_of(user) is None:
            listing = directory.save_listing(user, directory.ListingInput(
                practice_name=practice, full_name=name, city=city, state=state, zip_code=zip_code,
                modalities=modalities, phone=phone,
                bio=f"{name} works with clients in and around {city}. New clients welcome; call or write to book."))
            listing.status, listing.approved_at = LISTING_APPROVED, utcnow()
            db.session.commit()
            added += 1
        _pass_courses(user, passed, tz_name)
    return added
