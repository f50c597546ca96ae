"""Staff changes to an order, safe when two people work on it at once (optimistic locking).

Every desk page that changes an order carries the order's `version_id` as it was when the page was
shown. A change is saved only if the row still has that version:

- edits made through the ORM (address, contact, notes) rely on SQLAlchemy's version_id_col: the
  UPDATE says `WHERE id = :id AND version_id = :seen`, and a row changed meanwhile raises
  StaleDataError;
- actions (ship, cancel) `claim` the order first with one conditional UPDATE that checks the version
  (and the status the action expects) and bumps it, so of two staff acting at once exactly one
  goes ahead.

The loser gets OrderChanged (409) with a message telling them to reload. Notes are only added,
never edited, so adding one needs no version.
"""

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from shop.core import audit
from shop.core.errors import Refusal
from shop.extensions import db
from shop.orders import services
from shop.orders.models import FULFILMENT_SHIPPED, Order

CHANGED_MESSAGE = "This order was changed by someone else while you were editing. Reload to see the changes."
NOTE_MAX = 1000
ADDRESS_FIELDS = ("ship_name", "ship_line1", "ship_line2", "ship_city", "ship_region", "ship_postal_code",
                  "ship_country")
CONTACT_FIELDS = ("customer_name", "phone")
EDITABLE = (*CONTACT_FIELDS, *ADDRESS_FIELDS, "call_notes")
FIELD_LABELS = {
    "customer_name": "name", "phone": "phone", "ship_name": "ship-to name", "ship_line1": "street address",
    "ship_line2": "address line 2", "ship_city": "city", "ship_region": "state or region",
    "ship_postal_code": "ZIP or postal code", "ship_country": "country", "call_notes": "call notes",
}


class ActionRefused(Refusal):
    """A desk action that cannot be done; the message is for staff, `status` is the HTTP status to answer."""


class OrderChanged(ActionRefused):
    def __init__(self, message: str = CHANGED_MESSAGE) -> None:
        super().__init__(message, status=409)


def claim(order: Order, seen_version: int, statuses: tuple[str, ...] | None = None, **values: Any) -> Order:
    """Bump the order's version if it is still `seen_version` (and in `statuses`), setting `values` too.

    Raises OrderChanged when someone else changed the order since the page was shown. The order is
    refreshed afterwards, so the session holds the new version. A status change is never a claim: it goes
    through shop.orders.status.transition (the table of what may follow what).
    """
    if "status" in values:
        raise ValueError("change an order's status with shop.orders.status.transition")
    where = [Order.id == order.id, Order.version_id == seen_version]
    if statuses is not None:
        where.append(Order.status.in_(statuses))
    result = db.session.execute(
        update(Order).where(*where).values(version_id=Order.version_id + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise OrderChanged()
    db.session.refresh(order)
    return order


def edit_order(order: Order, seen_version: int, changes: dict[str, str], actor: Any) -> list[str]:
    """Save changed contact details, shipping address and call notes; OrderChanged if the order moved on."""
    if order.version_id != seen_version:
        raise OrderChanged()
    changes = {name: value for name, value in changes.items() if name in EDITABLE}
    if order.fulfilment_status == FULFILMENT_SHIPPED or not order.requires_shipping:
        address_changes = {n for n in ADDRESS_FIELDS if n in changes and changes[n] != getattr(order, n)}
        if address_changes:
            why = "everything has shipped" if order.requires_shipping else "nothing in it is shipped"
            raise ActionRefused(f"The shipping address cannot be changed: {why}.", field=sorted(address_changes)[0])
    changed = [name for name, value in changes.items() if getattr(order, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(order, name, changes[name])
    summary = "Changed " + ", ".join(FIELD_LABELS[name] for name in changed) + "."
    services.record(order, "edited", f"{summary} ({actor.email})", actor_id=actor.id)
    audit.record("order edited", "order", order.id, summary, actor=actor)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise OrderChanged() from None
    return changed


def add_note(order: Order, text: str | None, actor: Any) -> None:
    text = (text or "").strip()
    if not text:
        raise ActionRefused("Write the note first.", field="note")
    if len(text) > NOTE_MAX:
        raise ActionRefused(f"A note is at most {NOTE_MAX} characters; this one has {len(text)}.", field="note")
    services.record(order, "note", text, actor_id=actor.id)
    audit.record("note added", "order", order.id, text[:200], actor=actor)
    db.session.commit()
