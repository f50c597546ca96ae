"""Certificates of achievement: issued on a pass under each approval in force, reissued, revoked, drawn.

Over 300 lines: a certificate's whole life (number, issue, lookup, reissue, revoke, PDF, signature) in one place.

A certificate copies what it certifies when it is issued (the participant's name as on their licence,
the approved title and hours, the provider), so a later edit to the approval or the profile never
changes one already given; staff reissue it (same number, next revision) to print a corrected name.
Certificates are never deleted: a revoked one stays and verifies as revoked (records are kept six years).

Numbers look like "STR-7K3M-9QXP-2D": ten characters drawn at random from an alphabet without the
look-alikes 0/O, 1/I/L, so they are typed easily and not guessed (31^10 of them; lookups are rate-limited).
"""

import io
import secrets
from datetime import date
from typing import Any

from flask import current_app
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.accounts.models import User
from shop.catalogue.models import Product
from shop.core import audit, storage
from shop.core.errors import Refusal
from shop.core.models import ShopSetting
from shop.core.text import one_line
from shop.core.timeutil import local_today, utcnow
from shop.courses import approvals, certificate_pdf
from shop.courses.models import Approval, Certificate, ExamAttempt
from shop.extensions import db
from shop.mail import messages

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "STR"
GROUPS = (4, 4, 2)
ENTITY = "certificate"
SIGNATURE_KEY = "CERTIFICATE_SIGNATURE_KEY"
SIGNATORY_NAME = "CERTIFICATE_SIGNATORY_NAME"
SIGNATORY_TITLE = "CERTIFICATE_SIGNATORY_TITLE"
SIGNATURE_MAX_BYTES = 2_000_000
SIGNATURE_MAX_SIZE = (1200, 400)


class CertificateError(Refusal):
    """A reissue, revocation or signature that cannot be done as asked."""


# ---- numbers ---------------------------------------------------------------------------------

def new_number() -> str:
    """A random certificate number like "STR-7K3M-9QXP-2D"; `_unused_number` draws until one is free."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(sum(GROUPS)))
    parts, start = [], 0
    for size in GROUPS:
        parts.append(chars[start:start + size])
        start += size
    return "-".join([PREFIX, *parts])


def normalise_number(text: str | None) -> str | None:
    """What someone typed ("str 7k3m9qxp2d", "STR-7K3M-9QXP-2D ") as the stored form, or None if it cannot be one."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())[:40]
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX):]
    if len(compact) != sum(GROUPS) or any(ch not in ALPHABET for ch in compact):
        return None
    parts, start = [], 0
    for size in GROUPS:
        parts.append(compact[start:start + size])
        start += size
    return "-".join([PREFIX, *parts])


def _unused_number() -> str:
    while True:
        number = new_number()
        if db.session.scalar(select(Certificate.id).where(Certificate.number == number)) is None:
            return number


# ---- issuing ---------------------------------------------------------------------------------

def participant_name(user: User) -> str:
    """The name a certificate prints: as on the licence, else the account's name ("" when neither is known)."""
    return (user.licence_name or user.full_name or "").strip()


NAME_NEEDED = ("Before the exam, tell us your name exactly as it appears on your licence: your certificate "
               "prints it.")


def _licence_for(user: User, approval: Approval) -> tuple[str, str]:
    """(state, number) printed under an approval: the state's licence, or the NCBTMB number for a national one."""
    if approval.state:
        for licence in user.licences:
            if licence.state == approval.state:
                return licence.state, licence.number
        return approval.state, ""
    return "", user.ncbtmb_number or ""


def _copy_participant(certificate: Certificate, user: User, approval: Approval) -> None:
    certificate.participant_name = participant_name(user)[:200]
    state, number = _licence_for(user, approval)
    certificate.licence_state = state if number else ""
    certificate.licence_number = number


APPROVAL_FIELDS = ("approved_title", "ce_hours", "course_type", "body", "body_statement", "provider_name",
                   "provider_number", "provider_contact", "cebroker_tracking_number")


def _copy_approval(certificate: Certificate, approval: Approval) -> list[str]:
    """Print what the approval says; returns the fields that changed."""
    changed = [name for name in APPROVAL_FIELDS if getattr(certificate, name) != getattr(approval, name)]
    for name in APPROVAL_FIELDS:
        setattr(certificate, name, getattr(approval, name))
    return changed


def _from_approval(user: User, approval: Approval, attempt: Any, today: date) -> Certificate:
    certificate = Certificate(number=_unused_number(), user_id=user.id, product_id=approval.product_id,
                              approval_id=approval.id, attempt_id=getattr(attempt, "id", None), completed_on=today)
    _copy_approval(certificate, approval)
    _copy_participant(certificate, user, approval)
    return certificate


def _of_user_for_product(user: User, product_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id,
                                                             Certificate.product_id == product_id)
                                   .order_by(Certificate.id)))


def issue_for_pass(user: User, product: Product, attempt: Any, *, today: date) -> list[Certificate]:
    """One certificate per approval of the course in force on `today`; none under a lapsed approval.

    Idempotent: an approval the customer already holds a certificate for gets no second one. Returns the
    customer's certificates for this course. Added and flushed; the caller commits.
    """
    held = {c.approval_id for c in _of_user_for_product(user, product.id)}
    for approval in approvals.valid_on(product.id, today):
        if approval.id in held:
            continue
        try:
            with db.session.begin_nested():  # a concurrent pass may have issued it a moment ago
                db.session.add(_from_approval(user, approval, attempt, today))
        except IntegrityError:
            continue
    db.session.flush()
    return _of_user_for_product(user, product.id)


def issue_waiting(user: User, product: Product, *, actor: Any, tz_name: str) -> list[Certificate]:
    """Staff issue the certificates of a pass made while no approval was in force, once one covers the day
    of the pass (the completion date stays the day they passed). Audited; commits. Refused (409) when
    there is no pass, or still no approval covering that day."""
    attempt = db.session.scalar(select(ExamAttempt).where(
        ExamAttempt.user_id == user.id, ExamAttempt.product_id == product.id, ExamAttempt.passed.is_(True))
        .order_by(ExamAttempt.id))
    if attempt is None:
        raise CertificateError(f"{user.email} has not passed the exam of {product.title}.", status=409)
    passed_on = local_today(tz_name, attempt.submitted_at)
    before = {c.id for c in _of_user_for_product(user, product.id)}
    issued = [c for c in issue_for_pass(user, product, attempt, today=passed_on) if c.id not in before]
    if not issued:
        db.session.rollback()
        raise CertificateError(f"No approval of {product.title} covers {passed_on:%B %-d, %Y}, the day "
                               f"{user.email} passed: correct the approval's dates first.", status=409)
    audit.record("certificate issued", "user", user.id, f"{product.title}: " + ", ".join(c.number for c in issued)
                 + f" (passed {passed_on:%Y-%m-%d})", actor=actor)
    db.session.commit()
    return issued


# ---- finding ---------------------------------------------------------------------------------

def for_user(user: User) -> list[Certificate]:
    """Every certificate of the customer (revoked ones too), newest first."""
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                   .order_by(Certificate.completed_on.desc(), Certificate.id.desc())))


def by_number(number: str | None) -> Certificate | None:
    normal = normalise_number(number)
    if normal is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == normal))


def of_user(user: Any, number: str | None) -> Certificate | None:
    """The certificate if it is this signed-in user's, else None (the view answers 404 either way)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    certificate = by_number(number)
    return certificate if certificate is not None and certificate.user_id == user.id else None


# ---- staff: reissue and revoke -----------------------------------------------------------------

def reissue(certificate: Certificate, *, actor: Any, from_approval: bool = False) -> Certificate:
    """Same number, next revision, the participant's name and licence from their profile now, a new PDF.

    With `from_approval`, also what the approval says now (a corrected title or hours): the certificate
    must print the approval, and a mismatch is what boards reject."""
    if certificate.is_revoked:
        raise CertificateError("A revoked certificate cannot be reissued.", status=409)
    approval = db.session.get(Approval, certificate.approval_id)
    user = db.session.get(User, certificate.user_id)
    before = certificate.participant_name
    _copy_participant(certificate, user, approval)
    changed = _copy_approval(certificate, approval) if from_approval else []
    certificate.revision += 1
    certificate.reissued_at = utcnow()
    _store_pdf(certificate)
    notes = [f"name {before} → {certificate.participant_name}"] if before != certificate.participant_name else []
    if changed:
        notes.append("from the approval: " + ", ".join(name.replace("_", " ") for name in changed))
    audit.record("certificate reissued", ENTITY, certificate.id,
                 f"{certificate.number} revision {certificate.revision}" + (": " + "; ".join(notes) if notes else ""),
                 actor=actor)
    db.session.commit()
    return certificate


def revoke(certificate: Certificate, reason: str, *, actor: Any) -> Certificate:
    """Revoke with a reason; the certificate stays and verifies as revoked. Audited; commits."""
    reason = one_line(reason, 500)
    if not reason:
        raise CertificateError("Give the reason for revoking the certificate.", "reason")
    if certificate.is_revoked:
        raise CertificateError("This certificate is already revoked.", status=409)
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    _drop_pdf(certificate)  # drawn again, with its "revoked" mark, when next downloaded
    audit.record("certificate revoked", ENTITY, certificate.id, f"{certificate.number}: {reason}", actor=actor)
    db.session.commit()
    return certificate


# ---- the PDF ---------------------------------------------------------------------------------

def verify_url(certificate: Certificate) -> str:
    """The public verification page's absolute address (what the QR code holds)."""
    return messages.required_url("certificates.public_page", number=certificate.number)


def _render(certificate: Certificate) -> bytes:
    image, name, title = signature()
    return certificate_pdf.render(certificate, verify_url=verify_url(certificate), signature_png=image,
                                  signatory=name or certificate.provider_name,
                                  signatory_title=title or "Approved provider",
                                  shop_name=current_app.config["SHOP_NAME"],
                                  tz_name=current_app.config["SHOP_TIMEZONE"])


def _drop_pdf(certificate: Certificate) -> None:
    if certificate.pdf_key:
        storage.private().delete(certificate.pdf_key)
    certificate.pdf_key = ""


def _store_pdf(certificate: Certificate) -> bytes:
    data = _render(certificate)
    _drop_pdf(certificate)
    key = storage.new_key(f"certificates/{certificate.user_id}", "pdf")
    storage.private().save(key, data)
    certificate.pdf_key = key
    return data


def pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF: the stored one, or drawn now and stored (commits the key)."""
    store = storage.private()
    if certificate.pdf_key and store.exists(certificate.pdf_key):
        return store.read(certificate.pdf_key)
    data = _store_pdf(certificate)
    db.session.commit()
    return data


def pdf_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.number}.pdf"


# ---- the signature -------------------------------------------------------------------------------

def _setting(key: str) -> str:
    row = db.session.get(ShopSetting, key)
    return row.value if row is not None else ""


def _put_setting(key: str, value: str) -> None:
    row = db.session.get(ShopSetting, key)
    if row is None:
        db.session.add(ShopSetting(key=key, value=value))
    else:
        row.value = value


def _as_png(image_bytes: bytes) -> bytes:
    if not image_bytes or len(image_bytes) > SIGNATURE_MAX_BYTES:
        raise CertificateError("Upload the signature as a PNG or JPEG image of at most 2 MB.", "image")
    try:
        with Image.open(io.BytesIO(image_bytes)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(image_bytes)) as image:
            if image.format not in ("PNG", "JPEG", "GIF", "WEBP"):
                raise CertificateError("Upload the signature as a PNG or JPEG image.", "image")
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise CertificateError("That file is not an image we can read.", "image") from None
    picture.thumbnail(SIGNATURE_MAX_SIZE)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def set_signature(image_bytes: bytes, signatory_name: str, signatory_title: str, *, actor: Any) -> None:
    """The signature printed on new and reissued certificates (re-encoded as PNG, kept privately). Commits."""
    name, title = one_line(signatory_name, 120), one_line(signatory_title, 120)
    if not name:
        raise CertificateError("Give the name of the person who signs.", "signatory_name")
    png = _as_png(image_bytes)
    key = storage.new_key("signatures", "png")
    storage.private().save(key, png)
    old = _setting(SIGNATURE_KEY)
    _put_setting(SIGNATURE_KEY, key)
    _put_setting(SIGNATORY_NAME, name)
    _put_setting(SIGNATORY_TITLE, title)
    audit.record("signature changed", "setting", SIGNATURE_KEY, f"Certificates signed by {name}"
                 + (f", {title}" if title else ""), actor=actor)
    db.session.commit()
    if old and old != key:
        storage.private().delete(old)


def signature() -> tuple[bytes | None, str, str]:
    """(PNG bytes or None, signatory's name, their title) as an admin last set them."""
    key = _setting(SIGNATURE_KEY)
    store = storage.private()
    image = store.read(key) if key and store.exists(key) else None
    return image, _setting(SIGNATORY_NAME), _setting(SIGNATORY_TITLE)
