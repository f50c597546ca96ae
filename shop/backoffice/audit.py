"""The audit log: record who did what to which record; show it on the record's page."""

from flask_login import current_user

from shop.backoffice.models import AuditEntry
from shop.extensions import db


def record(action, entity_type, entity_id, summary="", actor=None):
    """Add an entry to the session (the caller commits it with the change it describes)."""
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action[:60],
                       entity_type=entity_type, entity_id=str(entity_id), summary=summary)
    db.session.add(entry)
    return entry


def entries_for(entity_type, entity_id, limit=200):
    return db.session.execute(
        db.select(AuditEntry)
        .filter_by(entity_type=entity_type, entity_id=str(entity_id))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).scalars().all()
