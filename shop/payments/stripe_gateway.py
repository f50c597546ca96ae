"""The only module that imports stripe: the shop's card processor, Stripe or a compatible server.

`configure(app)` sets the SDK up from the app's settings and installs the StripeGateway as
shop.payments.gateway's processor.
"""

import logging
from typing import Any

import stripe
from flask import Flask

from shop.payments import gateway
from shop.payments.gateway import Event, GatewayError, Intent, InvalidWebhook, PaymentDeclined

log = logging.getLogger(__name__)


def configure(app: Flask) -> None:
    stripe.api_key = app.config["STRIPE_SECRET_KEY"] or None
    if app.config["STRIPE_API_BASE"]:
        stripe.api_base = app.config["STRIPE_API_BASE"].rstrip("/")
    stripe.max_network_retries = 0 if app.testing else 2
    gateway.use(StripeGateway(app.config["STRIPE_WEBHOOK_SECRET"]))


def _intent(obj: Any) -> Intent:
    if hasattr(obj, "to_dict"):
        obj = obj.to_dict()
    error = obj.get("last_payment_error") or {}
    metadata = obj.get("metadata") or {}
    return Intent(
        id=obj["id"],
        status=obj["status"],
        amount_cents=int(obj["amount"]),
        currency=str(obj["currency"]).upper(),
        client_secret=obj.get("client_secret"),
        failure_message=(error.get("message") or "") if isinstance(error, dict) else "",
        metadata={str(k): str(v) for k, v in metadata.items()},
    )


class StripeGateway:
    """shop.payments.gateway.PaymentGateway, through the stripe SDK."""

    def __init__(self, webhook_secret: str) -> None:
        self.webhook_secret = webhook_secret

    def create_and_confirm(self, *, amount_cents: int, currency: str, payment_method: str, idempotency_key: str,
                           metadata: dict[str, str], moto: bool = False) -> Intent:
        """Create a PaymentIntent for exactly this amount and confirm it with the customer's payment method.

        `moto`: a card keyed in by staff for a mail or telephone order (exempt from 3-D Secure; the Stripe
        account must be enabled for MOTO payments).
        """
        options = {"payment_method_options": {"card": {"moto": True}}} if moto else {}
        try:
            intent = stripe.PaymentIntent.create(
                amount=amount_cents,
                currency=currency.lower(),
                payment_method=payment_method,
                payment_method_types=["card"],
                confirm=True,
                metadata=metadata,
                idempotency_key=idempotency_key,
                **options,
            )
        except stripe.CardError as error:
            raise PaymentDeclined(error.user_message or "Your card was declined.") from error
        except stripe.InvalidRequestError as error:
            if error.http_status == 402:  # some Stripe-compatible servers label a decline this way
                raise PaymentDeclined(error.user_message or "Your card was declined.") from error
            log.error("Stripe refused a PaymentIntent: %s", error.user_message)
            raise GatewayError() from error
        except stripe.StripeError as error:
            log.error("Stripe error creating a PaymentIntent: %s", error)
            raise GatewayError() from error
        return _intent(intent)

    def retrieve(self, intent_id: str) -> Intent:
        try:
            return _intent(stripe.PaymentIntent.retrieve(intent_id))
        except stripe.StripeError as error:
            log.error("Stripe error retrieving %s: %s", intent_id, error)
            raise GatewayError() from error

    def cancel(self, intent_id: str) -> None:
        """Best effort: cancel an intent that can no longer be paid (order expired or cancelled)."""
        try:
            stripe.PaymentIntent.cancel(intent_id)
        except stripe.StripeError as error:
            log.warning("Could not cancel %s: %s", intent_id, error)

    def parse_webhook(self, payload: bytes, signature_header: str | None) -> Event:
        secret = self.webhook_secret
        if not secret:
            raise InvalidWebhook("no webhook secret is configured")
        try:
            event = stripe.Webhook.construct_event(payload, signature_header or "", secret)
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise InvalidWebhook(str(error)) from error
        obj = event["data"]["object"]
        obj = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
        intent = _intent(obj) if obj.get("object") == "payment_intent" else None
        return Event(id=event["id"], type=event["type"], intent=intent)

    def refund(self, intent_id: str, amount_cents: int, idempotency_key: str, reason: str) -> tuple[str, str]:
        """Refund `amount_cents` of a succeeded PaymentIntent; returns (refund id, status).

        The shop's reason goes in the refund's metadata (Stripe's own `reason` field takes only three fixed
        values). PaymentDeclined when Stripe refuses the refund (its message is safe to show staff, e.g. the
        charge was already refunded); GatewayError when Stripe cannot be reached or fails (logged).
        """
        try:
            result = stripe.Refund.create(
                payment_intent=intent_id,
                amount=amount_cents,
                metadata={"reason": (reason or "")[:500]},
                idempotency_key=idempotency_key,
            )
        except (stripe.CardError, stripe.InvalidRequestError) as error:
            log.warning("Stripe refused a refund of %s on %s: %s", amount_cents, intent_id, error.user_message)
            raise PaymentDeclined(error.user_message or "Stripe refused the refund.") from error
        except stripe.StripeError as error:
            log.error("Stripe error refunding %s: %s", intent_id, error)
            raise GatewayError("We could not reach the card processor: nothing was refunded. Try again.") from error
        data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        if data.get("status") in ("failed", "canceled"):
            raise PaymentDeclined(f"Stripe could not make the refund ({data.get('failure_reason') or data['status']}).")
        return data["id"], data.get("status") or "succeeded"
