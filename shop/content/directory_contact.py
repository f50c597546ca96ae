"""Contacting a professional: a visitor's message e-mailed to the listing's owner (whose address the visitor never
sees), rate-limited per visitor and per listing."""

from datetime import timedelta

from shop.accounts import ratelimit
from shop.content.directory import DirectoryError
from shop.content.models import Listing
from shop.core import audit
from shop.extensions import db
from shop.mail import messages

CONTACT_PER_VISITOR = ratelimit.Limit("directory-contact-visitor", 5, timedelta(hours=1))  # messages per visitor
CONTACT_PER_LISTING = ratelimit.Limit("directory-contact-listing", 20, timedelta(days=1))  # per listing
CONTACT_LIMITED = ("You have sent several messages through the directory in a short time. Please wait an hour, "
                   "or call the practice.")

def contact(listing: Listing, *, name: str, email: str, phone: str, message: str, visitor: str) -> None:
    """E-mail the listing's owner a visitor's message (the owner's address is never shown to the visitor).
    Rate-limited per visitor and per listing. Commits."""
    if ratelimit.exceeded(CONTACT_PER_VISITOR, visitor) or ratelimit.exceeded(CONTACT_PER_LISTING, listing.id):
        raise DirectoryError(CONTACT_LIMITED, status=429)
    ratelimit.hit(CONTACT_PER_VISITOR, visitor)
    ratelimit.hit(CONTACT_PER_LISTING, listing.id)
    messages.send("directory_contact", listing.owner.email, f"A message from {name[:80]} through the directory",
                  {"listing": listing, "sender_name": name, "email": email, "phone": phone, "message": message})
    audit.record("listing contacted", "listing", listing.id, f"Message from {email}", actor=None)
    db.session.commit()
