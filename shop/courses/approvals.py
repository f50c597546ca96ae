"""CE approvals as data: what each board approved a course as, when, and until when.

A certificate prints what its approval says (title, hours, provider), never the product page, so these
rows are checked carefully when staff add or change them. No certificate is issued under an approval
that has lapsed; `expiring` is what the dashboard warns about.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from shop.accounts.licences import US_STATES
from shop.catalogue.models import KIND_COURSE, Product
from shop.core import audit
from shop.core.errors import Refusal
from shop.core.text import clean_stripped
from shop.courses.models import Approval, Certificate
from shop.extensions import db

ENTITY = "product"
FLORIDA = "FL"
MAX_HOURS = Decimal("999.99")
# column: (label, maximum length or None, required)
TEXT_FIELDS = {
    "body": ("Approving body", 120, True),
    "state": ("State", 2, False),
    "body_statement": ("Approving body's statement", 600, True),
    "approved_title": ("Approved course title", 200, True),
    "course_type": ("Course type", 40, True),
    "provider_name": ("Provider name", 200, True),
    "provider_number": ("Provider number", 60, True),
    "provider_contact": ("Provider address or e-mail", 300, True),
    "cebroker_tracking_number": ("CE Broker course tracking number", 40, False),
}
DATE_FIELDS = {"starts_on": "Approval start", "expires_on": "Approval expiry"}
FIELDS = (*TEXT_FIELDS, "ce_hours", *DATE_FIELDS)
DEFAULTS = {"state": "", "course_type": "Home study", "cebroker_tracking_number": ""}


class ApprovalError(Refusal):
    """An approval that cannot be saved as given, or removed while certificates refer to it."""


_VALID_ON = (select(Approval)  # built once: a product page reads it on every view
             .where(Approval.product_id == bindparam("product_id"), Approval.starts_on <= bindparam("day"),
                    Approval.expires_on >= bindparam("day"))
             .order_by(Approval.id))


def valid_on(product_id: int, day: date) -> list[Approval]:
    """The course's approvals in force on `day` (start and expiry days included), oldest first."""
    return list(db.session.scalars(_VALID_ON, {"product_id": product_id, "day": day}))


def for_product(product_id: int) -> list[Approval]:
    """Every approval of a course, current or not, by expiry."""
    return list(db.session.scalars(
        select(Approval).where(Approval.product_id == product_id).order_by(Approval.expires_on, Approval.id)))


def expiring(today: date, within_days: int) -> list[Approval]:
    """Approvals still in force that lapse within `within_days` days, soonest first, with their course."""
    return list(db.session.scalars(
        select(Approval).options(joinedload(Approval.product))
        .where(Approval.expires_on >= today, Approval.expires_on <= today + timedelta(days=within_days))
        .order_by(Approval.expires_on, Approval.id)))


def uncovered_courses(today: date) -> list[Product]:
    """Courses on sale with no approval in force today: a customer who passes now gets no certificate."""
    current = select(Approval.id).where(Approval.product_id == Product.id, Approval.starts_on <= today,
                                        Approval.expires_on >= today).exists()
    return list(db.session.scalars(select(Product).where(Product.kind == KIND_COURSE, Product.is_active, ~current)
                                   .order_by(Product.title)))


def _hours(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        raise ApprovalError("Enter the approved hours as a number, like 6 or 1.5.", "ce_hours") from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
        raise ApprovalError("Approved hours must be more than 0 and at most 999.99.", "ce_hours")
    if hours != hours.quantize(Decimal("0.01")):
        raise ApprovalError("Approved hours take at most two decimals.", "ce_hours")
    return hours.quantize(Decimal("0.01"))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Every field checked; ApprovalError naming each field that is wrong (errors={field: message})."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not approval fields: {sorted(unknown)}")
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, (label, limit, required) in TEXT_FIELDS.items():
        text = clean_stripped(values.get(name)) or ""
        text = str(text)
        if required and not text:
            errors[name] = f"{label} is required."
        elif limit and len(text) > limit:
            errors[name] = f"{label}: at most {limit} characters."
        cleaned[name] = text
    cleaned["state"] = cleaned["state"].upper()
    if cleaned["state"] and cleaned["state"] not in US_STATES:
        errors["state"] = "State: a US state's two-letter code, or empty for a national approval."
    try:
        cleaned["ce_hours"] = _hours(values.get("ce_hours"))
        if cleaned["ce_hours"] is None:
            errors["ce_hours"] = "Approved hours are required."
    except ApprovalError as error:
        errors["ce_hours"] = error.message
    for name, label in DATE_FIELDS.items():
        value = values.get(name)
        if not isinstance(value, date):
            errors[name] = f"{label} date is required."
        cleaned[name] = value
    if isinstance(cleaned["starts_on"], date) and isinstance(cleaned["expires_on"], date) \
            and cleaned["expires_on"] <= cleaned["starts_on"]:
        errors["expires_on"] = "The approval must expire after it starts."
    if cleaned["state"] == FLORIDA and not cleaned["cebroker_tracking_number"]:
        errors["cebroker_tracking_number"] = ("A Florida approval needs its CE Broker course tracking number "
                                              "(completions are reported to CE Broker).")
    if errors:
        first = next(iter(errors.values()))
        raise ApprovalError(first if len(errors) == 1 else "Please correct the approval's details.",
                            errors=errors)
    return cleaned


def _summary(approval: Approval) -> str:
    return (f"{approval.body}{f' ({approval.state})' if approval.state else ''}: \"{approval.approved_title}\", "
            f"{approval.ce_hours} CE hours, provider {approval.provider_number}, "
            f"{approval.starts_on:%Y-%m-%d} to {approval.expires_on:%Y-%m-%d}")


def create(product: Product, fields: dict[str, Any], *, actor: Any) -> Approval:
    """Add an approval to a course. Audited; commits."""
    cleaned = _clean({**DEFAULTS, **fields})
    approval = Approval(product_id=product.id, **cleaned)
    db.session.add(approval)
    db.session.flush()
    audit.record("approval added", ENTITY, product.id, _summary(approval), actor=actor)
    db.session.commit()
    return approval


def update(approval: Approval, fields: dict[str, Any], *, actor: Any) -> Approval:
    """Change an approval (fields left out keep their value). Certificates already issued keep what they
    printed. Audited; commits."""
    current = {name: getattr(approval, name) for name in FIELDS}
    cleaned = _clean({**current, **fields})
    changed = [name for name in FIELDS if cleaned[name] != current[name]]
    for name in changed:
        setattr(approval, name, cleaned[name])
    if changed:
        audit.record("approval changed", ENTITY, approval.product_id,
                     f"{', '.join(changed)} → {_summary(approval)}", actor=actor)
    db.session.commit()
    return approval


def delete(approval: Approval, *, actor: Any) -> None:
    """Remove an approval no certificate refers to (409 otherwise: records are kept). Audited; commits."""
    used = db.session.scalar(select(Certificate.id).where(Certificate.approval_id == approval.id).limit(1))
    if used is not None:
        raise ApprovalError("Certificates were issued under this approval, so it is kept for the records. "
                            "Let it expire instead.", status=409)
    audit.record("approval removed", ENTITY, approval.product_id, _summary(approval), actor=actor)
    db.session.delete(approval)
    db.session.commit()
