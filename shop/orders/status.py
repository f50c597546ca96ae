"""An order's status, and the one table of the changes it may go through (as Django Oscar's pipeline).

    awaiting payment ─→ paid ─→ cancelled
          │  ╰──────────────→ cancelled
          ╰─→ expired ─→ paid  (a payment that arrives late still counts)

Every change is one conditional UPDATE (`... WHERE status IN (the statuses it may come from)`), so when
two deliveries of the same news race, exactly one changes the row and does the work that goes with it,
and a paid order never goes back to waiting for payment.
"""

from typing import Any

from sqlalchemy import update

from shop.extensions import db
from shop.orders.models import STATUS_CANCELLED, STATUS_EXPIRED, STATUS_PAID, STATUS_PENDING_PAYMENT, Order

PIPELINE: dict[str, tuple[str, ...]] = {
    STATUS_PENDING_PAYMENT: (STATUS_PAID, STATUS_EXPIRED, STATUS_CANCELLED),
    STATUS_EXPIRED: (STATUS_PAID,),
    STATUS_PAID: (STATUS_CANCELLED,),
    STATUS_CANCELLED: (),
}


def sources(to_status: str) -> tuple[str, ...]:
    """The statuses an order may move to `to_status` from."""
    return tuple(status for status, targets in PIPELINE.items() if to_status in targets)


def can_move(order: Order, to_status: str) -> bool:
    return to_status in PIPELINE.get(order.status, ())


def transition(order_id: int, to_status: str, *, from_statuses: tuple[str, ...] | None = None,
               version: int | None = None, **values: Any) -> bool:
    """Move the order to `to_status` if the table allows it from its status now (narrowed to `from_statuses`,
    and only at `version` when given); True if this call moved it. The order's version moves on."""
    allowed = sources(to_status)
    if from_statuses is not None:
        allowed = tuple(status for status in allowed if status in from_statuses)
    conditions = [Order.id == order_id, Order.status.in_(allowed)]
    if version is not None:
        conditions.append(Order.version_id == version)
    result = db.session.execute(
        update(Order).where(*conditions)
        .values(status=to_status, version_id=Order.version_id + 1, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
