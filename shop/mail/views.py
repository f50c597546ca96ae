"""The development mailbox: the outbox in the browser, so nobody needs an SMTP server to read e-mails.

Registered only when DEV_MAILBOX is on (the development settings); elsewhere /dev/mail is a 404.
"""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from shop.extensions import db
from shop.mail.models import OutboxMessage

LIST_LIMIT = 200

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")


def init_app(app):
    """Register the mailbox when app.config["DEV_MAILBOX"] is true (safe to call twice)."""
    if app.config.get("DEV_MAILBOX") and bp.name not in app.blueprints:
        app.register_blueprint(bp)


@bp.get("")
def mailbox():
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(LIST_LIMIT)
    ).all()
    return render_template("dev/mailbox.html", messages=messages, limit=LIST_LIMIT)


@bp.get("/<int:message_id>")
def message(message_id):
    item = db.session.get(OutboxMessage, message_id)
    if item is None:
        abort(404, description="There is no message with that number in the outbox.")
    return render_template("dev/mailbox_message.html", message=item)
