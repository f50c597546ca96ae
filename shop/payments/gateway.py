"""What the shop needs from a card processor, independent of Stripe's SDK.

Errors form a short ladder: PaymentDeclined (the bank said no; the message is safe to show the
customer), GatewayError (we could not reach the processor or it failed; logged, a generic message
is shown). Amounts here are integer cents and ISO currency codes in upper case.
"""

from dataclasses import dataclass, field

INTENT_SUCCEEDED = "succeeded"
INTENT_REQUIRES_ACTION = "requires_action"
INTENT_PROCESSING = "processing"
INTENT_REQUIRES_PAYMENT_METHOD = "requires_payment_method"
INTENT_CANCELED = "canceled"


class PaymentError(Exception):
    message = "The payment could not be completed."

    def __init__(self, message=None, intent_id=None):
        super().__init__(message or self.message)
        if message:
            self.message = message
        self.intent_id = intent_id


class PaymentDeclined(PaymentError):
    message = "Your card was declined."


class GatewayError(PaymentError):
    message = "We could not reach our card processor. Your card has not been charged; please try again."


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
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    intent: Intent | None
