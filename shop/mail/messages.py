"""E-mails rendered from a pair of templates (HTML and plain text) and put in the outbox.

`send(name, to, subject, context)` renders templates/mail/<name>.txt and .html and adds the message to
the outbox in the current session (the caller commits it with the change it announces). Each domain
writes its own e-mails with it (shop.orders.emails, shop.accounts.emails); templates get the app's
filters (`money`, `shop_date`) and the shop settings from the context processors. `absolute_url`
builds the links they carry.
"""

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template

from shop.mail.models import OutboxMessage
from shop.mail.outbox import enqueue

log = logging.getLogger(__name__)


def render(name: str, **context: Any) -> tuple[str, str]:
    """(text, html) for templates/mail/<name>.txt and .html."""
    return render_template(f"mail/{name}.txt", **context), render_template(f"mail/{name}.html", **context)


def send(name: str, to: str, subject: str, context: dict[str, Any], *, dedupe_key: str | None = None,
         order_id: int | None = None) -> OutboxMessage | None:
    """Render the e-mail `name` and put it in the outbox (not committed); None when `dedupe_key` was sent."""
    text_body, html_body = render(name, subject=subject, **context)
    return enqueue(to, subject, text_body, html_body, dedupe_key=dedupe_key, order_id=order_id)


def absolute_url(endpoint: str, **values: Any) -> str | None:
    """An absolute URL for an e-mail (or a certificate's QR code), built from PUBLIC_BASE_URL only.

    Never from the Host header of the request being answered: a forged header would otherwise put the
    attacker's host in a genuine password-reset link. None when the endpoint does not exist or no
    PUBLIC_BASE_URL is set (production refuses to start without one).
    """
    app = current_app
    if endpoint not in app.view_functions:
        return None
    base = app.config.get("PUBLIC_BASE_URL")
    if not base:
        log.warning("No PUBLIC_BASE_URL: e-mail links to %s left out", endpoint)
        return None
    parts = urlsplit(base)
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def required_url(endpoint: str, **values: Any) -> str:
    """absolute_url, for a link the e-mail cannot do without (a reset link, a payment link)."""
    url = absolute_url(endpoint, **values)
    if url is None:
        raise RuntimeError(f"No host known for the link to {endpoint}: set PUBLIC_BASE_URL")
    return url
