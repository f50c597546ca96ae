"""The audit log: record who did what to which record; show it on the record's page."""

from typing import Any

from flask_login import current_user

from shop.core.models import AuditEntry
from shop.extensions import db


def record(action: str, entity_type: str, entity_id: object, summary: str = "", actor: Any = None) -> AuditEntry:
    """Add an entry to the session (the caller commits it with the change it describes).

    `actor` defaults to the logged-in user of the current request, if any.
    """
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action[:60],
                       entity_type=entity_type, entity_id=str(entity_id), summary=summary)
    db.session.add(entry)
    return entry


def entries_for(entity_type: str, entity_id: object, limit: int = 200) -> list[AuditEntry]:
    return list(db.session.execute(
        db.select(AuditEntry)
        .filter_by(entity_type=entity_type, entity_id=str(entity_id))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).scalars().all())


def recent(entity_types: tuple[str, ...], limit: int = 50) -> list[AuditEntry]:
    """The latest entries about any record of these types, newest first."""
    return list(db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.entity_type.in_(entity_types))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all())
