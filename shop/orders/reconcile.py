"""`flask reconcile-payments`: orders and memberships brought in line with Stripe's own record.

For when webhooks were lost: the endpoint failing for a while, a deploy, a network fault. Run it from cron
(every 10 minutes, say) and after any outage.

1. Stripe's events since `since` (RECONCILE_HOURS ago by default; Stripe keeps 30 days), oldest first, each
   handed to the very handler the webhook uses (shop.orders.payment.handle_event): payments, refunds and
   disputes made in Stripe's dashboard, subscription renewals, failures and cancellations. An event already
   handled has its ProcessedEvent row and changes nothing, so running this twice, beside late webhooks, or on
   every server at once changes nothing more (two copies racing on one event: the row's primary key lets one
   win, the other's transaction is rolled back).
2. The unanswered charges of orders still waiting for payment (shop.orders.payment.settle_unanswered): a
   charge that went through pays its order; one Stripe never received is closed.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.orders import payment as payments
from shop.orders.models import PAYMENT_PENDING, STATUS_PENDING_PAYMENT, Order, Payment
from shop.payments.gateway import processor

log = logging.getLogger(__name__)


@dataclass
class Reconciled:
    events: int = 0
    outcomes: Counter = field(default_factory=Counter)  # what handle_event said of each: paid, duplicate...
    orders_settled: int = 0

    def summary(self) -> str:
        applied = sum(count for outcome, count in self.outcomes.items() if outcome not in ("duplicate", "ignored"))
        return (f"{self.events} Stripe events read, {applied} applied, {self.outcomes['duplicate']} already "
                f"handled; {self.orders_settled} orders with an unanswered charge settled.")


def reconcile(since: datetime | None = None) -> Reconciled:
    """Replay Stripe's events since `since` (naive UTC), then settle unanswered charges. GatewayError when
    Stripe cannot be reached (nothing is half-applied: each event commits on its own)."""
    since = since or utcnow() - timedelta(hours=current_app.config["RECONCILE_HOURS"])
    result = Reconciled()
    for event in processor().events_since(int(since.replace(tzinfo=UTC).timestamp())):
        result.events += 1
        result.outcomes[payments.handle_event(event)] += 1
    for order in _orders_with_unanswered_charges():
        before = order.status
        payments.settle_unanswered(order)
        result.orders_settled += int(order.status != before or not payments.unanswered(order))
    log.info("reconcile-payments: %s", result.summary())
    return result


def _orders_with_unanswered_charges() -> list[Order]:
    return list(db.session.scalars(select(Order).where(
        Order.status == STATUS_PENDING_PAYMENT,
        Order.id.in_(select(Payment.order_id).where(Payment.status == PAYMENT_PENDING, Payment.intent_id.is_(None),
                                                    Payment.failure_message == payments.UNANSWERED)))))
