"""The only module that imports stripe: the shop's card processor, Stripe or a compatible server.

Over 300 lines: every call the shop makes to Stripe (payments, refunds, webhooks, and Billing for the
membership) sits behind this one class, so no other module ever needs the SDK.

`configure(app)` sets the SDK up from the app's settings and installs the StripeGateway as
shop.payments.gateway's processor.
"""

import logging
from collections.abc import Iterator
from typing import Any

import stripe
from flask import Flask

from shop.payments import gateway
from shop.payments.gateway import (
    BillingInvoice,
    Event,
    GatewayError,
    GatewayUnreachable,
    Intent,
    InvalidWebhook,
    PaymentDeclined,
    Subscription,
)

log = logging.getLogger(__name__)


def configure(app: Flask) -> None:
    stripe.api_key = app.config["STRIPE_SECRET_KEY"] or None
    if app.config["STRIPE_API_BASE"]:
        stripe.api_base = app.config["STRIPE_API_BASE"].rstrip("/")
    stripe.max_network_retries = 0 if app.testing else 2
    # a hung processor must not hold a request (and a gunicorn worker) for the SDK's default 80 seconds
    stripe.default_http_client = stripe.RequestsClient(timeout=int(app.config["STRIPE_TIMEOUT_SECONDS"]))
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
        payment_method=_id_of(obj.get("payment_method")) or "",
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
        except (stripe.APIConnectionError, stripe.APIError) as error:  # no answer, or Stripe's own 5xx
            log.error("No answer from Stripe creating a PaymentIntent (%s): %s", idempotency_key, error)
            raise GatewayUnreachable() from error
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

    def card_of(self, payment_method: str) -> tuple[str, str]:
        if not payment_method:
            return "", ""
        try:
            found = _plain(stripe.PaymentMethod.retrieve(payment_method))
            card = found.get("card") or (found if found.get("object") == "card" else {})  # a legacy card_ id
        except stripe.StripeError as error:
            log.warning("Stripe error reading the card of %s: %s", payment_method, error)
            return "", ""
        return str(card.get("brand") or "").lower()[:20], str(card.get("last4") or "")[-4:]

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
        return _event(event)

    def events_since(self, created_after: int, types: tuple[str, ...] = ()) -> Iterator[Event]:
        """Stripe keeps events for 30 days; one list call per type (the `type` filter takes one name)."""
        found: dict[str, Any] = {}
        try:
            for kind in types or (None,):
                filters = {"type": kind} if kind else {}
                listed = stripe.Event.list(created={"gte": int(created_after)}, limit=100, **filters)
                for event in listed.auto_paging_iter():
                    found[event["id"]] = event
        except (stripe.APIConnectionError, stripe.APIError) as error:
            log.error("No answer from Stripe listing events: %s", error)
            raise GatewayUnreachable() from error
        except stripe.StripeError as error:
            log.error("Stripe error listing events: %s", error)
            raise GatewayError() from error
        for event in sorted(found.values(), key=lambda e: (int(e["created"] or 0), e["id"])):
            yield _event(event)

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

    # ---- Billing -------------------------------------------------------------------------------------

    def ensure_plan(self, *, plan_id: str, name: str, amount_cents: int, currency: str, interval: str) -> str:
        """The recurring price for the plan, created once with a stable id (a Plan: Stripe accepts a plan id
        wherever a price id goes, and Stripe-compatible test servers know Plans only)."""
        if self._existing_plan(plan_id, amount_cents, currency):
            return plan_id
        try:
            product = stripe.Product.create(name=name, type="service", idempotency_key=f"product:{plan_id}")
            stripe.Plan.create(id=plan_id, amount=amount_cents, currency=currency.lower(), interval=interval,
                               product=product["id"], idempotency_key=f"plan:{plan_id}")
        except stripe.StripeError as error:
            if self._existing_plan(plan_id, amount_cents, currency):  # made at the same moment by another join
                return plan_id
            log.error("Stripe error preparing the plan %s: %s", plan_id, error)
            raise GatewayError() from error
        return plan_id

    def _existing_plan(self, plan_id: str, amount_cents: int, currency: str) -> bool:
        try:
            plan = stripe.Plan.retrieve(plan_id)
        except stripe.InvalidRequestError as error:
            if error.http_status == 404:
                return False
            raise GatewayError() from error
        except stripe.StripeError as error:
            log.error("Stripe error reading the plan %s: %s", plan_id, error)
            raise GatewayError() from error
        if int(plan["amount"]) != amount_cents or str(plan["currency"]).upper() != currency.upper():
            raise GatewayError(f"The plan {plan_id} exists at another price; give the new price its own plan.")
        return True

    def create_customer(self, *, email: str, name: str, metadata: dict[str, str], idempotency_key: str) -> str:
        try:
            customer = stripe.Customer.create(email=email, name=name or None, metadata=metadata,
                                              idempotency_key=idempotency_key)
        except stripe.StripeError as error:
            log.error("Stripe error creating a customer: %s", error)
            raise GatewayError() from error
        return customer["id"]

    def set_default_card(self, customer_id: str, payment_method: str) -> None:
        """Make this card the one the customer's invoices are charged to.

        A PaymentMethod (pm_...) is attached to the customer first; a card id from a token (card_..., what
        the development stand-in of Stripe.js returns) is referred to directly."""
        try:
            if payment_method.startswith("pm_"):
                stripe.PaymentMethod.attach(payment_method, customer=customer_id)
            stripe.Customer.modify(customer_id, invoice_settings={"default_payment_method": payment_method})
        except stripe.CardError as error:
            raise PaymentDeclined(error.user_message or "Your card was declined.") from error
        except stripe.InvalidRequestError as error:
            log.warning("Stripe refused the card for %s: %s", customer_id, error.user_message)
            raise PaymentDeclined(error.user_message or "That card could not be used. Please try another.") from error
        except stripe.StripeError as error:
            log.error("Stripe error saving a card for %s: %s", customer_id, error)
            raise GatewayError() from error

    def create_subscription(self, *, customer_id: str, plan_id: str, metadata: dict[str, str],
                            idempotency_key: str, trial_end: int | None = None) -> Subscription:
        """Subscribe the customer to the plan; the first invoice is charged to their default card at once
        (a decline or 3-D Secure leaves the subscription `incomplete`, its invoice's intent telling why)."""
        options: dict[str, Any] = {"trial_end": trial_end} if trial_end else {}
        try:
            subscription = stripe.Subscription.create(customer=customer_id, items=[{"plan": plan_id}],
                                                      metadata=metadata, payment_behavior="allow_incomplete",
                                                      idempotency_key=idempotency_key, **options)
        except stripe.CardError as error:
            raise PaymentDeclined(error.user_message or "Your card was declined.") from error
        except stripe.StripeError as error:
            log.error("Stripe error creating a subscription for %s: %s", customer_id, error)
            raise GatewayError() from error
        return subscription_from(subscription)

    def retrieve_subscription(self, subscription_id: str) -> Subscription:
        return self._subscription_call("retrieving", stripe.Subscription.retrieve, subscription_id)

    def set_cancel_at_period_end(self, subscription_id: str, cancel: bool) -> Subscription:
        return self._subscription_call("updating", stripe.Subscription.modify, subscription_id,
                                       cancel_at_period_end=cancel)

    def cancel_subscription(self, subscription_id: str) -> Subscription:
        return self._subscription_call("cancelling", stripe.Subscription.delete, subscription_id)

    def _subscription_call(self, doing: str, call: Any, subscription_id: str, **params: Any) -> Subscription:
        try:
            return subscription_from(call(subscription_id, **params))
        except stripe.StripeError as error:
            log.error("Stripe error %s %s: %s", doing, subscription_id, error)
            raise GatewayError() from error

    def retrieve_invoice(self, invoice_id: str) -> BillingInvoice:
        try:
            return invoice_from(stripe.Invoice.retrieve(invoice_id))
        except stripe.StripeError as error:
            log.error("Stripe error retrieving %s: %s", invoice_id, error)
            raise GatewayError() from error

    def invoices(self, subscription_id: str) -> list[BillingInvoice]:
        try:
            found = stripe.Invoice.list(subscription=subscription_id, limit=100)
        except stripe.StripeError as error:
            log.error("Stripe error listing the invoices of %s: %s", subscription_id, error)
            raise GatewayError() from error
        return [invoice_from(item) for item in found.data]

    def add_invoice_credit(self, *, customer_id: str, amount_cents: int, currency: str, description: str,
                           idempotency_key: str) -> str:
        """A credit on the customer's next invoice (the first month of a membership at an offer's price);
        returns the invoice item's id."""
        try:
            item = stripe.InvoiceItem.create(customer=customer_id, amount=-amount_cents, currency=currency.lower(),
                                             description=description[:250], idempotency_key=idempotency_key)
        except stripe.StripeError as error:
            log.error("Stripe error adding a credit for %s: %s", customer_id, error)
            raise GatewayError() from error
        return item["id"]

    def remove_invoice_credit(self, item_id: str) -> None:
        """Take back a credit that no invoice used (the subscription it was for was never made)."""
        try:
            stripe.InvoiceItem.delete(item_id)
        except stripe.StripeError as error:
            log.error("Stripe error removing the credit %s: %s", item_id, error)
            raise GatewayError() from error

    def subscriptions_of(self, customer_id: str) -> list[Subscription]:
        """The customer's subscriptions in any status (to find one whose creation's answer was lost)."""
        try:
            found = stripe.Subscription.list(customer=customer_id, status="all", limit=100)
        except stripe.StripeError as error:
            log.error("Stripe error listing the subscriptions of %s: %s", customer_id, error)
            raise GatewayError() from error
        return [subscription_from(item) for item in found.data]

    def pay_invoice(self, invoice_id: str) -> BillingInvoice:
        """Charge an open invoice again, to the customer's (new) default card."""
        try:
            stripe.Invoice.pay(invoice_id)
        except stripe.CardError as error:
            raise PaymentDeclined(error.user_message or "Your card was declined.") from error
        except stripe.InvalidRequestError as error:
            if error.http_status == 402:
                raise PaymentDeclined(error.user_message or "Your card was declined.") from error
            log.warning("Stripe refused to charge %s again: %s", invoice_id, error.user_message)
        except stripe.StripeError as error:
            log.error("Stripe error paying %s: %s", invoice_id, error)
            raise GatewayError() from error
        return self.retrieve_invoice(invoice_id)


def _event(event: Any) -> Event:
    plain = _plain(event)
    obj = _plain(plain["data"]["object"])
    kind = obj.get("object")
    return Event(id=plain["id"], type=plain["type"], intent=_intent(obj) if kind == "payment_intent" else None,
                 created=int(plain.get("created") or 0), data=obj,
                 subscription=subscription_from(obj) if kind == "subscription" else None,
                 invoice=invoice_from(obj) if kind == "invoice" else None)


def _plain(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _id_of(value: Any) -> str | None:
    """An id, whether Stripe sent the id or the expanded object."""
    if isinstance(value, dict):
        return value.get("id")
    return str(value) if value else None


def subscription_from(obj: Any) -> Subscription:
    """A Stripe subscription as the shop reads it (the period from the subscription or, in newer API
    versions, from its item)."""
    data = _plain(obj)
    items = ((data.get("items") or {}).get("data") or [{}])
    item = items[0] if items else {}
    return Subscription(
        id=data["id"], customer_id=_id_of(data.get("customer")) or "", status=str(data.get("status") or ""),
        current_period_start=data.get("current_period_start") or item.get("current_period_start"),
        current_period_end=data.get("current_period_end") or item.get("current_period_end"),
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        ended_at=data.get("ended_at"), latest_invoice_id=_id_of(data.get("latest_invoice")),
        metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
    )


def invoice_from(obj: Any) -> BillingInvoice:
    """A Stripe invoice: the subscription and period it pays for come from its first line when present."""
    data = _plain(obj)
    lines = ((data.get("lines") or {}).get("data") or [])
    periods = [line.get("period") or {} for line in lines]  # the plan's line covers the longest period
    period = max(periods, key=lambda p: (p.get("end") or 0) - (p.get("start") or 0), default={})
    parent = (data.get("parent") or {}).get("subscription_details") or {}
    return BillingInvoice(
        id=data["id"], subscription_id=_id_of(data.get("subscription")) or _id_of(parent.get("subscription")),
        status=str(data.get("status") or ""), amount_due_cents=int(data.get("amount_due") or 0),
        amount_paid_cents=int(data.get("amount_paid") or 0), currency=str(data.get("currency") or "usd").upper(),
        intent_id=_id_of(data.get("payment_intent")),
        period_start=period.get("start") or data.get("period_start"),
        period_end=period.get("end") or data.get("period_end"),
        created=int(data.get("created") or data.get("date") or 0), attempted=bool(data.get("attempted")),
    )
