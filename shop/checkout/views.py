"""The Stripe webhook: verified by Stripe's signature (not a CSRF token), handed to shop.orders.payment."""

from flask import Blueprint, current_app, jsonify, request

from shop.extensions import csrf
from shop.orders import payment as payments
from shop.payments.gateway import InvalidWebhook, processor

bp = Blueprint("webhooks", __name__)
MAX_EVENT_BYTES = 256 * 1024  # Stripe's events are a few kilobytes: a bigger body is refused (413) unread


@bp.url_value_preprocessor
def _small_bodies_only(endpoint, values):
    request.max_content_length = MAX_EVENT_BYTES


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe():
    """Verified by Stripe's signature instead of a CSRF token."""
    try:
        event = processor().parse_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except InvalidWebhook:
        return jsonify(error="invalid signature"), 400
    outcome = payments.handle_event(event)
    current_app.logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return jsonify(received=True, outcome=outcome)
