"""What the shop needs from a card processor, independent of Stripe's SDK, and the one way to reach it.

`processor()` is the configured gateway (shop.payments.stripe_gateway installs itself with `use` when
the app starts); services call it, never the SDK. Errors form a short ladder: PaymentDeclined (the bank
said no; the message is safe to show the customer), GatewayError (the processor refused the request or
failed; logged, a generic message is shown), and below it GatewayUnreachable (no answer came: the request may
or may not have been carried out, so nothing may be assumed either way). Amounts here are integer cents and
ISO currency codes in upper case.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

INTENT_SUCCEEDED = "succeeded"
INTENT_REQUIRES_ACTION = "requires_action"
INTENT_PROCESSING = "processing"
INTENT_REQUIRES_PAYMENT_METHOD = "requires_payment_method"
INTENT_CANCELED = "canceled"


class PaymentError(Exception):
    message = "The payment could not be completed."

    def __init__(self, message: str | None = None, intent_id: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message
        self.intent_id = intent_id


class PaymentDeclined(PaymentError):
    message = "Your card was declined."


class GatewayError(PaymentError):
    message = "We could not reach our card processor. Your card has not been charged; please try again."


class GatewayUnreachable(GatewayError):
    """No answer from the processor: the connection was refused or dropped, it timed out, or the processor
    failed on its side (5xx). A charge may have been made all the same: only the processor's own record
    (its events, read back later) tells."""

    message = ("We could not reach our card processor, so we cannot yet tell whether your card was charged. "
               "Your order and cart are kept: try again in a minute. You will not be charged twice.")


class InvalidWebhook(Exception):
    """A webhook whose signature or body does not check out."""


@dataclass(frozen=True)
class Intent:
    id: str
    status: str
    amount_cents: int
    currency: str
    client_secret: str | None = None
    failure_message: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    payment_method: str = ""  # the PaymentMethod's id, for the receipt's "Visa ending 4242"


@dataclass(frozen=True)
class BillingInvoice:
    """One invoice of a subscription: what was asked for a period, and whether it was paid."""

    id: str
    subscription_id: str | None
    status: str  # draft, open, paid, void, uncollectible
    amount_due_cents: int
    amount_paid_cents: int
    currency: str
    intent_id: str | None
    period_start: int | None  # Unix seconds: the subscription period the invoice pays for
    period_end: int | None
    created: int
    attempted: bool = False


@dataclass(frozen=True)
class Subscription:
    id: str
    customer_id: str
    status: str  # incomplete, incomplete_expired, trialing, active, past_due, unpaid, canceled
    current_period_start: int | None
    current_period_end: int | None
    cancel_at_period_end: bool
    ended_at: int | None
    latest_invoice_id: str | None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    intent: Intent | None
    created: int = 0
    data: dict = field(default_factory=dict)  # the event's object as Stripe sent it (a charge, a dispute...)
    subscription: Subscription | None = None
    invoice: BillingInvoice | None = None


class PaymentGateway(Protocol):
    """A card processor as the shop uses it."""

    def create_and_confirm(self, *, amount_cents: int, currency: str, payment_method: str, idempotency_key: str,
                           metadata: dict[str, str], moto: bool = False) -> Intent: ...

    def retrieve(self, intent_id: str) -> Intent: ...

    def card_of(self, payment_method: str) -> tuple[str, str]:
        """(brand, last four) of a card PaymentMethod, ("", "") when unknown; never raises."""
        ...

    def cancel(self, intent_id: str) -> None: ...

    def refund(self, intent_id: str, amount_cents: int, idempotency_key: str, reason: str) -> tuple[str, str]: ...

    def parse_webhook(self, payload: bytes, signature_header: str | None) -> Event: ...

    def events_since(self, created_after: int, types: tuple[str, ...] = ()) -> Iterator[Event]:
        """The processor's own record of what happened since a Unix time (oldest first), of `types` only
        when given: what reconciliation replays, and how an unanswered charge is looked up."""
        ...

    # Billing: a monthly plan, a customer per member, their subscription and its invoices.
    def ensure_plan(self, *, plan_id: str, name: str, amount_cents: int, currency: str, interval: str) -> str: ...

    def create_customer(self, *, email: str, name: str, metadata: dict[str, str], idempotency_key: str) -> str: ...

    def set_default_card(self, customer_id: str, payment_method: str) -> None: ...

    def create_subscription(self, *, customer_id: str, plan_id: str, metadata: dict[str, str],
                            idempotency_key: str, trial_end: int | None = None) -> Subscription: ...

    def retrieve_subscription(self, subscription_id: str) -> Subscription: ...

    def set_cancel_at_period_end(self, subscription_id: str, cancel: bool) -> Subscription: ...

    def cancel_subscription(self, subscription_id: str) -> Subscription: ...

    def retrieve_invoice(self, invoice_id: str) -> BillingInvoice: ...

    def invoices(self, subscription_id: str) -> list[BillingInvoice]: ...

    def pay_invoice(self, invoice_id: str) -> BillingInvoice: ...

    def add_invoice_credit(self, *, customer_id: str, amount_cents: int, currency: str, description: str,
                           idempotency_key: str) -> str: ...

    def remove_invoice_credit(self, item_id: str) -> None: ...

    def subscriptions_of(self, customer_id: str) -> list[Subscription]: ...


_installed: dict[str, PaymentGateway] = {}


def use(gateway: PaymentGateway) -> None:
    """Make `gateway` the processor the shop talks to (the app does this at start)."""
    _installed["gateway"] = gateway


def processor() -> PaymentGateway:
    """The configured card processor."""
    try:
        return _installed["gateway"]
    except KeyError:
        raise GatewayError("No card processor is configured.") from None
