"""A real localstripe server for the suite, and helpers that act as the browser's Stripe.js would."""

import json
import time
from datetime import UTC, datetime

import pytest
import requests
import stripe

from shop.payments import local_server, stripe_gateway

PUBLISHABLE_KEY = "pk_test_suite"
SECRET_KEY = "sk_test_suite"
WEBHOOK_SECRET = "whsec_suite"

CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000341"
CARD_3DS = "4000002760003184"


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    port = local_server.free_port()
    log = tmp_path_factory.mktemp("localstripe") / "localstripe.log"
    process = local_server.start(port, log_path=str(log))
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def suite_settings(api_base):
    """The settings that point an app at the suite's localstripe, with the suite's test keys."""
    return {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_API_BASE": api_base}


def use_localstripe(app, api_base, monkeypatch):
    """`app` talks to localstripe at `api_base` for this test (its settings are put back afterwards)."""
    for key, value in suite_settings(api_base).items():
        monkeypatch.setitem(app.config, key, value)
    stripe_gateway.configure(app)


@pytest.fixture
def payments_on(app, localstripe, monkeypatch):
    """The app talks to the suite's localstripe with test keys."""
    use_localstripe(app, localstripe, monkeypatch)
    return localstripe


def a_second_of_its_own():
    """Wait into a new second and return it (naive UTC): Stripe's event times are whole seconds, so events from
    here on are this test's, not those earlier tests left in the suite's localstripe."""
    time.sleep(1.0 - time.time() % 1.0 + 0.01)
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def card_payment_method(api_base, number=CARD_OK):
    """What Stripe.js does in the browser: turn card details into an id, with the publishable key only."""
    response = requests.post(f"{api_base}/v1/tokens", data={
        "key": PUBLISHABLE_KEY, "card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2030",
        "card[cvc]": "123",
    }, timeout=10)
    response.raise_for_status()
    return response.json()["card"]["id"]


def authenticate_3ds(api_base, client_secret, success=True):
    intent_id = client_secret.split("_secret")[0]
    response = requests.post(
        f"{api_base}/v1/payment_intents/{intent_id}/_authenticate?success={'true' if success else 'false'}",
        data={"key": PUBLISHABLE_KEY, "client_secret": client_secret}, timeout=10)
    response.raise_for_status()
    return intent_id


def signed_event(event_type, intent, event_id=None, secret=WEBHOOK_SECRET):
    """A webhook body and header exactly as Stripe would send them."""
    payload = json.dumps({
        "id": event_id or f"evt_{intent['id']}_{event_type}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": dict(intent)},
    })
    return payload, stripe.WebhookSignature.generate_signature_header(payload, secret)


def retrieve_intent(intent_id):
    """The PaymentIntent as plain JSON, as it would appear inside an event."""
    return json.loads(str(stripe.PaymentIntent.retrieve(intent_id)))


def signed_object_event(event_type, obj, *, event_id, created=None, secret=WEBHOOK_SECRET):
    """Any Stripe object (a subscription, an invoice, a charge, a dispute) inside a signed event, at Stripe's
    time `created` (Unix seconds; events that happened in another order than they arrive differ by it)."""
    payload = json.dumps({
        "id": event_id, "object": "event", "type": event_type,
        "created": int(created if created is not None else time.time()),
        "data": {"object": dict(obj)},
    })
    return payload, stripe.WebhookSignature.generate_signature_header(payload, secret)


def as_json(resource):
    """A Stripe resource retrieved from the server, as the plain JSON an event carries."""
    return json.loads(str(resource))
